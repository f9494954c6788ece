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
 * 256 MiB is out of the caches (the figure the roofline uses); 8 MiB is past L2 but
 * inside a large L3, where the decoder's 5.5 MB of weights and cache live between steps.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
@State(Scope.Thread)
public class MemoryBench {
    @Param({"256", "8"})
    int mib;

    private float[] src;
    private float[] dst;
    private float[] a;
    private float[] b;
    private FloatKernels kernels;

    @Setup(Level.Trial)
    public void setUp() {
        int floats = mib * (1 << 20) / Float.BYTES;
        src = new float[floats];
        dst = new float[floats];
        Arrays.fill(src, 1f);
        a = new float[floats / 2];
        b = new float[floats / 2];
        Arrays.fill(a, 0.5f);
        Arrays.fill(b, 2f);
        kernels = FloatKernels.best();
    }

    @Benchmark
    public float[] copy() {
        System.arraycopy(src, 0, dst, 0, src.length);
        return dst;
    }

    @Benchmark
    public float read() {
        return kernels.dot(a, 0, b, 0, a.length);
    }
}
