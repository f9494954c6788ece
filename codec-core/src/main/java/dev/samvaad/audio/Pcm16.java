package dev.samvaad.audio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The project's one conversion between float samples and 16-bit signed PCM, as WAV files, sound
 * cards and browsers carry it (little-endian).
 *
 * <p>The scale is 32768, the one {@link WavReader} reads with: a code {@code s} is the sample
 * {@code s / 32768}, so every code converts to a float and back to itself. A sample is clamped to
 * [-1, 1] first, and 1.0, which has no code, becomes the largest one (32767); NaN becomes 0.
 */
public final class Pcm16 {

    /** Samples per unit of full scale: {@code -1} is the code {@code -32768}. */
    public static final float SCALE = 32768f;

    private Pcm16() {
    }

    /**
     * @param sample a float sample; outside [-1, 1] it is clamped
     * @return its 16-bit code, rounded to the nearest
     */
    public static short toShort(float sample) {
        float clamped = Math.max(-1f, Math.min(1f, sample));
        return (short) Math.min(Short.MAX_VALUE, Math.round(clamped * SCALE));
    }

    /**
     * @param code a 16-bit code
     * @return its sample, in [-1, 1)
     */
    public static float toFloat(short code) {
        return code / SCALE;
    }

    /**
     * @param pcm float samples
     * @return two little-endian bytes a sample
     */
    public static byte[] toBytes(float[] pcm) {
        ByteBuffer bytes = ByteBuffer.allocate(2 * pcm.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float sample : pcm) {
            bytes.putShort(toShort(sample));
        }
        return bytes.array();
    }

    /**
     * @param bytes  little-endian 16-bit samples
     * @param length how many of the bytes hold samples (an odd last byte is left out)
     * @return the samples of {@code bytes[0, length)}
     */
    public static float[] fromBytes(byte[] bytes, int length) {
        return fromBytes(ByteBuffer.wrap(bytes, 0, length));
    }

    /**
     * @param bytes 16-bit samples from the position to the limit, read in little-endian order
     *              whatever the buffer's own order; the position does not move
     * @return the samples (an odd last byte is left out)
     */
    public static float[] fromBytes(ByteBuffer bytes) {
        ByteBuffer le = bytes.slice().order(ByteOrder.LITTLE_ENDIAN);
        float[] pcm = new float[le.remaining() / 2];
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = toFloat(le.getShort(2 * i));
        }
        return pcm;
    }
}
