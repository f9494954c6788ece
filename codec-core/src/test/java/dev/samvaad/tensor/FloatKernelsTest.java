package dev.samvaad.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FloatKernelsTest {

    static Iterable<FloatKernels> kernels() {
        return OpsUnderTest.kernels();
    }

    @Test
    void vectorApiIsChosenExactlyWhenTheModuleIsLoaded() {
        boolean moduleLoaded = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        assertThat(FloatKernels.vectorized().isPresent()).isEqualTo(moduleLoaded);
    }

    @Test
    void buildSaysWhichPathThisRunMustExercise() {
        // Surefire runs these tests twice: with --add-modules (vector) and without (fallback).
        String expected = System.getProperty("samvaad.test.expectVectorApi");
        assertThat(expected).as("set by the surefire configuration").isIn("true", "false");
        if (Boolean.parseBoolean(expected)) {
            assertThat(FloatKernels.best().name()).startsWith("vector-");
        } else {
            assertThat(FloatKernels.vectorized()).isEmpty();
            assertThat(FloatKernels.best().name()).isEqualTo("scalar");
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void dotMatchesNaiveSumOnOddLengthsAndOffsets(FloatKernels k) {
        SplittableRandom rng = new SplittableRandom(7);
        for (int length : new int[] {0, 1, 3, 7, 15, 16, 17, 31, 33, 63, 100, 1023, 1024, 1025}) {
            int aOff = rng.nextInt(5), bOff = rng.nextInt(5);
            float[] a = OpsUnderTest.randomArray(rng, length + aOff + 3);
            float[] b = OpsUnderTest.randomArray(rng, length + bOff + 3);
            double expected = 0;
            for (int i = 0; i < length; i++) {
                expected += (double) a[aOff + i] * b[bOff + i];
            }
            assertThat((double) k.dot(a, aOff, b, bOff, length))
                    .as("%s length %d", k.name(), length)
                    .isCloseTo(expected, within(1e-5 * Math.sqrt(length + 1)));
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void axpyTouchesExactlyTheSliceAndAddsScaledValues(FloatKernels k) {
        SplittableRandom rng = new SplittableRandom(11);
        for (int length : new int[] {0, 1, 5, 16, 17, 49, 257}) {
            int xOff = rng.nextInt(4), yOff = rng.nextInt(4);
            float[] x = OpsUnderTest.randomArray(rng, length + xOff + 2);
            float[] y = OpsUnderTest.randomArray(rng, length + yOff + 2);
            float[] before = y.clone();
            float alpha = -1.75f;
            k.axpy(alpha, x, xOff, y, yOff, length);
            for (int i = 0; i < y.length; i++) {
                boolean inSlice = i >= yOff && i < yOff + length;
                float expected = inSlice ? before[i] + alpha * x[xOff + i - yOff] : before[i];
                assertThat(y[i]).as("%s length %d index %d", k.name(), length, i)
                        .isCloseTo(expected, within(1e-6f));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void addHarmonicsAddsRampedCosinesOfEverySoundingHarmonic(FloatKernels k) {
        SplittableRandom rng = new SplittableRandom(13);
        for (int length : new int[] {1, 7, 8, 13, 80, 160}) {
            for (int count : new int[] {0, 1, 5, 134}) {
                double omega = 2 * Math.PI * (60 + 400 * rng.nextDouble()) / 16_000;
                double phi = rng.nextDouble() * 2 * Math.PI;
                double[] from = new double[count], to = new double[count];
                for (int i = 0; i < count; i++) {
                    // silent, fading in, fading out, steady, and a negative (treated as silent) start
                    int kind = i % 5;
                    from[i] = kind == 0 || kind == 1 ? 0 : kind == 4 ? -1 : rng.nextDouble();
                    to[i] = kind == 0 || kind == 2 ? 0 : rng.nextDouble();
                }
                double[] acc = new double[length + 3];
                acc[length] = 42; // past the slice: untouched
                for (int n = 0; n < length; n++) {
                    acc[n] = n;
                }
                k.addHarmonics(Math.cos(phi), Math.sin(phi), Math.cos(omega), Math.sin(omega), from, to, count, acc, length);
                for (int n = 0; n < length; n++) {
                    double expected = n;
                    for (int i = 0; i < count; i++) {
                        if (from[i] > 0 || to[i] > 0) {
                            expected += (from[i] + n * (to[i] - from[i]) / length)
                                    * Math.cos((i + 1) * (phi + n * omega));
                        }
                    }
                    assertThat(acc[n]).as("%s length %d count %d sample %d", k.name(), length, count, n)
                            .isCloseTo(expected, within(1e-12 * (count + 1) * (n + 1)));
                }
                assertThat(acc[length]).isEqualTo(42);
            }
        }
    }
}
