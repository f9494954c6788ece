package dev.samvaad.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each op against a naive double-precision reference, on odd widths and offsets. */
class TensorOpsTest {

    static List<FloatKernels> kernels() {
        return OpsUnderTest.kernels();
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void linearIsOneDotPerOutputPlusBias(FloatKernels kernels) {
        TensorOps ops = TensorOps.with(kernels);
        SplittableRandom rng = new SplittableRandom(1);
        for (int[] s : new int[][] {{1, 1}, {7, 1}, {1, 9}, {33, 17}, {128, 128}, {130, 515}}) {
            int in = s[0], out = s[1];
            float[] wt = OpsUnderTest.randomArray(rng, out * in);
            float[] bias = OpsUnderTest.randomArray(rng, out);
            float[] x = OpsUnderTest.randomArray(rng, in + 3);
            float[] y = new float[out + 5];
            Arrays.fill(y, 42f);

            ops.linear(wt, bias, in, x, 3, y, 2);

            for (int r = 0; r < out; r++) {
                double ref = bias[r];
                for (int i = 0; i < in; i++) {
                    ref += (double) wt[r * in + i] * x[3 + i];
                }
                assertThat((double) y[2 + r]).as("%s, %dx%d, output %d", kernels.name(), in, out, r)
                        .isCloseTo(ref, within(1e-4 * Math.sqrt(in)));
            }
            assertThat(y[0]).isEqualTo(42f);
            assertThat(y[1]).isEqualTo(42f);
            assertThat(Arrays.copyOfRange(y, 2 + out, y.length)).containsOnly(42f);
        }
    }

    @Test
    void linearRefusesSlicesOutsideTheirArrays() {
        TensorOps ops = TensorOps.create();
        float[] wt = new float[12], bias = new float[3];
        assertThatThrownBy(() -> ops.linear(wt, bias, 5, new float[5], 0, new float[3], 0))
                .isInstanceOf(ShapeException.class).hasMessageContaining("weights of 12 values");
        assertThatThrownBy(() -> ops.linear(wt, bias, 4, new float[5], 2, new float[3], 0))
                .isInstanceOf(ShapeException.class).hasMessageContaining("x from 2 (array 5)");
        assertThatThrownBy(() -> ops.linear(wt, bias, 4, new float[4], 0, new float[3], 1))
                .isInstanceOf(ShapeException.class).hasMessageContaining("y from 1 (array 3)");
    }

    @Test
    void layerNormMatchesDefinitionAndWritesOnlyItsRow() {
        SplittableRandom rng = new SplittableRandom(8);
        for (int width : new int[] {1, 3, 64, 257}) {
            float[] x = OpsUnderTest.randomArray(rng, width + 2);
            float[] gamma = OpsUnderTest.randomArray(rng, width), beta = OpsUnderTest.randomArray(rng, width);
            float[] y = new float[width + 4];
            Arrays.fill(y, 7f);

            TensorOps.layerNorm(x, 2, gamma, beta, 1e-5f, y, 1);

            double mean = 0, var = 0;
            for (int i = 0; i < width; i++) {
                mean += x[2 + i];
            }
            mean /= width;
            for (int i = 0; i < width; i++) {
                var += Math.pow(x[2 + i] - mean, 2);
            }
            var /= width;
            for (int i = 0; i < width; i++) {
                double ref = (x[2 + i] - mean) / Math.sqrt(var + 1e-5) * gamma[i] + beta[i];
                assertThat((double) y[1 + i]).as("width %d", width).isCloseTo(ref, within(1e-5));
            }
            assertThat(y[0]).isEqualTo(7f);
            assertThat(Arrays.copyOfRange(y, 1 + width, y.length)).containsOnly(7f);
        }
    }

    @Test
    void layerNormMayOverwriteItsInput() {
        float[] x = {1f, 2f, 3f, 4f};
        float[] gamma = {1f, 1f, 1f, 1f}, beta = {0f, 0f, 0f, 0f};
        float[] apart = new float[4];
        TensorOps.layerNorm(x, 0, gamma, beta, 1e-5f, apart, 0);

        TensorOps.layerNorm(x, 0, gamma, beta, 1e-5f, x, 0);

        assertThat(x).containsExactly(apart);
    }

    @Test
    void geluIsTheTanhApproximationOnItsSliceOnly() {
        float[] xs = {99f, -8f, -3f, -1f, -0.5f, 0f, 0.25f, 1f, 2.5f, 8f, 99f};
        float[] gelu = xs.clone();

        TensorOps.geluInPlace(gelu, 1, xs.length - 2);

        for (int i = 1; i < xs.length - 1; i++) {
            double x = xs[i];
            double g = 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
            assertThat((double) gelu[i]).isCloseTo(g, within(1e-6));
        }
        // Known value of the tanh form: GELU(1) ~ 0.8412.
        assertThat(gelu[7]).isCloseTo(0.8412f, within(1e-4f));
        assertThat(gelu[0]).isEqualTo(99f);
        assertThat(gelu[xs.length - 1]).isEqualTo(99f);
    }

    @Test
    void softmaxMatchesReferenceAndSurvivesHugeLogits() {
        SplittableRandom rng = new SplittableRandom(6);
        for (int width : new int[] {1, 2, 7, 64, 1027}) {
            float[] x = OpsUnderTest.randomArray(rng, width + 1);
            for (int i = 0; i < x.length; i++) {
                x[i] *= 20f;
            }
            float[] y = x.clone();

            TensorOps.softmaxInPlace(y, 1, width);

            double z = 0;
            for (int i = 1; i <= width; i++) {
                z += Math.exp(x[i]);
            }
            double total = 0;
            for (int i = 1; i <= width; i++) {
                assertThat((double) y[i]).isCloseTo(Math.exp(x[i]) / z, within(1e-6));
                total += y[i];
            }
            assertThat(total).isCloseTo(1.0, within(1e-5));
            assertThat(y[0]).isEqualTo(x[0]);
        }
        float[] huge = {1000f, 1000f, -1000f};
        TensorOps.softmaxInPlace(huge, 0, 3);
        assertThat(huge).containsExactly(new float[] {0.5f, 0.5f, 0f}, within(1e-7f));
    }

    @Test
    void argmaxIsRelativeToTheSliceAndTakesTheFirstOnTies() {
        float[] v = {9f, 1f, 3f, 3f, 0f, 9f};
        assertThat(TensorOps.argmax(v, 1, 4)).isEqualTo(1);
        assertThat(TensorOps.argmax(v, 0, 6)).isZero();
        assertThat(TensorOps.argmax(v, 4, 1)).isZero();
    }
}
