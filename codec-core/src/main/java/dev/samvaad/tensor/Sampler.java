package dev.samvaad.tensor;

import java.util.SplittableRandom;

/**
 * Draws a token from logits with temperature and top-k, from its own seeded random stream, so a
 * generation is reproducible from its seed. One sampler per generation stream; not thread-safe.
 */
public final class Sampler {
    private final SplittableRandom random;
    private final float temperature;
    private final int topK;

    /**
     * @param seed        seed of this sampler's random stream
     * @param temperature {@code 0} for greedy (argmax); otherwise logits are divided by it
     * @param topK        keep only the {@code topK} largest logits; {@code 0} keeps all
     */
    public Sampler(long seed, float temperature, int topK) {
        if (!(temperature >= 0f) || Float.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be finite and >= 0, got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("topK must be >= 0 (0 = all), got " + topK);
        }
        this.random = new SplittableRandom(seed);
        this.temperature = temperature;
        this.topK = topK;
    }

    /** {@return a greedy sampler: always the argmax, no randomness} */
    public static Sampler greedy() {
        return new Sampler(0L, 0f, 0);
    }

    /**
     * Samples from a slice of logits.
     *
     * @param logits holds the slice
     * @param off    start of the slice
     * @param length its length, positive
     * @return an index relative to {@code off}
     */
    public int sample(float[] logits, int off, int length) {
        if (length <= 0) {
            throw new IllegalArgumentException("cannot sample from " + length + " logits");
        }
        if (temperature == 0f || topK == 1) {
            return TensorOps.argmax(logits, off, length);
        }
        int keep = topK == 0 ? length : Math.min(topK, length);
        // Without a top-k cut every index is a candidate, in order; no sort needed.
        int[] candidates = keep == length ? identity(length) : largest(logits, off, length, keep);
        float max = logits[off + TensorOps.argmax(logits, off, length)];
        double[] weights = new double[keep];
        double total = 0;
        for (int i = 0; i < keep; i++) {
            weights[i] = Math.exp((logits[off + candidates[i]] - max) / temperature);
            total += weights[i];
        }
        double u = random.nextDouble() * total;
        for (int i = 0; i < keep; i++) {
            u -= weights[i];
            if (u < 0) {
                return candidates[i];
            }
        }
        return candidates[keep - 1];
    }

    /**
     * Samples from a whole array of logits.
     *
     * @param logits unnormalised log-probabilities
     * @return an index of {@code logits}
     */
    public int sample(float[] logits) {
        return sample(logits, 0, logits.length);
    }

    private static int[] identity(int n) {
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = i;
        }
        return ids;
    }

    /**
     * Indices of the {@code k} largest values, largest first, lower index first on ties.
     * Insertion into a sorted prefix: O(n k), and k is small in practice.
     */
    static int[] largest(float[] v, int off, int length, int k) {
        int[] top = new int[k];
        int filled = 0;
        for (int i = 0; i < length; i++) {
            float x = v[off + i];
            if (filled == k && !(x > v[off + top[k - 1]])) {
                continue;
            }
            int pos = filled < k ? filled++ : k - 1;
            while (pos > 0 && x > v[off + top[pos - 1]]) {
                top[pos] = top[pos - 1];
                pos--;
            }
            top[pos] = i;
        }
        return top;
    }
}
