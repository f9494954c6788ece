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

    /**
     * Dot product of two slices.
     *
     * @param a      first array
     * @param aOff   start of its slice
     * @param b      second array
     * @param bOff   start of its slice
     * @param length elements in each slice
     * @return {@code sum(a[aOff + i] * b[bOff + i])} for {@code i < length}
     */
    float dot(float[] a, int aOff, float[] b, int bOff, int length);

    /**
     * Adds {@code alpha * x[xOff + i]} to {@code y[yOff + i]} for {@code i < length}.
     *
     * @param alpha  the scale
     * @param x      the array added
     * @param xOff   start of its slice
     * @param y      the array added to, in place
     * @param yOff   start of its slice
     * @param length elements in each slice
     */
    void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int length);

    /** {@return a short name for logs and benchmark reports, e.g. {@code "vector-512"} or {@code "scalar"}} */
    String name();

    /**
     * The fastest kernels this JVM can run. The system property {@code samvaad.kernels=scalar}
     * forces the plain loops (for comparisons and debugging).
     *
     * @return the kernels chosen once per JVM
     */
    static FloatKernels best() {
        return KernelSelection.BEST;
    }

    /** {@return plain Java loops; always available} */
    static FloatKernels scalar() {
        return ScalarKernels.INSTANCE;
    }

    /** {@return Vector API kernels, or empty when the JVM was started without the incubator module} */
    static Optional<FloatKernels> vectorized() {
        return KernelSelection.vectorized();
    }
}
