package dev.samvaad.tensor;

import java.util.Optional;

/**
 * The innermost loops of the tensor core and the codec: dot product and axpy over float array
 * slices, and a bank of cosine oscillators (the codec's harmonic synthesis) in double precision.
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

    /**
     * Adds a bank of harmonic oscillators to {@code acc[0, length)}. Oscillator {@code i} is
     * harmonic {@code k = i + 1} of a fundamental at phase {@code phi} ({@code e^(j phi) = pc + j ps})
     * that turns by {@code omega} a sample ({@code e^(j omega) = wc + j ws}): it starts at phase
     * {@code k phi}, turns by {@code k omega} a sample, and its amplitude ramps linearly from
     * {@code from[i]} by {@code (to[i] - from[i]) / length} a sample; it adds
     * {@code amp(n) cos(k (phi + n omega))} to {@code acc[n]}. Oscillators whose {@code from} and
     * {@code to} are not positive are skipped. Implementations agree to rounding (about 1e-13
     * relative), not bit for bit.
     *
     * @param pc     cosine of the fundamental's phase at sample 0
     * @param ps     sine of the fundamental's phase at sample 0
     * @param wc     cosine of the fundamental's turn per sample
     * @param ws     sine of the fundamental's turn per sample
     * @param from   amplitude of each harmonic at sample 0
     * @param to     amplitude of each harmonic at sample {@code length}
     * @param count  harmonics, the first {@code count} of {@code from} and {@code to}
     * @param acc    the samples added to, in place
     * @param length samples, from index 0
     */
    void addHarmonics(double pc, double ps, double wc, double ws, double[] from, double[] to, int count,
            double[] acc, int length);

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
