package dev.samvaad.tensor;

import java.util.Objects;

/**
 * The transformer ops of the pure-Java tensor core, over slices of float arrays so that a
 * decoder step allocates nothing: linear layers, layer norm, tanh GELU, softmax and argmax. An
 * instance fixes the {@link FloatKernels} the linear layers run on; it is immutable and
 * thread-safe. The ops that need no kernels are static.
 *
 * <p>These are the exact formulas of the SameDiff training graph (population variance in the layer
 * norm, the tanh approximation of GELU); the fast decoder's tests hold them to it.
 */
public final class TensorOps {
    private static final double SQRT_2_OVER_PI = 0.7978845608028654;

    private final FloatKernels kernels;

    private TensorOps(FloatKernels kernels) {
        this.kernels = Objects.requireNonNull(kernels, "kernels");
    }

    /** {@return ops on the best available kernels} */
    public static TensorOps create() {
        return new TensorOps(FloatKernels.best());
    }

    /**
     * Ops on given kernels.
     *
     * @param kernels e.g. {@link FloatKernels#scalar()} for comparisons
     * @return the ops
     */
    public static TensorOps with(FloatKernels kernels) {
        return new TensorOps(kernels);
    }

    /** {@return the kernels in use} */
    public FloatKernels kernels() {
        return kernels;
    }

    /**
     * A linear layer on one row, {@code y = x W + b}, with {@code W} stored transposed
     * ({@code wt}, {@code [out][in]} row-major) so each output is one contiguous dot product.
     *
     * @param wt   the transposed weights, {@code out * in} values
     * @param bias {@code out} values
     * @param in   the input width
     * @param x    holds the input row
     * @param xOff where it starts
     * @param y    receives the output row
     * @param yOff where its {@code bias.length} values go
     * @throws ShapeException if a slice lies outside its array
     */
    public void linear(float[] wt, float[] bias, int in, float[] x, int xOff, float[] y, int yOff) {
        int out = bias.length;
        if ((long) out * in != wt.length || xOff < 0 || xOff + in > x.length || yOff < 0 || yOff + out > y.length) {
            throw new ShapeException("linear " + in + " -> " + out + ": weights of " + wt.length + " values, x from "
                    + xOff + " (array " + x.length + "), y from " + yOff + " (array " + y.length + ")");
        }
        for (int r = 0; r < out; r++) {
            y[yOff + r] = kernels.dot(wt, r * in, x, xOff, in) + bias[r];
        }
    }

    /**
     * Layer normalisation of one row: {@code (x - mean) / sqrt(var + eps) * gamma + beta}, with the
     * population variance; mean and variance in double.
     *
     * @param x      holds the row
     * @param xOff   where it starts
     * @param gamma  the gain, one value a column (its length is the row's width)
     * @param beta   the bias, as long as {@code gamma}
     * @param eps    added to the variance
     * @param out    receives the normalised row (may be {@code x} itself)
     * @param outOff where it goes
     */
    public static void layerNorm(float[] x, int xOff, float[] gamma, float[] beta, float eps, float[] out, int outOff) {
        int d = gamma.length;
        double mean = 0;
        for (int i = 0; i < d; i++) {
            mean += x[xOff + i];
        }
        mean /= d;
        double var = 0;
        for (int i = 0; i < d; i++) {
            double c = x[xOff + i] - mean;
            var += c * c;
        }
        double inv = 1.0 / Math.sqrt(var / d + eps);
        for (int i = 0; i < d; i++) {
            out[outOff + i] = (float) ((x[xOff + i] - mean) * inv) * gamma[i] + beta[i];
        }
    }

    /**
     * GELU, tanh approximation, of a slice in place:
     * {@code 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}, computed in double.
     *
     * @param v      holds the slice
     * @param off    start of the slice
     * @param length its length
     */
    public static void geluInPlace(float[] v, int off, int length) {
        for (int i = off; i < off + length; i++) {
            double x = v[i];
            v[i] = (float) (0.5 * x * (1.0 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x))));
        }
    }

    /**
     * Softmax of a slice, in place (max-subtracted, so large logits do not overflow).
     *
     * @param v      holds the slice
     * @param off    start of the slice
     * @param length its length
     */
    public static void softmaxInPlace(float[] v, int off, int length) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = off; i < off + length; i++) {
            max = Math.max(max, v[i]);
        }
        double sum = 0;
        for (int i = off; i < off + length; i++) {
            float e = (float) Math.exp(v[i] - max);
            v[i] = e;
            sum += e;
        }
        float inv = (float) (1.0 / sum);
        for (int i = off; i < off + length; i++) {
            v[i] *= inv;
        }
    }

    /**
     * Argmax of a slice.
     *
     * @param v      holds the slice
     * @param off    start of the slice
     * @param length its length
     * @return the index, relative to {@code off}, of the largest value (the first on ties)
     */
    public static int argmax(float[] v, int off, int length) {
        int best = 0;
        for (int i = 1; i < length; i++) {
            if (v[off + i] > v[off + best]) {
                best = i;
            }
        }
        return best;
    }
}
