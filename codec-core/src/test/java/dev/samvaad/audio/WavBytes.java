package dev.samvaad.audio;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds RIFF/WAVE bytes chunk by chunk, with any field values, valid or not. */
final class WavBytes {

    static final int PCM = 1;
    static final int FLOAT = 3;
    static final int EXTENSIBLE = 0xFFFE;

    private final ByteArrayOutputStream chunks = new ByteArrayOutputStream();
    private String magic = "RIFF";
    private String form = "WAVE";

    private WavBytes() {
    }

    static WavBytes wav() {
        return new WavBytes();
    }

    WavBytes magic(String riffMagic) {
        this.magic = riffMagic;
        return this;
    }

    WavBytes form(String formType) {
        this.form = formType;
        return this;
    }

    /** A consistent 16-byte PCM (tag 1) fmt chunk. */
    WavBytes pcm(int channels, int sampleRate, int bits) {
        return fmt(PCM, channels, sampleRate, channels * bits / 8, bits);
    }

    /** A consistent 16-byte IEEE float (tag 3) fmt chunk. */
    WavBytes ieeeFloat(int channels, int sampleRate, int bits) {
        return fmt(FLOAT, channels, sampleRate, channels * bits / 8, bits);
    }

    /** A 16-byte fmt chunk with the given fields; the byte rate is derived. */
    WavBytes fmt(int tag, int channels, int sampleRate, int blockAlign, int bits) {
        return chunk("fmt ", fmtBody(tag, channels, sampleRate, blockAlign, bits));
    }

    /** A 40-byte WAVE_FORMAT_EXTENSIBLE fmt chunk whose sub-format GUID wraps {@code subFormatTag}. */
    WavBytes extensible(int subFormatTag, int channels, int sampleRate, int bits) {
        byte[] guid = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(subFormatTag).putShort((short) 0x0000).putShort((short) 0x0010)
                .put(new byte[] {(byte) 0x80, 0x00, 0x00, (byte) 0xAA, 0x00, 0x38, (byte) 0x9B, 0x71})
                .array();
        return extensible(guid, channels, sampleRate, bits);
    }

    WavBytes extensible(byte[] subFormatGuid, int channels, int sampleRate, int bits) {
        ByteBuffer body = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN)
                .put(fmtBody(EXTENSIBLE, channels, sampleRate, channels * bits / 8, bits))
                .putShort((short) 22) // cbSize
                .putShort((short) bits) // valid bits
                .putInt(channels == 2 ? 3 : 0) // channel mask
                .put(subFormatGuid);
        return chunk("fmt ", body.array());
    }

    WavBytes data(byte[] samples) {
        return chunk("data", samples);
    }

    /** A chunk whose size field is the body length, followed by a pad byte if that is odd. */
    WavBytes chunk(String id, byte[] body) {
        chunkDeclaring(id, body.length, body);
        if (body.length % 2 == 1) {
            chunks.write(0);
        }
        return this;
    }

    /** A chunk with any size field and no pad byte. */
    WavBytes chunkDeclaring(String id, long declaredSize, byte[] body) {
        chunks.writeBytes(id.getBytes(StandardCharsets.ISO_8859_1));
        chunks.writeBytes(le32((int) declaredSize));
        chunks.writeBytes(body);
        return this;
    }

    /** Raw bytes appended after the chunks so far. */
    WavBytes raw(byte[] bytes) {
        chunks.writeBytes(bytes);
        return this;
    }

    byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(magic.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(le32(4 + chunks.size()));
        out.writeBytes(form.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(chunks.toByteArray());
        return out.toByteArray();
    }

    Path saveAs(Path file) {
        try {
            return Files.write(file, bytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] fmtBody(int tag, int channels, int sampleRate, int blockAlign, int bits) {
        return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN)
                .putShort((short) tag)
                .putShort((short) channels)
                .putInt(sampleRate)
                .putInt(sampleRate * blockAlign)
                .putShort((short) blockAlign)
                .putShort((short) bits)
                .array();
    }

    static byte[] uint8(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    static byte[] int16(int... values) {
        ByteBuffer buffer = buffer(values.length * 2);
        for (int value : values) {
            buffer.putShort((short) value);
        }
        return buffer.array();
    }

    static byte[] int24(int... values) {
        ByteBuffer buffer = buffer(values.length * 3);
        for (int value : values) {
            buffer.put((byte) value).put((byte) (value >> 8)).put((byte) (value >> 16));
        }
        return buffer.array();
    }

    static byte[] int32(int... values) {
        ByteBuffer buffer = buffer(values.length * 4);
        for (int value : values) {
            buffer.putInt(value);
        }
        return buffer.array();
    }

    static byte[] float32(float... values) {
        ByteBuffer buffer = buffer(values.length * 4);
        for (float value : values) {
            buffer.putFloat(value);
        }
        return buffer.array();
    }

    static byte[] float64(double... values) {
        ByteBuffer buffer = buffer(values.length * 8);
        for (double value : values) {
            buffer.putDouble(value);
        }
        return buffer.array();
    }

    static byte[] le32(int value) {
        return buffer(4).putInt(value).array();
    }

    private static ByteBuffer buffer(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
