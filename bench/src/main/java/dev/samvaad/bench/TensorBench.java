package dev.samvaad.bench;

import dev.samvaad.tensor.FloatKernels;
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
 * The tensor core's linear layer ({@code TensorOps.linear}, the decoder step's mat-vec plus bias)
 * at the shapes of the previous default model ({@code ModelConfig.small(6, 1024)}: width 128,
 * feed-forward 512, 6 heads of 1027 tokens), with the Vector API kernels, the plain loops, and
 * ND4J's mat-vec. Single-threaded.
 *
 * <p>{@code rows x cols} (weights stored {@code [out][in]}): 128x128 attention projection, 512x128
 * feed-forward up, 128x512 feed-forward down, 6162x128 output heads. It reads {@code 4 rows cols}
 * bytes of weights: the summary reports GB/s.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class TensorBench {

    /** Which kernels the pure-Java ops use. */
    @State(Scope.Thread)
    public static class Kernels {
        @Param({"vector", "scalar"})
        String kernels;

        TensorOps ops;

        @Setup(Level.Trial)
        public void setUp() {
            FloatKernels k = "vector".equals(kernels)
                    ? FloatKernels.vectorized().orElseThrow(() -> new IllegalStateException(
                            "start the benchmark JVM with --add-modules jdk.incubator.vector"))
                    : FloatKernels.scalar();
            ops = TensorOps.with(k);
        }
    }

    /** A {@code rows x cols} weight matrix and an input vector. */
    @State(Scope.Thread)
    public static class MatVec {
        @Param({"128x128", "512x128", "128x512", "6162x128"})
        String matvec;

        int rows;
        int cols;
        float[] weights;
        float[] bias;
        float[] x;
        float[] y;
        INDArray ndWeights;
        INDArray ndX;

        @Setup(Level.Trial)
        public void setUp() {
            int[] s = Shapes.parse(matvec, 2);
            rows = s[0];
            cols = s[1];
            SplittableRandom rng = new SplittableRandom(1);
            weights = random(rng, rows * cols);
            bias = random(rng, rows);
            x = random(rng, cols);
            y = new float[rows];
            ndWeights = Nd4j.create(weights, new long[] {rows, cols}, 'c');
            ndX = Nd4j.create(x, new long[] {cols, 1}, 'c');
        }
    }

    @Benchmark
    public float[] matvec(Kernels k, MatVec m) {
        k.ops.linear(m.weights, m.bias, m.cols, m.x, 0, m.y, 0);
        return m.y;
    }

    /** ND4J (OpenBLAS gemv) on the same mat-vec: per-op overhead included, as a caller sees it. */
    @Benchmark
    public INDArray matvecNd4j(MatVec m) {
        return m.ndWeights.mmul(m.ndX);
    }

    static float[] random(SplittableRandom rng, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return v;
    }
}
