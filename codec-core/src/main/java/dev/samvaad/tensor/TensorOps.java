package dev.samvaad.tensor;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * The operations of the pure-Java tensor core. An instance fixes the kernels and, optionally, a
 * {@link ForkJoinPool} that large matrix products are split across; it is immutable and
 * thread-safe. {@code TensorOps.create()} gives the best kernels on the calling thread only.
 *
 * <p>Ops over "the last axis" (softmax, layer norm, argmax) treat a tensor as rows of its last
 * dimension. Binary elementwise ops accept a right operand whose shape is a suffix of the left
 * one's (a bias {@code [D]} added to {@code [T, D]}).
 */
public final class TensorOps {
    /** Below this many multiply-adds a product is not worth handing to other threads. */
    private static final long PARALLEL_MIN_WORK = 1L << 18;
    /** Column and depth block sizes of the matmul: a block of B rows stays in L1/L2 while reused. */
    private static final int COL_BLOCK = 512;
    private static final int DEPTH_BLOCK = 128;

    private final FloatKernels kernels;
    private final ForkJoinPool pool;

    private TensorOps(FloatKernels kernels, ForkJoinPool pool) {
        this.kernels = Objects.requireNonNull(kernels, "kernels");
        this.pool = pool;
    }

    /** {@return ops on the best available kernels, single-threaded} */
    public static TensorOps create() {
        return new TensorOps(FloatKernels.best(), null);
    }

    /**
     * Ops on given kernels, single-threaded.
     *
     * @param kernels e.g. {@link FloatKernels#scalar()} for comparisons
     * @return the ops
     */
    public static TensorOps with(FloatKernels kernels) {
        return new TensorOps(kernels, null);
    }

    /**
     * The same kernels, splitting large products across a pool.
     *
     * @param pool the threads to use; the caller keeps and shuts it down
     * @return the parallel ops
     */
    public TensorOps parallel(ForkJoinPool pool) {
        return new TensorOps(kernels, Objects.requireNonNull(pool, "pool"));
    }

    /** {@return the kernels in use} */
    public FloatKernels kernels() {
        return kernels;
    }

    // ---------------------------------------------------------------- products

    /**
     * Matrix product.
     *
     * @param a {@code [m, k]}
     * @param b {@code [k, n]}
     * @return {@code a x b}, {@code [m, n]}
     * @throws ShapeException if the shapes do not fit
     */
    public Tensor matmul(Tensor a, Tensor b) {
        if (a.rank() != 2 || b.rank() != 2 || a.dim(1) != b.dim(0)) {
            throw new ShapeException("matmul needs [m,k] x [k,n], got "
                    + Arrays.toString(a.shape()) + " x " + Arrays.toString(b.shape()));
        }
        int m = a.dim(0), k = a.dim(1), n = b.dim(1);
        float[] out = new float[m * n];
        float[] ad = a.data(), bd = b.data();
        forRows(m, (long) m * k * n, (from, to) -> matmulRows(ad, bd, out, from, to, k, n));
        return Tensor.wrap(out, m, n);
    }

    private void matmulRows(float[] a, float[] b, float[] c, int rowFrom, int rowTo, int k, int n) {
        for (int j0 = 0; j0 < n; j0 += COL_BLOCK) {
            int width = Math.min(COL_BLOCK, n - j0);
            for (int p0 = 0; p0 < k; p0 += DEPTH_BLOCK) {
                int pEnd = Math.min(k, p0 + DEPTH_BLOCK);
                for (int i = rowFrom; i < rowTo; i++) {
                    int cRow = i * n + j0;
                    for (int p = p0; p < pEnd; p++) {
                        float aip = a[i * k + p];
                        if (aip != 0f) {
                            kernels.axpy(aip, b, p * n + j0, c, cRow, width);
                        }
                    }
                }
            }
        }
    }

    /**
     * Matrix-vector product: one dot product per row of {@code w}.
     *
     * @param w {@code [n, k]}
     * @param x {@code [k]}
     * @return {@code [n]}
     * @throws ShapeException if the shapes do not fit
     */
    public Tensor matvec(Tensor w, Tensor x) {
        if (w.rank() != 2 || x.rank() != 1 || w.dim(1) != x.dim(0)) {
            throw new ShapeException("matvec needs [n,k] x [k], got "
                    + Arrays.toString(w.shape()) + " x " + Arrays.toString(x.shape()));
        }
        float[] out = new float[w.dim(0)];
        matvecInto(w.data(), w.dim(0), w.dim(1), x.data(), 0, out, 0);
        return Tensor.wrap(out, w.dim(0));
    }

