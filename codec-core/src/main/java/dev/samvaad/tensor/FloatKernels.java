package dev.samvaad.tensor;

import java.util.Optional;

/**
 * The innermost float loops of the tensor core: dot product and axpy over array slices.
 *
 * <p>Two implementations exist: one on the Vector API ({@code jdk.incubator.vector}), used when
 * the JVM was started with {@code --add-modules jdk.incubator.vector}, and plain loops otherwise.
 * {@link #best()} picks at run time, so a program that embeds Samvaad without that flag still
 * works, only slower. Implementations are stateless and thread-safe.
 */
public interface FloatKernels {

    /** Returns {@code sum(a[aOff + i] * b[bOff + i])} for {@code i < length}. */
    float dot(float[] a, int aOff, float[] b, int bOff, int length);

    /** Adds {@code alpha * x[xOff + i]} to {@code y[yOff + i]} for {@code i < length}. */
    void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int length);

    /** A short name for logs and benchmark reports, e.g. {@code "vector-512"} or {@code "scalar"}. */
    String name();

    /**
     * The fastest kernels this JVM can run. The system property {@code samvaad.kernels=scalar}
     * forces the plain loops (for comparisons and debugging).
     */
    static FloatKernels best() {
        return KernelSelection.BEST;
    }

    /** Plain Java loops; always available. */
    static FloatKernels scalar() {
        return ScalarKernels.INSTANCE;
    }

    /** Vector API kernels, or empty when the JVM was started without the incubator module. */
    static Optional<FloatKernels> vectorized() {
        return KernelSelection.vectorized();
    }
}
