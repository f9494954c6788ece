package dev.samvaad.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CtcTest {

    @Test
    void theLossIsMinusTheLogOfEveryAlignmentsProbabilitySummed() {
        SplittableRandom rng = new SplittableRandom(3);
        for (int[] target : new int[][] {{1}, {1, 2}, {2, 2}, {1, 2, 1}, {}}) {
            int positions = 5, width = 3;
            float[] logits = random(rng, positions * width);
            double brute = 0;
            for (int[] path : paths(positions, width)) {
                if (java.util.Arrays.equals(collapse(path), target)) {
                    double p = 1;
                    for (int t = 0; t < positions; t++) {
                        p *= softmax(logits, t * width, width)[path[t]];
                    }
                    brute += p;
                }
            }
            assertThat(Ctc.loss(logits, 0, positions, width, target, null, 1))
                    .as(java.util.Arrays.toString(target)).isCloseTo(-Math.log(brute), within(1e-5));
        }
    }

    @Test
    void theGradientMatchesFiniteDifferences() {
        SplittableRandom rng = new SplittableRandom(5);
        int positions = 9, width = 5, offset = 4;
        int[] target = {1, 3, 3, 2};
        float[] logits = random(rng, offset + positions * width);
        float[] gradient = new float[logits.length];
        Ctc.loss(logits, offset, positions, width, target, gradient, 0.5);
        for (int i = offset; i < logits.length; i++) {
            float keep = logits[i];
            logits[i] = keep + 1e-3f;
            double up = Ctc.loss(logits, offset, positions, width, target, null, 1);
            logits[i] = keep - 1e-3f;
            double down = Ctc.loss(logits, offset, positions, width, target, null, 1);
            logits[i] = keep;
            assertThat(gradient[i]).as("logit %d", i).isCloseTo((float) (0.5 * (up - down) / 2e-3), within(2e-3f));
        }
        for (int i = 0; i < offset; i++) {
            assertThat(gradient[i]).isZero();
        }
    }

    @Test
    void aTargetLongerThanThePositionsAllowIsInfiniteAndAddsNoGradient() {
        float[] logits = random(new SplittableRandom(1), 3 * 4);
        float[] gradient = new float[logits.length];
        assertThat(Ctc.loss(logits, 0, 3, 4, new int[] {1, 1}, gradient, 1)).isFinite(); // 1 blank 1
        assertThat(Ctc.loss(logits, 0, 2, 4, new int[] {1, 1}, new float[logits.length], 1)).isInfinite();
        assertThat(Ctc.loss(logits, 0, 3, 4, new int[] {1, 2, 3, 1}, gradient = new float[logits.length], 1)).isInfinite();
        assertThat(gradient).containsOnly(0f);
        assertThatThrownBy(() -> Ctc.loss(logits, 0, 3, 4, new int[] {4}, null, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside [1, 4)");
    }

    private static float[] random(SplittableRandom rng, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (rng.nextDouble() * 4 - 2);
        }
        return x;
    }

    private static double[] softmax(float[] x, int from, int n) {
        double[] p = new double[n];
        double sum = 0;
        for (int k = 0; k < n; k++) {
            p[k] = Math.exp(x[from + k]);
            sum += p[k];
        }
        for (int k = 0; k < n; k++) {
            p[k] /= sum;
        }
        return p;
    }

    private static List<int[]> paths(int positions, int width) {
        List<int[]> out = new ArrayList<>();
        int total = (int) Math.pow(width, positions);
        for (int code = 0; code < total; code++) {
            int[] path = new int[positions];
            for (int t = 0, c = code; t < positions; t++, c /= width) {
                path[t] = c % width;
            }
            out.add(path);
        }
        return out;
    }

    /** Merges repeats, then drops blanks. */
    private static int[] collapse(int[] path) {
        List<Integer> out = new ArrayList<>();
        for (int t = 0; t < path.length; t++) {
            if (path[t] != 0 && (t == 0 || path[t] != path[t - 1])) {
                out.add(path[t]);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
