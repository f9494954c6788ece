package dev.samvaad.tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.params.provider.Arguments;

/** Every kernel/threading combination the tests run each op under, and random-data helpers. */
final class OpsUnderTest {
    /** Shared by the test JVM only; three workers so row splits are uneven. */
    static final ForkJoinPool POOL = new ForkJoinPool(3);

    private OpsUnderTest() {}

    static List<FloatKernels> kernels() {
        List<FloatKernels> all = new ArrayList<>();
        all.add(FloatKernels.scalar());
        FloatKernels.vectorized().ifPresent(all::add);
        return all;
    }

    /** Named (kernels, threading) variants for parameterized tests. */
    static List<Arguments> variants() {
        List<Arguments> out = new ArrayList<>();
        for (FloatKernels k : kernels()) {
            out.add(Arguments.of(k.name() + "/1-thread", TensorOps.with(k)));
            out.add(Arguments.of(k.name() + "/pool-3", TensorOps.with(k).parallel(POOL)));
        }
        return out;
    }

    static float[] randomArray(SplittableRandom rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return a;
    }

    static Tensor random(SplittableRandom rng, int... shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return Tensor.wrap(randomArray(rng, n), shape);
    }
}
