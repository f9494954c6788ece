/**
 * Files that survive crashes: {@link dev.samvaad.io.AtomicFiles} writes through a temporary file
 * and an atomic rename, and {@link dev.samvaad.io.CheckpointFile} stores a
 * {@link dev.samvaad.io.Checkpoint} (JSON config and named float32 arrays) in a versioned container
 * with a CRC32, refusing damaged files with a {@link dev.samvaad.io.CheckpointException} that names
 * the file.
 *
 * <p>{@link dev.samvaad.io.JsonKeys} keeps the keys of the JSON files Samvaad writes in camelCase
 * while still reading the snake_case keys of earlier builds, and {@link dev.samvaad.io.Words} puts
 * counts in words ({@code 1 turn}, {@code 2 turns}) for what the modules log and print.
 *
 * <p>These are shared infrastructure of the Samvaad modules; they carry no compatibility promise.
 */
package dev.samvaad.io;
