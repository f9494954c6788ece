package dev.samvaad.bench;

import dev.samvaad.tensor.FloatKernels;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Memory bandwidth of one thread, the roofline the decoder step is compared with
 * ({@link DecoderRoofline}):
 *
 * <ul>
 *   <li>{@code copy}: {@code System.arraycopy} of {@code mib} MiB of floats; moves
 *       {@code 2 x mib} MiB (read + write, the STREAM "copy" convention);
 *   <li>{@code read}: the tensor core's SIMD dot product over two arrays of {@code mib / 2} MiB
 *       each, which reads {@code mib} MiB (the access pattern of a mat-vec).
 * </ul>
 *
 * 512 MiB is out of the caches, even this machine's large L3 (the figure the roofline uses);
 * 8 MiB is past L2 but inside L3, where the decoder's 5.5 MB of weights and cache live between
 * steps.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
public class MemoryBench {

    /** Two arrays of {@code mib} MiB. */
    @State(Scope.Thread)
    public static class Copy {
        @Param({"512", "8"})
        int mib;

        float[] src;
        float[] dst;

        @Setup(Level.Trial)
        public void setUp() {
            src = new float[mib * (1 << 20) / Float.BYTES];
            dst = new float[src.length];
            Arrays.fill(src, 1f);
        }
    }

    /** Two arrays of {@code mib / 2} MiB. */
    @State(Scope.Thread)
    public static class Read {
        @Param({"512", "8"})
        int mib;

        float[] a;
        float[] b;
        final FloatKernels kernels = FloatKernels.best();

        @Setup(Level.Trial)
        public void setUp() {
            a = new float[mib * (1 << 20) / Float.BYTES / 2];
            b = new float[a.length];
            Arrays.fill(a, 0.5f);
            Arrays.fill(b, 2f);
        }
    }

    @Benchmark
    public float[] copy(Copy s) {
        System.arraycopy(s.src, 0, s.dst, 0, s.src.length);
        return s.dst;
    }

    @Benchmark
    public float read(Read s) {
        return s.kernels.dot(s.a, 0, s.b, 0, s.a.length);
    }
}
