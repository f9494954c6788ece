package dev.samvaad.io;

import dev.samvaad.tensor.Tensor;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;

/**
 * Reads and writes a {@link Checkpoint} as one file: a JSON config plus named float32 arrays, in a
 * versioned container with a checksum. The layout, all little-endian:
 *
 * <pre>
 * magic      8 bytes  "SAMVAAD\0"
 * version    int32    container format version = 1
 * kind       int32 length + UTF-8 bytes   e.g. "rvq-codec"
 * kindVer    int32    the payload's own format version (e.g. codec format 1)
 * config     int32 length + UTF-8 JSON text
 * arrays     int32 count, then per array: int32 name length + UTF-8 name, int32 rank, rank x int32 dims, float32 data (product of dims values)
 * crc        int64 of which the low 32 bits are CRC32 (java.util.zip.CRC32) of every byte before it
 * </pre>
 *
 * <p>The high 32 bits of {@code crc} are zero. Ranks go from 0 (a scalar, one value) to
 * {@link Checkpoint#MAX_RANK}; a dimension of 0 makes an empty array. Values are stored bit for
 * bit: NaN and infinities are allowed, since judging values is up to the payload's reader.
 *
 * <p>Reading refuses, with a {@link CheckpointException} whose message starts with the file,
 * anything that does not follow this layout exactly: a wrong magic, another container version,
 * a size that does not fit in the rest of the file (checked before allocating, so a damaged file
 * can never cause a huge allocation), a truncated file, bytes after the checksum, a checksum
 * mismatch, text that is not UTF-8, a config that is not a JSON object, an empty or duplicate
 * array name.
 */
public final class CheckpointFile {

    /** The container format version this build writes and reads. */
    public static final int FORMAT_VERSION = 1;

    static final byte[] MAGIC = "SAMVAAD\0".getBytes(StandardCharsets.US_ASCII);

    private static final int READ_BUFFER_BYTES = 1 << 16;

    private CheckpointFile() {}

    /**
     * Writes {@code checkpoint} to {@code file} atomically: a reader sees the old file or the
     * complete new one, and a failed write leaves an existing file untouched. Parent folders are
     * created.
     *
     * @param file       the file to create or replace
     * @param checkpoint what to write
     * @throws CheckpointException naming the file when it cannot be written
     */
    public static void write(Path file, Checkpoint checkpoint) {
        Objects.requireNonNull(checkpoint, "checkpoint");
        try {
            AtomicFiles.write(file, out -> writeTo(out, checkpoint));
        } catch (UncheckedIOException e) {
            throw new CheckpointException(file, "cannot write: " + e.getCause().getMessage(), e);
        }
    }

    /**
     * Reads a checkpoint of any kind and kind version.
     *
     * @param file the checkpoint file
     * @return the checkpoint
     * @throws CheckpointException naming the file when it is missing, unreadable or not a valid
     *     checkpoint
     */
    public static Checkpoint read(Path file) {
        return readFile(file, null, Integer.MAX_VALUE);
    }

    /**
     * Reads a checkpoint that must be of {@code expectedKind} with a kind version of at most
     * {@code maxKindVersion}; both are checked before the arrays are read.
     *
     * @param file           the checkpoint file
     * @param expectedKind   the kind it must hold
     * @param maxKindVersion the newest kind version this reader understands
     * @return the checkpoint
     * @throws CheckpointException naming the file when it is missing, unreadable, not a valid
     *     checkpoint, of another kind or of a newer kind version
     */
    public static Checkpoint read(Path file, String expectedKind, int maxKindVersion) {
        return readFile(file, Objects.requireNonNull(expectedKind, "expectedKind"), maxKindVersion);
    }

    /** @param expectedKind {@code null} to accept any kind */
    private static Checkpoint readFile(Path file, String expectedKind, int maxKindVersion) {
        long size = sizeOf(file);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), READ_BUFFER_BYTES)) {
            CheckpointInput input = new CheckpointInput(in, file, size);
            return new CheckpointReader(input, expectedKind, maxKindVersion).read();
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot read: " + describe(e), e);
        }
    }

    private static long sizeOf(Path file) {
        if (Files.isDirectory(file)) {
            throw new CheckpointException(file, "is a directory, not a file");
        }
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new CheckpointException(file, "no such file", e);
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot read: " + describe(e), e);
        }
        if (size == 0) {
            throw new CheckpointException(file, "empty file");
        }
        return size;
    }

    private static void writeTo(OutputStream out, Checkpoint checkpoint) throws IOException {
        CheckedOutputStream checked = new CheckedOutputStream(out, new CRC32());
        CheckpointOutput body = new CheckpointOutput(checked);
        body.writeBytes(MAGIC);
        body.writeInt(FORMAT_VERSION);
        body.writeSized(checkpoint.kind().getBytes(StandardCharsets.UTF_8));
        body.writeInt(checkpoint.kindVersion());
        body.writeSized(checkpoint.configJson().getBytes(StandardCharsets.UTF_8));
        body.writeInt(checkpoint.arrays().size());
        for (Map.Entry<String, Tensor> array : checkpoint.arrays().entrySet()) {
            body.writeSized(array.getKey().getBytes(StandardCharsets.UTF_8));
            body.writeShape(array.getValue().shape());
            body.writeFloats(array.getValue().data());
        }
        // Straight to the underlying stream: the checksum does not cover itself.
        new CheckpointOutput(out).writeLong(checked.getChecksum().getValue());
    }

    private static String describe(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
