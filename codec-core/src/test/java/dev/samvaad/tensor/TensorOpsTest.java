package dev.samvaad.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each op against a naive double-precision reference, on random and odd shapes. */
class TensorOpsTest {

    static Stream<Arguments> variants() {
        return OpsUnderTest.variants().stream();
    }

    private static final int[][] MATMUL_SHAPES = {
        {1, 1, 1}, {1, 7, 1}, {3, 5, 7}, {2, 1, 9}, {17, 33, 65}, {64, 64, 64},
        {129, 257, 31}, {5, 300, 600}, {200, 130, 3}, {96, 512, 520},
    };

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void matmulMatchesNaiveTripleLoop(String name, TensorOps ops) {
        SplittableRandom rng = new SplittableRandom(1);
        for (int[] s : MATMUL_SHAPES) {
            int m = s[0], k = s[1], n = s[2];
            Tensor a = OpsUnderTest.random(rng, m, k);
            Tensor b = OpsUnderTest.random(rng, k, n);
            Tensor c = ops.matmul(a, b);
            assertThat(c.shape()).containsExactly(m, n);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double ref = 0;
                    for (int p = 0; p < k; p++) {
                        ref += (double) a.get(i, p) * b.get(p, j);
                    }
                    assertThat((double) c.get(i, j)).as("%s %dx%dx%d at (%d,%d)", name, m, k, n, i, j)
                            .isCloseTo(ref, within(2e-6 * Math.sqrt(k) + 1e-6));
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void matvecMatchesRowDotProducts(String name, TensorOps ops) {
        SplittableRandom rng = new SplittableRandom(2);
        for (int[] s : new int[][] {{1, 1}, {1, 33}, {7, 3}, {31, 17}, {1024, 1024}, {513, 771}}) {
            int n = s[0], k = s[1];
            Tensor w = OpsUnderTest.random(rng, n, k);
            Tensor x = OpsUnderTest.random(rng, k);
            float[] y = ops.matvec(w, x).data();
            assertThat(y).hasSize(n);
            for (int r = 0; r < n; r++) {
                double ref = 0;
                for (int p = 0; p < k; p++) {
                    ref += (double) w.get(r, p) * x.get(p);
                }
                assertThat((double) y[r]).as("%s %dx%d row %d", name, n, k, r)
                        .isCloseTo(ref, within(2e-6 * Math.sqrt(k) + 1e-6));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void matvecIntoWritesOnlyItsOutputSlice(String name, TensorOps ops) {
        SplittableRandom rng = new SplittableRandom(3);
        float[] w = OpsUnderTest.randomArray(rng, 5 * 9);
        float[] x = OpsUnderTest.randomArray(rng, 9 + 4);
        float[] out = new float[5 + 6];
        java.util.Arrays.fill(out, 42f);
        ops.matvecInto(w, 5, 9, x, 4, out, 2);
        for (int i = 0; i < out.length; i++) {
            if (i < 2 || i >= 7) {
                assertThat(out[i]).isEqualTo(42f);
            } else {
                double ref = 0;
                for (int p = 0; p < 9; p++) {
                    ref += (double) w[(i - 2) * 9 + p] * x[4 + p];
                }
                assertThat((double) out[i]).isCloseTo(ref, within(1e-5));
            }
        }
        assertThatThrownBy(() -> ops.matvecInto(w, 5, 9, x, 5, out, 0))
                .isInstanceOf(ShapeException.class).hasMessageContaining("x from 5");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void addAndMulBroadcastTrailingShape(String name, TensorOps ops) {
        SplittableRandom rng = new SplittableRandom(4);
        Tensor a = OpsUnderTest.random(rng, 3, 4, 5);
        Tensor full = OpsUnderTest.random(rng, 3, 4, 5);
        Tensor bias = OpsUnderTest.random(rng, 5);
        Tensor plane = OpsUnderTest.random(rng, 4, 5);
        Tensor sum = ops.add(a, full), biased = ops.add(a, bias), prod = ops.mul(a, plane);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 4; j++) {
                for (int l = 0; l < 5; l++) {
                    assertThat(sum.get(i, j, l)).isCloseTo(a.get(i, j, l) + full.get(i, j, l), within(1e-6f));
                    assertThat(biased.get(i, j, l)).isCloseTo(a.get(i, j, l) + bias.get(l), within(1e-6f));
                    assertThat(prod.get(i, j, l)).isCloseTo(a.get(i, j, l) * plane.get(j, l), within(1e-6f));
                }
            }
        }
        assertThat(ops.scale(a, -2f).get(2, 3, 4)).isEqualTo(a.get(2, 3, 4) * -2f);
        assertThatThrownBy(() -> ops.add(a, OpsUnderTest.random(rng, 4)))
                .isInstanceOf(ShapeException.class).hasMessageContaining("[4]").hasMessageContaining("[3, 4, 5]");
    }

    @Test
    void opsNeverModifyTheirInputs() {
        SplittableRandom rng = new SplittableRandom(5);
        TensorOps ops = TensorOps.create();
        Tensor a = OpsUnderTest.random(rng, 4, 6);
        Tensor b = OpsUnderTest.random(rng, 6);
        float[] aBefore = a.toArray(), bBefore = b.toArray();
        ops.add(a, b);
        ops.mul(a, b);
        ops.scale(a, 3f);
        ops.softmax(a);
        ops.gelu(a);
        ops.silu(a);
        ops.layerNorm(a, b, b, 1e-5f);
        ops.matvec(a, b);
        assertThat(a.data()).containsExactly(aBefore);
        assertThat(b.data()).containsExactly(bBefore);
    }

    @Test
    void softmaxMatchesReferenceAndSurvivesHugeLogits() {
        SplittableRandom rng = new SplittableRandom(6);
        TensorOps ops = TensorOps.create();
        for (int width : new int[] {1, 2, 7, 64, 1027}) {
            Tensor x = ops.scale(OpsUnderTest.random(rng, 3, width), 20f);
            Tensor y = ops.softmax(x);
            for (int r = 0; r < 3; r++) {
                double z = 0;
                for (int i = 0; i < width; i++) {
                    z += Math.exp(x.get(r, i));
                }
                double total = 0;
                for (int i = 0; i < width; i++) {
                    assertThat((double) y.get(r, i)).isCloseTo(Math.exp(x.get(r, i)) / z, within(1e-6));
                    total += y.get(r, i);
                }
                assertThat(total).isCloseTo(1.0, within(1e-5));
            }
        }
        float[] huge = ops.softmax(Tensor.of(new float[] {1000f, 1000f, -1000f}, 3)).data();
        assertThat(huge).containsExactly(new float[] {0.5f, 0.5f, 0f}, within(1e-7f));
    }

    @Test
    void layerNormMatchesDefinition() {
        SplittableRandom rng = new SplittableRandom(8);
        TensorOps ops = TensorOps.create();
        for (int width : new int[] {1, 3, 64, 257}) {
            Tensor x = OpsUnderTest.random(rng, 5, width);
            Tensor gamma = OpsUnderTest.random(rng, width);
            Tensor beta = OpsUnderTest.random(rng, width);
            Tensor y = ops.layerNorm(x, gamma, beta, 1e-5f);
            for (int r = 0; r < 5; r++) {
                double mean = 0, var = 0;
                for (int i = 0; i < width; i++) {
                    mean += x.get(r, i);
                }
                mean /= width;
                for (int i = 0; i < width; i++) {
                    var += Math.pow(x.get(r, i) - mean, 2);
                }
                var /= width;
                for (int i = 0; i < width; i++) {
                    double ref = (x.get(r, i) - mean) / Math.sqrt(var + 1e-5) * gamma.get(i) + beta.get(i);
                    assertThat((double) y.get(r, i)).as("width %d", width).isCloseTo(ref, within(1e-4));
                }
            }
        }
        assertThatThrownBy(() -> ops.layerNorm(Tensor.zeros(2, 4), Tensor.zeros(3), Tensor.zeros(4), 1e-5f))
                .isInstanceOf(ShapeException.class).hasMessageContaining("[4]");
    }

    @Test
    void activationsMatchTheirFormulas() {
        TensorOps ops = TensorOps.create();
        float[] xs = {-8f, -3f, -1f, -0.5f, 0f, 0.25f, 1f, 2.5f, 8f};
        float[] gelu = ops.gelu(Tensor.of(xs, xs.length)).data();
        float[] silu = ops.silu(Tensor.of(xs, xs.length)).data();
        for (int i = 0; i < xs.length; i++) {
            double x = xs[i];
            double g = 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
            assertThat((double) gelu[i]).isCloseTo(g, within(1e-6));
            assertThat((double) silu[i]).isCloseTo(x / (1 + Math.exp(-x)), within(1e-6));
        }
        // Known values: GELU(1) ~ 0.8412 (tanh form), SiLU(1) = 0.7311.
        assertThat(gelu[6]).isCloseTo(0.8412f, within(1e-4f));
        assertThat(silu[6]).isCloseTo(0.7311f, within(1e-4f));
    }

    @Test
    void argmaxPerRowTakesFirstOnTies() {
        TensorOps ops = TensorOps.create();
        Tensor x = Tensor.of(new float[] {1, 3, 3, 0, -1, -2, -1, -5, 0, 0, 0, 0}, 3, 4);
        assertThat(ops.argmax(x)).containsExactly(1, 0, 0);
        SplittableRandom rng = new SplittableRandom(9);
        Tensor r = OpsUnderTest.random(rng, 7, 33);
        int[] idx = ops.argmax(r);
        for (int row = 0; row < 7; row++) {
            for (int i = 0; i < 33; i++) {
                assertThat(r.get(row, i)).isLessThanOrEqualTo(r.get(row, idx[row]));
            }
        }
    }

    @Test
    void gatherCopiesRowsAndRejectsOutOfRangeIds() {
        TensorOps ops = TensorOps.create();
        SplittableRandom rng = new SplittableRandom(10);
        Tensor table = OpsUnderTest.random(rng, 11, 5);
        int[] ids = {3, 0, 10, 3};
        Tensor out = ops.gather(table, ids);
        assertThat(out.shape()).containsExactly(4, 5);
        for (int i = 0; i < ids.length; i++) {
            for (int d = 0; d < 5; d++) {
                assertThat(out.get(i, d)).isEqualTo(table.get(ids[i], d));
            }
        }
        assertThatThrownBy(() -> ops.gather(table, new int[] {1, 11}))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("id 11 at position 1");
    }

    @Test
    void shapeErrorsNameBothShapes() {
        TensorOps ops = TensorOps.create();
        assertThatThrownBy(() -> ops.matmul(Tensor.zeros(2, 3), Tensor.zeros(4, 5)))
                .isInstanceOf(ShapeException.class).hasMessageContaining("[2, 3] x [4, 5]");
        assertThatThrownBy(() -> Tensor.wrap(new float[5], 2, 3))
                .isInstanceOf(ShapeException.class).hasMessageContaining("needs 6 values");
        assertThatThrownBy(() -> Tensor.zeros(2, -1)).isInstanceOf(ShapeException.class);
        assertThatThrownBy(() -> Tensor.zeros(1 << 16, 1 << 16)).isInstanceOf(ShapeException.class)
                .hasMessageContaining("too large");
    }
}