    /**
     * Allocation-free mat-vec for hot loops: {@code out[outOff + r] = dot(w row r, x[xOff..])} for
     * a row-major {@code w} of {@code rows x cols}.
     *
     * @param w      the matrix, row-major
     * @param rows   its rows
     * @param cols   its columns
     * @param x      holds the vector
     * @param xOff   start of the vector ({@code cols} values)
     * @param out    receives the result
     * @param outOff where the {@code rows} results go
     * @throws ShapeException if a slice lies outside its array
     */
    public void matvecInto(float[] w, int rows, int cols, float[] x, int xOff, float[] out, int outOff) {
        if ((long) rows * cols > w.length || xOff + cols > x.length || outOff + rows > out.length) {
            throw new ShapeException("matvecInto: " + rows + "x" + cols + " weights (array " + w.length
                    + "), x from " + xOff + " (array " + x.length + "), out from " + outOff
                    + " (array " + out.length + ")");
        }
        forRows(rows, (long) rows * cols, (from, to) -> {
            for (int r = from; r < to; r++) {
                out[outOff + r] = kernels.dot(w, r * cols, x, xOff, cols);
            }
        });
    }

    // ---------------------------------------------------------------- elementwise

    /**
     * Elementwise sum.
     *
     * @param a any shape
     * @param b the shape of {@code a} or a suffix of it, broadcast over the leading axes
     * @return {@code a + b}, shaped as {@code a}
     * @throws ShapeException if {@code b}'s shape is not a suffix of {@code a}'s
     */
    public Tensor add(Tensor a, Tensor b) {
        float[] out = a.toArray();
        float[] bd = broadcastOperand(a, b, "add");
        for (int off = 0; off < out.length; off += bd.length) {
            kernels.axpy(1f, bd, 0, out, off, bd.length);
        }
        return Tensor.wrap(out, a.shape());
    }

    /**
     * Elementwise product.
     *
     * @param a any shape
     * @param b the shape of {@code a} or a suffix of it, broadcast over the leading axes
     * @return {@code a * b}, shaped as {@code a}
     * @throws ShapeException if {@code b}'s shape is not a suffix of {@code a}'s
     */
    public Tensor mul(Tensor a, Tensor b) {
        float[] out = a.toArray();
        float[] bd = broadcastOperand(a, b, "mul");
        for (int i = 0; i < out.length; i++) {
            out[i] *= bd[i % bd.length];
        }
        return Tensor.wrap(out, a.shape());
    }

    /**
     * Scales every element.
     *
     * @param a any shape
     * @param s the factor
     * @return {@code a * s}
     */
    public Tensor scale(Tensor a, float s) {
        float[] out = a.toArray();
        for (int i = 0; i < out.length; i++) {
            out[i] *= s;
        }
        return Tensor.wrap(out, a.shape());
    }

    /**
     * GELU, tanh approximation: {@code 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}.
     *
     * @param a any shape
     * @return GELU of every element
     */
    public Tensor gelu(Tensor a) {
        float[] out = a.toArray();
        for (int i = 0; i < out.length; i++) {
            out[i] = gelu(out[i]);
        }
        return Tensor.wrap(out, a.shape());
    }

    /**
     * SiLU (swish): {@code x * sigmoid(x)}.
     *
     * @param a any shape
     * @return SiLU of every element
     */
    public Tensor silu(Tensor a) {
        float[] out = a.toArray();
        for (int i = 0; i < out.length; i++) {
            out[i] = silu(out[i]);
        }
        return Tensor.wrap(out, a.shape());
    }

    static float gelu(float x) {
        double inner = 0.7978845608028654 * (x + 0.044715 * x * x * x);
        return (float) (0.5 * x * (1.0 + Math.tanh(inner)));
    }

    static float silu(float x) {
        return (float) (x / (1.0 + Math.exp(-x)));
    }

    // ---------------------------------------------------------------- over the last axis

    /**
     * Softmax over the last axis (max-subtracted, so large logits do not overflow).
     *
     * @param a rows of logits
     * @return rows of probabilities, shaped as {@code a}
     */
    public Tensor softmax(Tensor a) {
        float[] out = a.toArray();
        int width = a.lastDim();
        for (int off = 0; off < out.length; off += width) {
            softmaxInPlace(out, off, width);
        }
        return Tensor.wrap(out, a.shape());
    }

