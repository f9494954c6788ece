package dev.samvaad.audio;

/**
 * Precomputed polyphase coefficients: one row of taps per phase, each row normalised to sum to
 * one so that every phase has exactly unity gain at DC.
 */
final class TabulatedFilter implements PolyphaseFilter {

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
        int row = phase * taps;
        // Four independent sums break the add-latency chain; the order is fixed, so results are
        // reproducible however the input was chunked.
        float sum0 = 0f;
        float sum1 = 0f;
        float sum2 = 0f;
        float sum3 = 0f;
        int tap = 0;
        for (; tap + 3 < taps; tap += 4) {
            sum0 += coefficients[row + tap] * samples[first + tap];
            sum1 += coefficients[row + tap + 1] * samples[first + tap + 1];
            sum2 += coefficients[row + tap + 2] * samples[first + tap + 2];
            sum3 += coefficients[row + tap + 3] * samples[first + tap + 3];
        }
        for (; tap < taps; tap++) {
            sum0 += coefficients[row + tap] * samples[first + tap];
        }
        return (sum0 + sum1) + (sum2 + sum3);
    }
}
