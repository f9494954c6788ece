package dev.samvaad.dsp;

/** Window functions. */
public final class Windows {
    private Windows() {}

    /**
     * Periodic Hann window: shifted copies at hop {@code length/2} sum to exactly 1.
     *
     * @param length samples
     * @return the window
     */
    public static double[] hann(int length) {
        double[] w = new double[length];
        for (int n = 0; n < length; n++) {
            w[n] = 0.5 - 0.5 * Math.cos(2 * Math.PI * n / length);
        }
        return w;
    }

    /**
     * Square root of the periodic Hann window: shifted squares at hop {@code length/2} sum to 1.
     *
     * @param length samples
     * @return the window
     */
    public static double[] sqrtHann(int length) {
        double[] w = hann(length);
        for (int n = 0; n < length; n++) {
            w[n] = Math.sqrt(w[n]);
        }
        return w;
    }

    /**
     * Window energy.
     *
     * @param w a window
     * @return the sum of its squared values: the factor between a windowed power spectrum and power
     */
    public static double energy(double[] w) {
        double s = 0;
        for (double v : w) {
            s += v * v;
        }
        return s;
    }
}
