package dev.samvaad.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.zip.CRC32;

/**
 * Reads the little-endian primitives of the checkpoint format from a file of known size, keeping a
 * CRC32 of every byte read. Every read and every declared length is checked against the bytes left
 * in the file first, so a damaged length fails with a {@link CheckpointException} instead of a
 * huge allocation or a read past the end.
 */
final class CheckpointInput {

    private static final int CHUNK_BYTES = 1 << 16;

    private final InputStream in;
    private final Path file;
    private final long size;
    private final CRC32 crc = new CRC32();
    private long position;
    private ByteBuffer chunk;

    /** @param size the number of bytes in {@code in} */
    CheckpointInput(InputStream in, Path file, long size) {
        this.in = in;
        this.file = file;
        this.size = size;
    }

    long remaining() {
        return size - position;
    }

    /** CRC32 of the bytes read so far. */
    long crc() {
        return crc.getValue();
    }

    CheckpointException error(String problem) {
        return new CheckpointException(file, problem);
    }

    CheckpointException error(String problem, Throwable cause) {
        return new CheckpointException(file, problem, cause);
    }

    /** @param what names the field in the message if the file ends before it does */
    byte[] readBytes(int count, String what) throws IOException {
        requireRemaining(count, what);
        byte[] bytes = new byte[count];
        readFully(bytes, count, what);
        crc.update(bytes);
        return bytes;
    }

    int readInt(String what) throws IOException {
        return ByteBuffer.wrap(readBytes(Integer.BYTES, what)).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    /** Reads a little-endian int64 without adding it to the CRC: it is the CRC itself. */
    long readStoredCrc() throws IOException {
        requireRemaining(Long.BYTES, "checksum");
        byte[] bytes = new byte[Long.BYTES];
        readFully(bytes, Long.BYTES, "checksum");
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    /**
     * An int32 count of items of at least {@code minItemBytes} each, checked to be non-negative
     * and to fit in the bytes that follow it.
     */
    int readCount(String what, int minItemBytes) throws IOException {
        int count = readInt(what);
        if (count < 0) {
            throw error("corrupt: negative " + what + " " + count);
        }
        if ((long) count * minItemBytes > remaining()) {
            throw error("truncated: " + what + " " + count + " needs at least " + (long) count * minItemBytes
                    + " bytes but only " + remaining() + " remain in the file");
        }
        return count;
    }

    /** An int32 byte length followed by that many bytes. */
    byte[] readSized(String what) throws IOException {
        return readBytes(readCount(what + " length", 1), what);
    }

    /** Reads {@code count} float32 values into a new array, after checking that they are all there. */
    float[] readFloats(int count, String what) throws IOException {
        requireRemaining((long) count * Float.BYTES, what);
        if (chunk == null) {
            chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        }
        float[] values = new float[count];
        FloatBuffer floats = chunk.asFloatBuffer();
        for (int start = 0; start < count; start += floats.capacity()) {
            int n = Math.min(floats.capacity(), count - start);
            int bytes = n * Float.BYTES;
            readFully(chunk.array(), bytes, what);
            crc.update(chunk.array(), 0, bytes);
            floats.clear();
            floats.get(values, start, n);
        }
        return values;
    }

    /** Reads bytes already checked to lie within the file. */
    private void readFully(byte[] into, int count, String what) throws IOException {
        if (in.readNBytes(into, 0, count) < count) {
            // Only possible when the file changes under us.
            throw error("truncated: the file shrank while being read, inside the " + what);
        }
        position += count;
    }

    private void requireRemaining(long count, String what) {
        if (count > remaining()) {
            throw error("truncated: the file ends at byte " + size + ", inside the " + what
                    + " (" + count + " bytes from byte " + position + ")");
        }
    }
}
