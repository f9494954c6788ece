package dev.samvaad.metrics;

/**
 * Scale-invariant signal-to-noise ratio (SI-SNR, also called SI-SDR), in dB.
 *
 * <p>Both signals are cut to the shorter length and have their means removed. The estimate
 * {@code e} is split into its projection on the reference {@code r}, the target {@code s = (<e,r>
 * / <r,r>) r}, and the rest {@code n = e - s}; SI-SNR is {@code 10 log10(||s||^2 / ||n||^2)}.
 * Scaling the estimate by any non-zero factor leaves it unchanged. The result is clamped to
 * [-100, 100] dB: an estimate equal to the reference up to scale (and float rounding) gives 100, an
 * estimate that is silent or orthogonal to the reference gives -100.
 *
 * <p>Stateless and thread-safe.
 */
public final class SiSnr {

    /** Bound on the magnitude of the result, in dB. */
    public static final double LIMIT_DB = 100.0;

    private static final double LIMIT_RATIO = Math.pow(10.0, LIMIT_DB / 10.0);

    private SiSnr() {
    }

    /**
     * SI-SNR of {@code estimate} against {@code reference}; signals of different length are cut to
     * the shorter one.
     *
     * @param reference the clean signal
     * @param estimate  the signal to score
     * @return SI-SNR in dB, in [-100, 100]; higher is better
     * @throws IllegalArgumentException if a signal is null or empty, or the reference is silent (all
     *     samples equal, so nothing is left after removing the mean)
     */
    public static double compute(float[] reference, float[] estimate) {
        Signals.requireSignal("reference", reference);
        Signals.requireSignal("estimate", estimate);
        int length = Math.min(reference.length, estimate.length);
        double referenceMean = mean(reference, length);
        double estimateMean = mean(estimate, length);
        double referenceEnergy = 0.0;
        double estimateEnergy = 0.0;
        double crossProduct = 0.0;
        for (int i = 0; i < length; i++) {
            double r = reference[i] - referenceMean;
            double e = estimate[i] - estimateMean;
            referenceEnergy += r * r;
            estimateEnergy += e * e;
            crossProduct += r * e;
        }
        if (referenceEnergy == 0.0) {
            throw new IllegalArgumentException("reference is silent (constant over its first " + length
                    + " samples); SI-SNR is undefined");
        }
        // ||s||^2 = <e,r>^2 / ||r||^2 and, s being orthogonal to n, ||n||^2 = ||e||^2 - ||s||^2.
        double targetEnergy = crossProduct * crossProduct / referenceEnergy;
        double residualEnergy = Math.max(0.0, estimateEnergy - targetEnergy);
        // Tested first so that a silent estimate (both energies 0) scores worst, not best.
        if (residualEnergy >= targetEnergy * LIMIT_RATIO) {
            return -LIMIT_DB;
        }
        if (targetEnergy >= residualEnergy * LIMIT_RATIO) {
            return LIMIT_DB;
        }
        return 10.0 * Math.log10(targetEnergy / residualEnergy);
    }

    private static double mean(float[] signal, int length) {
        double sum = 0.0;
        for (int i = 0; i < length; i++) {
            sum += signal[i];
        }
        return sum / length;
    }
}
