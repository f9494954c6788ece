/**
 * Files that survive crashes: {@link dev.samvaad.io.AtomicFiles} writes through a temporary file
 * and an atomic rename, and {@link dev.samvaad.io.CheckpointFile} stores a
 * {@link dev.samvaad.io.Checkpoint} (JSON config and named float32 arrays) in a versioned container
 * with a CRC32, refusing damaged files with a {@link dev.samvaad.io.CheckpointException} that names
 * the file.
 *
 * <p>These are shared infrastructure of the Samvaad modules; they carry no compatibility promise.
 */
package dev.samvaad.io;
