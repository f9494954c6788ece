package dev.samvaad.codec;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * k-means++ seeding: each new entry is a data vector drawn with probability proportional to its
 * squared distance to the nearest entry chosen so far.
 */
final class KMeansPlusPlus {

    /**
     * Seeding looks at no more than this many vectors per entry; k-means++ costs
     * O(vectors * entries * dim), and a sample this size already spreads the entries well.
     */
    static final int SAMPLE_PER_ENTRY = 20;

    private KMeansPlusPlus() {}

    /**
     * Returns a codebook of {@code size} entries ({@code size * dim} floats, row-major) seeded from
     * the first {@code count} vectors of {@code data}. When the sample holds fewer distinct vectors
     * than entries, the remaining entries are uniform draws (duplicates, left for the trainer's
     * dead-entry restarts to move).
     */
    static float[] seed(float[] data, int count, int dim, int size, SplittableRandom random) {
        int[] sample = KMeansSampling.subsample(count, Math.min(count, SAMPLE_PER_ENTRY * size), random);
        float[] nearest = new float[sample.length];
        Arrays.fill(nearest, Float.POSITIVE_INFINITY);
        float[] codebook = new float[size * dim];
        for (int entry = 0; entry < size; entry++) {
            int pick = entry == 0 ? -1 : KMeansSampling.drawProportional(nearest, sample.length, random);
            if (pick < 0) {
                pick = random.nextInt(sample.length);
            }
            int entryOffset = entry * dim;
            System.arraycopy(data, sample[pick] * dim, codebook, entryOffset, dim);
            for (int i = 0; i < sample.length; i++) {
                float distance = RvqVectors.squaredDistance(data, sample[i] * dim, codebook, entryOffset, dim);
                if (distance < nearest[i]) {
                    nearest[i] = distance;
                }
            }
        }
        return codebook;
    }
}
