package dev.samvaad.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * Writes the little-endian primitives of the checkpoint format to a stream. Floats go out in
 * fixed-size chunks, so writing an array never needs a second copy of it.
 */
final class CheckpointOutput {

    private static final int CHUNK_BYTES = 1 << 16;

    private final OutputStream out;
    private final ByteBuffer scratch = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private ByteBuffer chunk;

    CheckpointOutput(OutputStream out) {
        this.out = out;
    }

    void writeBytes(byte[] bytes) throws IOException {
        out.write(bytes);
    }

    void writeInt(int value) throws IOException {
        scratch.clear();
        out.write(scratch.putInt(value).array(), 0, Integer.BYTES);
    }

    void writeLong(long value) throws IOException {
        scratch.clear();
        out.write(scratch.putLong(value).array(), 0, Long.BYTES);
    }

    /** An int32 length followed by the bytes. */
    void writeSized(byte[] bytes) throws IOException {
        writeInt(bytes.length);
        out.write(bytes);
    }

    /** An int32 rank followed by one int32 per dimension. */
    void writeShape(int[] shape) throws IOException {
        writeInt(shape.length);
        for (int dim : shape) {
            writeInt(dim);
        }
    }

    /** The values as float32, bit patterns (NaN payloads included) kept as they are. */
    void writeFloats(float[] values) throws IOException {
        if (chunk == null) {
            chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        }
        FloatBuffer floats = chunk.asFloatBuffer();
        for (int start = 0; start < values.length; start += floats.capacity()) {
            int count = Math.min(floats.capacity(), values.length - start);
            floats.clear();
            floats.put(values, start, count);
            out.write(chunk.array(), 0, count * Float.BYTES);
        }
    }
}
