package dev.samvaad.dsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BandLayoutTest {
    private final BandLayout bands = BandLayout.speech16k();

    @Test
    void expInterpolateSpacedIsTheExpOfTheInterpolatedEnvelope() {
        SplittableRandom rng = new SplittableRandom(5);
        float[] perBand = new float[2 + bands.bands()];
        for (int i = 0; i < perBand.length; i++) {
            perBand[i] = (float) (3 * rng.nextGaussian());
        }
        for (double spacing : new double[] {25, 61.3, 100, 137.7, 449, 3000}) {
            for (double factor : new double[] {1, 0.5}) {
                for (int first : new int[] {0, 1}) {
                    int count = (int) (9000 / spacing); // past the last centre too
                    double[] out = new double[count + 1];
                    out[count] = -1;
                    bands.expInterpolateSpaced(perBand, 2, factor, spacing, first, count, out);
                    for (int i = 0; i < count; i++) {
                        double expected = Math.exp(factor * bands.interpolate(perBand, 2, (first + i) * spacing));
                        assertThat(out[i]).as("spacing %s, factor %s, frequency %d", spacing, factor, first + i)
                                .isCloseTo(expected, within(1e-13 * expected));
                    }
                    assertThat(out[count]).isEqualTo(-1);
                }
            }
        }
    }

    @Test
    void weightsComeFromTheSegmentAndFraction() {
        for (double hz = 0; hz <= 8000; hz += 37.5) {
            int j = bands.segment(hz);
            double t = bands.fraction(hz, j);
            assertThat(bands.weight(j, hz)).isEqualTo(1 - t);
            if (j + 1 < bands.bands()) {
                assertThat(bands.weight(j + 1, hz)).isEqualTo(t);
            }
        }
    }

    @Test
    void spacingMustBePositive() {
        assertThatThrownBy(() -> bands.expInterpolateSpaced(new float[bands.bands()], 0, 1, 0, 1, 2, new double[2]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("spacing");
    }
}
