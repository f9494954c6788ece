package dev.samvaad.tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Every kernel implementation this JVM can run, and random-data helpers. */
final class OpsUnderTest {
    private OpsUnderTest() {}

    static List<FloatKernels> kernels() {
        List<FloatKernels> all = new ArrayList<>();
        all.add(FloatKernels.scalar());
        FloatKernels.vectorized().ifPresent(all::add);
        return all;
    }

    static float[] randomArray(SplittableRandom rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return a;
    }
}