    /**
     * Softmax of a slice, in place.
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
     * Layer normalisation over the last axis: {@code (x - mean) / sqrt(var + eps) * gamma + beta},
     * with the population variance, as in the usual transformer definition.
     *
     * @param a     rows to normalise
     * @param gamma gain, {@code [D]}
     * @param beta  bias, {@code [D]}
     * @param eps   added to the variance
     * @return the normalised rows, shaped as {@code a}
     * @throws ShapeException if {@code gamma} or {@code beta} is not {@code [D]}
     */
    public Tensor layerNorm(Tensor a, Tensor gamma, Tensor beta, float eps) {
        int width = a.lastDim();
        if (gamma.rank() != 1 || beta.rank() != 1 || gamma.dim(0) != width || beta.dim(0) != width) {
            throw new ShapeException("layerNorm over last axis " + width + " needs gamma and beta of shape ["
                    + width + "], got " + Arrays.toString(gamma.shape()) + " and " + Arrays.toString(beta.shape()));
        }
        float[] out = a.toArray();
        float[] g = gamma.data(), b = beta.data();
        for (int off = 0; off < out.length; off += width) {
            double mean = 0;
            for (int i = 0; i < width; i++) {
                mean += out[off + i];
            }
            mean /= width;
            double var = 0;
            for (int i = 0; i < width; i++) {
                double d = out[off + i] - mean;
                var += d * d;
            }
            float inv = (float) (1.0 / Math.sqrt(var / width + eps));
            float m = (float) mean;
            for (int i = 0; i < width; i++) {
                out[off + i] = (out[off + i] - m) * inv * g[i] + b[i];
            }
        }
        return Tensor.wrap(out, a.shape());
    }

    /**
     * Argmax along the last axis.
     *
     * @param a rows of values
     * @return per row, the index of the largest value (the first on ties)
     */
    public int[] argmax(Tensor a) {
        int width = a.lastDim();
        if (width == 0) {
            throw new ShapeException("argmax over an empty last axis: " + Arrays.toString(a.shape()));
        }
        int[] out = new int[a.rows()];
        float[] d = a.data();
        for (int r = 0; r < out.length; r++) {
            out[r] = argmax(d, r * width, width);
        }
        return out;
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

    // ---------------------------------------------------------------- lookup

    /**
     * Embedding lookup.
     *
     * @param table {@code [V, D]}
     * @param ids   row indices in {@code [0, V)}
     * @return those rows, {@code [ids.length, D]}
     * @throws IndexOutOfBoundsException if an id is out of range
     */
    public Tensor gather(Tensor table, int[] ids) {
        if (table.rank() != 2) {
            throw new ShapeException("gather needs a [V, D] table, got " + Arrays.toString(table.shape()));
        }
        int vocab = table.dim(0), width = table.dim(1);
        float[] out = new float[ids.length * width];
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= vocab) {
                throw new IndexOutOfBoundsException("id " + ids[i] + " at position " + i
                        + " outside the table's " + vocab + " rows");
            }
            System.arraycopy(table.data(), ids[i] * width, out, i * width, width);
        }
        return Tensor.wrap(out, ids.length, width);
    }

    // ---------------------------------------------------------------- helpers

    private static float[] broadcastOperand(Tensor a, Tensor b, String op) {
        int[] as = a.shape(), bs = b.shape();
        boolean suffix = bs.length <= as.length
                && Arrays.equals(bs, Arrays.copyOfRange(as, as.length - bs.length, as.length));
        if (!suffix || (b.size() == 0 && a.size() != 0)) {
            throw new ShapeException(op + ": shape " + Arrays.toString(bs)
                    + " does not broadcast onto " + Arrays.toString(as));
        }
        return b.data();
    }

    @FunctionalInterface
    private interface RowRange {
        void run(int from, int to);
    }

    /** Runs {@code body} over rows [0, rows), split across the pool when the work is large. */
    private void forRows(int rows, long work, RowRange body) {
        int parts = pool == null ? 1 : Math.min(rows, pool.getParallelism());
        if (parts <= 1 || work < PARALLEL_MIN_WORK) {
            body.run(0, rows);
            return;
        }
        pool.invoke(new RowTask(body, 0, rows, Math.max(1, (rows + parts - 1) / parts)));
    }

    private static final class RowTask extends RecursiveAction {
        private static final long serialVersionUID = 1L;
        private final transient RowRange body;
        private final int from;
        private final int to;
        private final int grain;

        RowTask(RowRange body, int from, int to, int grain) {
            this.body = body;
            this.from = from;
            this.to = to;
            this.grain = grain;
        }

        @Override
        protected void compute() {
            if (to - from <= grain) {
                body.run(from, to);
                return;
            }
            int mid = (from + to) >>> 1;
            invokeAll(new RowTask(body, from, mid, grain), new RowTask(body, mid, to, grain));
        }
    }
}
