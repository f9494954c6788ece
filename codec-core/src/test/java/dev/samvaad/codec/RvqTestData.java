package dev.samvaad.codec;

import java.util.SplittableRandom;

/** Seeded synthetic data for the RVQ tests. */
final class RvqTestData {

    private RvqTestData() {}

    /**
     * {@code count} vectors from a mixture of {@code clusters} Gaussians: centres with standard
     * deviation 3, unit-variance noise around them, so there is structure at several scales.
     */
    static float[][] gaussianMixture(int count, int dim, int clusters, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] centres = gaussian(clusters, dim, 3.0, random);
        float[][] data = new float[count][dim];
        for (int n = 0; n < count; n++) {
            float[] centre = centres[random.nextInt(clusters)];
            for (int d = 0; d < dim; d++) {
                data[n][d] = (float) (centre[d] + nextGaussian(random));
            }
        }
        return data;
    }

    /** {@code count} vectors with independent zero-mean Gaussian coordinates. */
    static float[][] gaussian(int count, int dim, double sigma, SplittableRandom random) {
        float[][] data = new float[count][dim];
        for (float[] row : data) {
            for (int d = 0; d < dim; d++) {
                row[d] = (float) (sigma * nextGaussian(random));
            }
        }
        return data;
    }

    /** Box-Muller; SplittableRandom has no nextGaussian on Java 17. */
    static double nextGaussian(SplittableRandom random) {
        double u = 1.0 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    /** Squared Euclidean distance in double. */
    static double squaredDistance(double[] a, float[] b) {
        double sum = 0;
        for (int d = 0; d < a.length; d++) {
            double diff = a[d] - b[d];
            sum += diff * diff;
        }
        return sum;
    }
}
