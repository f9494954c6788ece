package dev.samvaad.audio;

/**
 * The continuous low-pass prototype behind {@link Resampler}: a sinc windowed by a Kaiser window,
 * expressed in units of input samples so that one kernel serves every output phase.
 *
 * <p>The pass band ends at 0.9 and the stop band starts at 1.0 times the lower of the two Nyquist
 * frequencies, so nothing that would fold back (downsampling) or that is a spectral image
 * (upsampling) survives. The window length and shape come from Kaiser's design formulas for
 * {@value #STOPBAND_ATTENUATION_DB} dB of stop-band attenuation.
 */
final class KaiserSincKernel {

    static final double STOPBAND_ATTENUATION_DB = 80.0;
    private static final double PASSBAND_EDGE = 0.9;

    private final double cutoff;
    private final int halfWidth;
    private final double beta;
    private final double besselI0OfBeta;

    private KaiserSincKernel(double cutoff, int halfWidth, double beta) {
        this.cutoff = cutoff;
        this.halfWidth = halfWidth;
        this.beta = beta;
        this.besselI0OfBeta = besselI0(beta);
    }

    /**
     * Designs the kernel for resampling by {@code upFactor / downFactor} (a reduced ratio).
     */
    static KaiserSincKernel forRatio(int upFactor, int downFactor) {
        // Frequencies in cycles per input sample; the lower Nyquist is the output's when downsampling.
        double lowerNyquist = Math.min(upFactor, downFactor) / (2.0 * downFactor);
        double transitionWidth = (1.0 - PASSBAND_EDGE) * lowerNyquist;
        // The -6 dB point of a windowed sinc lies halfway through its transition band.
        double cutoff = (1.0 + PASSBAND_EDGE) / 2.0 * lowerNyquist;
        double beta = 0.1102 * (STOPBAND_ATTENUATION_DB - 8.7);
        double length = (STOPBAND_ATTENUATION_DB - 7.95) / (2.285 * 2.0 * Math.PI * transitionWidth) + 1.0;
        int halfWidth = (int) Math.ceil(length / 2.0);
        return new KaiserSincKernel(cutoff, halfWidth, beta);
    }

    /** Input samples that contribute to one output sample. */
    int taps() {
        return 2 * halfWidth;
    }

    /** How many of those taps lie before the input sample at or just before the output's position. */
    int leadingTaps() {
        return halfWidth - 1;
    }

    /**
     * Kernel weight of tap {@code tap} for an output that sits {@code fraction} (in [0, 1)) of an
     * input sample after the first input sample at or before it. The weights are not normalised.
     */
    double weight(int tap, double fraction) {
        return valueAt(tap - leadingTaps() - fraction);
    }

    private double valueAt(double offset) {
        double ratio = offset / halfWidth;
        if (Math.abs(ratio) > 1.0) {
            return 0.0;
        }
        double window = besselI0(beta * Math.sqrt(1.0 - ratio * ratio)) / besselI0OfBeta;
        return 2.0 * cutoff * sinc(2.0 * cutoff * offset) * window;
    }

    private static double sinc(double x) {
        if (x == 0.0) {
            return 1.0;
        }
        double angle = Math.PI * x;
        return Math.sin(angle) / angle;
    }

    /** Modified Bessel function of the first kind, order zero, from its power series. */
    static double besselI0(double x) {
        double halfX = x / 2.0;
        double sum = 1.0;
        double term = 1.0;
        // Terms are ((x/2)^k / k!)^2; for the betas used here they vanish below 1e-17 within ~30 steps.
        for (int k = 1; term > 1e-17 * sum; k++) {
            double factor = halfX / k;
            term *= factor * factor;
            sum += term;
        }
        return sum;
    }
}
