package dev.samvaad.audio;

import dev.samvaad.tensor.FloatKernels;

/**
 * Precomputed polyphase coefficients: one row of taps per phase, each row normalised to sum to
 * one so that every phase has exactly unity gain at DC.
 */
final class TabulatedFilter implements PolyphaseFilter {
    private static final FloatKernels KERNELS = FloatKernels.best();

    private final int taps;
    private final int leadingTaps;
    private final float[] coefficients;

    TabulatedFilter(KaiserSincKernel kernel, int phases) {
        this.taps = kernel.taps();
        this.leadingTaps = kernel.leadingTaps();
        this.coefficients = new float[phases * taps];
        double[] row = new double[taps];
        for (int phase = 0; phase < phases; phase++) {
            double fraction = phase / (double) phases;
            double sum = 0.0;
            for (int tap = 0; tap < taps; tap++) {
                row[tap] = kernel.weight(tap, fraction);
                sum += row[tap];
            }
            for (int tap = 0; tap < taps; tap++) {
                coefficients[phase * taps + tap] = (float) (row[tap] / sum);
            }
        }
    }

    @Override
    public int taps() {
        return taps;
    }

    @Override
    public int leadingTaps() {
        return leadingTaps;
    }

    @Override
    public float apply(float[] samples, int first, int phase) {
        // One fixed kernel per JVM, so the result does not depend on how the input was chunked.
        return KERNELS.dot(coefficients, phase * taps, samples, first, taps);
    }
}
