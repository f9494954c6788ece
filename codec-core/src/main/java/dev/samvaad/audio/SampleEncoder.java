package dev.samvaad.audio;

import java.nio.ByteBuffer;

/** Writes one float sample in a WAV sample encoding, little-endian. */
@FunctionalInterface
interface SampleEncoder {

    void put(ByteBuffer out, float sample);

    /**
     * @throws IllegalArgumentException unless the format is 16 or 24-bit signed PCM or 32-bit
     *     float, the encodings {@link WavWriter} supports
     */
    static SampleEncoder of(WavFormat format) {
        int bits = format.bitsPerSample();
        if (format.encoding() == SampleEncoding.PCM_SIGNED && bits == 16) {
            return (out, sample) -> out.putShort(Pcm16.toShort(sample));
        }
        if (format.encoding() == SampleEncoding.PCM_SIGNED && bits == 24) {
            return (out, sample) -> {
                int value = quantize(sample, 8388608f, 8388607);
                out.put((byte) value).put((byte) (value >> 8)).put((byte) (value >> 16));
            };
        }
        if (format.encoding() == SampleEncoding.IEEE_FLOAT && bits == 32) {
            return ByteBuffer::putFloat;
        }
        throw new IllegalArgumentException("writing " + bits + "-bit " + format.encoding()
                + " is not supported; use 16 or 24-bit PCM_SIGNED or 32-bit IEEE_FLOAT");
    }

    /**
     * Uses the same scale as the reader so that a round trip is off by at most one step; full-scale
     * positive input has no integer code and is clamped to the largest one (as {@link Pcm16} does
     * for 16 bits).
     */
    private static int quantize(float sample, float scale, int max) {
        float clamped = Math.max(-1f, Math.min(1f, sample));
        return Math.min(max, Math.round(clamped * scale));
    }
}
