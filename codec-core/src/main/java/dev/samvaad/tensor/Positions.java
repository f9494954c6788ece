package dev.samvaad.tensor;

/**
 * Sinusoidal position encodings: one table for the SameDiff graph's inputs and the pure-Java
 * decoder, so the two cannot drift apart.
 */
public final class Positions {
    private Positions() {}

    /**
     * The table {@code [frames][d]}, row-major: {@code PE[p][2i] = sin(p / 10000^(2i/d))},
     * {@code PE[p][2i+1] = cos(p / 10000^(2i/d))}, computed in double and stored as float.
     *
     * @param frames the positions, from 0
     * @param d      the width of a row
     * @return a new table of {@code frames * d} values
     */
    public static float[] sinusoid(int frames, int d) {
        float[] out = new float[frames * d];
        for (int p = 0; p < frames; p++) {
            for (int i = 0; i < d; i += 2) {
                double angle = p / Math.pow(10000, (double) i / d);
                out[p * d + i] = (float) Math.sin(angle);
                if (i + 1 < d) {
                    out[p * d + i + 1] = (float) Math.cos(angle);
                }
            }
        }
        return out;
    }
}
