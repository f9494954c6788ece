package dev.samvaad.codec;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Seeded random choices for k-means training: subsamples and error-weighted draws. */
final class KMeansSampling {

    private KMeansSampling() {}

    /**
     * Returns {@code m} distinct indices from {@code [0, n)}, chosen uniformly, in ascending order
     * (ascending keeps later passes over the data sequential in memory).
     */
    static int[] subsample(int n, int m, SplittableRandom random) {
        int[] indices = new int[n];
        Arrays.setAll(indices, i -> i);
        // Partial Fisher-Yates: the first m slots end up a uniform sample without replacement.
        for (int i = 0; i < m; i++) {
            int j = i + random.nextInt(n - i);
            int swap = indices[i];
            indices[i] = indices[j];
            indices[j] = swap;
        }
        int[] chosen = Arrays.copyOf(indices, m);
        Arrays.sort(chosen);
        return chosen;
    }

    /**
     * Draws an index in {@code [0, count)} with probability proportional to {@code weights[i]}, or
     * returns -1 when every weight is zero. Weights must be non-negative.
     */
    static int drawProportional(float[] weights, int count, SplittableRandom random) {
        double total = 0;
        for (int i = 0; i < count; i++) {
            total += weights[i];
        }
        if (total <= 0) {
            return -1;
        }
        double target = random.nextDouble() * total;
        double cumulative = 0;
        int lastPositive = -1;
        for (int i = 0; i < count; i++) {
            if (weights[i] > 0) {
                cumulative += weights[i];
                lastPositive = i;
                if (cumulative > target) {
                    return i;
                }
            }
        }
        // Rounding can leave the cumulative sum a hair under the target.
        return lastPositive;
    }
}
