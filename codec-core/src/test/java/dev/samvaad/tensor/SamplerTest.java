package dev.samvaad.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SamplerTest {
    private static final float[] LOGITS = {0.5f, 2.0f, -1.0f, 1.2f, 1.9f, -3f, 0f};

    @Test
    void zeroTemperatureAndTopOneAreGreedy() {
        assertThat(new Sampler(1, 0f, 0).sample(LOGITS)).isEqualTo(1);
        assertThat(new Sampler(1, 5f, 1).sample(LOGITS)).isEqualTo(1);
        assertThat(Sampler.greedy().sample(LOGITS, 2, 4)).isEqualTo(2); // slice {-1, 1.2, 1.9, -3}
    }

    @Test
    void sameSeedGivesSameSequence() {
        int[] a = draw(new Sampler(42, 1f, 0), 200);
        int[] b = draw(new Sampler(42, 1f, 0), 200);
        int[] c = draw(new Sampler(43, 1f, 0), 200);
        assertThat(a).containsExactly(b);
        assertThat(a).isNotEqualTo(c);
    }

    @Test
    void frequenciesFollowTemperedSoftmax() {
        for (float temperature : new float[] {0.5f, 1f, 2f}) {
            int draws = 40_000;
            int[] counts = new int[LOGITS.length];
            Sampler sampler = new Sampler(7, temperature, 0);
            for (int i = 0; i < draws; i++) {
                counts[sampler.sample(LOGITS)]++;
            }
            double[] p = softmax(LOGITS, temperature);
            for (int i = 0; i < LOGITS.length; i++) {
                // 5 standard deviations of a binomial count, so a seeded run sits well inside.
                double sd = Math.sqrt(draws * p[i] * (1 - p[i]));
                assertThat((double) counts[i]).as("T=%s index %d", temperature, i)
                        .isCloseTo(draws * p[i], within(5 * sd + 1));
            }
        }
    }

    @Test
    void topKOnlyReturnsTheKLargestWithRenormalisedProbabilities() {
        int draws = 30_000;
        int[] counts = new int[LOGITS.length];
        Sampler sampler = new Sampler(3, 1f, 3);
        for (int i = 0; i < draws; i++) {
            counts[sampler.sample(LOGITS)]++;
        }
        // The three largest logits are at 1 (2.0), 4 (1.9), 3 (1.2).
        double z = Math.exp(2.0) + Math.exp(1.9) + Math.exp(1.2);
        assertThat(counts[0] + counts[2] + counts[5] + counts[6]).isZero();
        assertThat(counts[1] / (double) draws).isCloseTo(Math.exp(2.0) / z, within(0.015));
        assertThat(counts[4] / (double) draws).isCloseTo(Math.exp(1.9) / z, within(0.015));
        assertThat(counts[3] / (double) draws).isCloseTo(Math.exp(1.2) / z, within(0.015));
    }

    @Test
    void largestMatchesSortOnRandomInputs() {
        SplittableRandom rng = new SplittableRandom(5);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + rng.nextInt(60);
            int k = 1 + rng.nextInt(n);
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = rng.nextInt(10); // many ties
            }
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (x, y) -> v[y] != v[x] ? Float.compare(v[y], v[x]) : Integer.compare(x, y));
            int[] expected = Arrays.stream(order).limit(k).mapToInt(Integer::intValue).toArray();
            assertThat(Sampler.largest(v, 0, n, k)).containsExactly(expected);
        }
    }

    @Test
    void invalidSettingsAreRefused() {
        assertThatThrownBy(() -> new Sampler(1, -0.1f, 0)).hasMessageContaining("temperature");
        assertThatThrownBy(() -> new Sampler(1, Float.NaN, 0)).hasMessageContaining("temperature");
        assertThatThrownBy(() -> new Sampler(1, 1f, -2)).hasMessageContaining("topK");
        assertThatThrownBy(() -> Sampler.greedy().sample(new float[0])).hasMessageContaining("0 logits");
    }

    private static int[] draw(Sampler s, int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = s.sample(LOGITS);
        }
        return out;
    }

    private static double[] softmax(float[] logits, float t) {
        double[] p = new double[logits.length];
        double z = 0;
        for (int i = 0; i < logits.length; i++) {
            p[i] = Math.exp(logits[i] / t);
            z += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= z;
        }
        return p;
    }
}
