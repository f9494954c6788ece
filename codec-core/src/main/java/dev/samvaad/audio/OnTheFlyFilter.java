package dev.samvaad.audio;

/**
 * Evaluates the kernel for each output's phase as it is needed, for ratios whose phase count
 * would make a coefficient table too large (e.g. 44100 -> 44101 Hz). Several times slower than
 * {@link TabulatedFilter} per output, with the same response.
 */
final class OnTheFlyFilter implements PolyphaseFilter {

    private final KaiserSincKernel kernel;
    private final int phases;

    OnTheFlyFilter(KaiserSincKernel kernel, int phases) {
        this.kernel = kernel;
        this.phases = phases;
    }

    @Override
    public int taps() {
        return kernel.taps();
    }

    @Override
    public int leadingTaps() {
        return kernel.leadingTaps();
    }

    @Override
    public float apply(float[] samples, int first, int phase) {
        double fraction = phase / (double) phases;
        double weighted = 0.0;
        double weights = 0.0;
        for (int tap = 0; tap < kernel.taps(); tap++) {
            double weight = kernel.weight(tap, fraction);
            weighted += weight * samples[first + tap];
            weights += weight;
        }
        // Dividing by the weight sum gives the same unity DC gain as a normalised table row.
        return (float) (weighted / weights);
    }
}
