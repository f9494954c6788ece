package dev.samvaad.io;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Builds checkpoint files byte by byte, straight from the documented layout, so tests can make
 * both files the writer would write and files it never would.
 */
final class CheckpointBytes {

    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    /** Magic, container version 1, kind, kind version and config: everything before the arrays. */
    static CheckpointBytes header(String kind, int kindVersion, String config) {
        return new CheckpointBytes().bytes("SAMVAAD\0".getBytes(StandardCharsets.US_ASCII)).int32(1)
                .sized(kind).int32(kindVersion).sized(config);
    }

    CheckpointBytes bytes(byte[] bytes) {
        body.writeBytes(bytes);
        return this;
    }

    CheckpointBytes int32(int value) {
        return bytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array());
    }

    CheckpointBytes int64(long value) {
        return bytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
    }

    /** An int32 length and the bytes. */
    CheckpointBytes sized(byte[] bytes) {
        return int32(bytes.length).bytes(bytes);
    }

    /** An int32 length and the UTF-8 bytes. */
    CheckpointBytes sized(String text) {
        return sized(text.getBytes(StandardCharsets.UTF_8));
    }

    /** One array entry: name, rank, dims and values. */
    CheckpointBytes array(String name, int[] shape, float... values) {
        sized(name).int32(shape.length);
        for (int dim : shape) {
            int32(dim);
        }
        return floats(values);
    }

    CheckpointBytes floats(float... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : values) {
            buffer.putInt(Float.floatToRawIntBits(value));
        }
        return bytes(buffer.array());
    }

    /** The bytes so far, without a checksum. */
    byte[] body() {
        return body.toByteArray();
    }

    /** The bytes so far followed by their correct checksum: a complete file. */
    byte[] withCrc() {
        CRC32 crc = new CRC32();
        crc.update(body.toByteArray());
        return new CheckpointBytes().bytes(body()).int64(crc.getValue()).body();
    }
}
