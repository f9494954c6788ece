package dev.samvaad.metrics;

import java.util.Arrays;

/**
 * Dynamic time warping distance between two sequences of feature vectors (e.g. MFCC frames).
 *
 * <p>The cost of aligning frame {@code i} of {@code a} with frame {@code j} of {@code b} is their
 * Euclidean distance. A warping path runs from {@code (0, 0)} to {@code (lenA - 1, lenB - 1)} in
 * steps {@code (1, 0)}, {@code (0, 1)} and {@code (1, 1)}; the distance is the smallest sum of
 * frame costs along such a path divided by {@code lenA + lenB}, so that it does not grow with the
 * length of the sequences. 0 for identical sequences; symmetric in {@code a} and {@code b}.
 * O(lenA lenB) time and O(lenB) memory.
 *
 * <p>Stateless and thread-safe.
 */
public final class Dtw {

    private Dtw() {
    }

    /**
     * DTW distance over all warping paths.
     *
     * @param a frames of one sequence, {@code [lenA][features]}
     * @param b frames of the other, {@code [lenB][features]}
     * @return the smallest path cost divided by {@code lenA + lenB}, {@code >= 0}
     * @throws IllegalArgumentException if a sequence is null or empty, has a null frame, or the
     *     frames do not all have the same number of features
     */
    public static double distance(float[][] a, float[][] b) {
        requireSequences(a, b);
        return align(a, b, Math.max(a.length, b.length));
    }

    /**
     * DTW distance restricted to a Sakoe-Chiba band: cell {@code (i, j)} is allowed when
     * {@code |i * lenB / lenA - j| <= band}, i.e. {@code j} strays at most {@code band} frames
     * from the diagonal. The band is widened to {@code max(band, ceil(lenB / lenA), 1)} so that a
     * path always exists. A band of {@code max(lenA, lenB)} or more gives {@link #distance(float[][],
     * float[][])}. The band is measured in frames of {@code b}, so for sequences of different
     * lengths swapping them can change which paths it admits.
     *
     * @param a    frames of one sequence, {@code [lenA][features]}
     * @param b    frames of the other, {@code [lenB][features]}
     * @param band how far, in frames of {@code b}, a path may stray from the diagonal
     * @return the smallest cost of a path inside the band divided by {@code lenA + lenB}
     * @throws IllegalArgumentException as {@link #distance(float[][], float[][])}, or if
     *     {@code band < 0}
     */
    public static double distance(float[][] a, float[][] b, int band) {
        requireSequences(a, b);
        if (band < 0) {
            throw new IllegalArgumentException("band must not be negative, got " + band);
        }
        int slope = (b.length + a.length - 1) / a.length;
        return align(a, b, Math.max(band, Math.max(slope, 1)));
    }

    private static double align(float[][] a, float[][] b, int band) {
        long lenA = a.length;
        long lenB = b.length;
        double[] previous = new double[b.length];
        double[] current = new double[b.length];
        Arrays.fill(previous, Double.POSITIVE_INFINITY);
        for (int i = 0; i < a.length; i++) {
            Arrays.fill(current, Double.POSITIVE_INFINITY);
            // |i lenB / lenA - j| <= band  <=>  i lenB - band lenA <= j lenA <= i lenB + band lenA
            int from = (int) Math.max(0, ceilDiv(i * lenB - band * lenA, lenA));
            int to = (int) Math.min(lenB - 1, Math.floorDiv(i * lenB + band * lenA, lenA));
            for (int j = from; j <= to; j++) {
                double best;
                if (i == 0 && j == 0) {
                    best = 0.0;
                } else {
                    best = previous[j];
                    if (j > 0) {
                        best = Math.min(best, Math.min(current[j - 1], previous[j - 1]));
                    }
                }
                current[j] = best + euclidean(a[i], b[j]);
            }
            double[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length - 1] / (lenA + lenB);
    }

    private static long ceilDiv(long numerator, long denominator) {
        return -Math.floorDiv(-numerator, denominator);
    }

    private static double euclidean(float[] x, float[] y) {
        double sum = 0.0;
        for (int k = 0; k < x.length; k++) {
            double difference = x[k] - y[k];
            sum += difference * difference;
        }
        return Math.sqrt(sum);
    }

    private static void requireSequences(float[][] a, float[][] b) {
        int features = requireSequence("a", a, -1);
        requireSequence("b", b, features);
    }

    /** Checks one sequence and returns its feature count; {@code features < 0} means any. */
    private static int requireSequence(String name, float[][] sequence, int features) {
        if (sequence == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (sequence.length == 0) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        int expected = features;
        for (int i = 0; i < sequence.length; i++) {
            if (sequence[i] == null) {
                throw new IllegalArgumentException(name + "[" + i + "] must not be null");
            }
            if (expected < 0) {
                expected = sequence[i].length;
            } else if (sequence[i].length != expected) {
                throw new IllegalArgumentException(name + "[" + i + "] has " + sequence[i].length
                        + " features, expected " + expected + " (as " + (features < 0 ? name + "[0]" : "a[0]")
                        + ")");
            }
        }
        return expected;
    }

    /**
     * The candidate nearest {@code query} by {@link #distance}; the first of equally near ones.
     *
     * @param query      frames {@code [len][features]}
     * @param candidates at least one sequence of frames
     * @return the index of the nearest candidate
     * @throws IllegalArgumentException if there is no candidate or a sequence is invalid
     */
    public static int nearest(float[][] query, java.util.List<float[][]> candidates) {
        int best = -1;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (int c = 0; c < candidates.size(); c++) {
            double d = distance(query, candidates.get(c));
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        if (best < 0) {
            throw new IllegalArgumentException("no candidate to compare with");
        }
        return best;
    }
}
