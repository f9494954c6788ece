package dev.samvaad.audio;

/**
 * Computes one output sample from a run of consecutive input samples, for one of the
 * {@code upFactor} fractional positions (phases) an output can have between two inputs.
 */
sealed interface PolyphaseFilter permits PassThroughFilter, TabulatedFilter, OnTheFlyFilter {

    /**
     * Largest coefficient table built eagerly (4 MiB of floats). It holds every pair of common
     * audio rates; beyond it (e.g. 44100 -> 44101 Hz, 44101 phases) kernels are computed per output.
     */
    long MAX_TABLE_COEFFICIENTS = 1L << 20;

    /** Chooses the filter for resampling by the reduced ratio {@code upFactor / downFactor}. */
    static PolyphaseFilter forRatio(int upFactor, int downFactor) {
        if (upFactor == downFactor) {
            return new PassThroughFilter();
        }
        KaiserSincKernel kernel = KaiserSincKernel.forRatio(upFactor, downFactor);
        if ((long) upFactor * kernel.taps() <= MAX_TABLE_COEFFICIENTS) {
            return new TabulatedFilter(kernel, upFactor);
        }
        return new OnTheFlyFilter(kernel, upFactor);
    }

    /** Input samples that contribute to one output sample. */
    int taps();

    /** How many of those taps lie before the input sample at or just before the output's position. */
    int leadingTaps();

    /** Input samples needed after that input sample: {@code taps() - leadingTaps() - 1}. */
    default int trailingTaps() {
        return taps() - leadingTaps() - 1;
    }

    /**
     * The output sample whose taps are {@code samples[first .. first + taps())} and which sits
     * {@code phase / upFactor} of an input sample after {@code samples[first + leadingTaps()]}.
     */
    float apply(float[] samples, int first, int phase);
}
