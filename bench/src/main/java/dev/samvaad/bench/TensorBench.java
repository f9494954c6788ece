package dev.samvaad.bench;

import dev.samvaad.tensor.FloatKernels;
import dev.samvaad.tensor.Tensor;
import dev.samvaad.tensor.TensorOps;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
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
 * Tensor-core mat-vec and mat-mul: Vector API kernels, plain-loop kernels and ND4J on the same
 * shapes. A {@code size x size} mat-vec reads {@code 4 size^2} bytes of weights, so
 * {@code GB/s = 4 size^2 / time}; a matmul does {@code 2 size^3} flops.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Thread)
public class TensorBench {

    @Param({"256", "1024"})
    int size;

    @Param({"vector", "scalar"})
    String kernels;

    private TensorOps ops;
    private float[] weights;
    private float[] x;
    private float[] y;
    private Tensor a;
    private Tensor b;
    private INDArray ndWeights;
    private INDArray ndX;

    @Setup(Level.Trial)
    public void setUp() {
        FloatKernels k = "vector".equals(kernels)
                ? FloatKernels.vectorized().orElseThrow(() -> new IllegalStateException(
                        "start the benchmark JVM with --add-modules jdk.incubator.vector"))
                : FloatKernels.scalar();
        ops = TensorOps.with(k);
        SplittableRandom rng = new SplittableRandom(1);
        weights = random(rng, size * size);
        x = random(rng, size);
        y = new float[size];
        a = Tensor.wrap(random(rng, size * size), size, size);
        b = Tensor.wrap(random(rng, size * size), size, size);
        ndWeights = Nd4j.create(weights, new long[] {size, size}, 'c');
        ndX = Nd4j.create(x, new long[] {size, 1}, 'c');
    }

    @Benchmark
    public float[] matvec() {
        ops.matvecInto(weights, size, size, x, 0, y, 0);
        return y;
    }

    @Benchmark
    public Tensor matmul() {
        return ops.matmul(a, b);
    }

    /** ND4J (OpenBLAS gemv) on the same mat-vec: per-op overhead included, as a caller sees it. */
    @Benchmark
    public INDArray matvecNd4j() {
        return ndWeights.mmul(ndX);
    }

    private static float[] random(SplittableRandom rng, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return v;
    }
}
