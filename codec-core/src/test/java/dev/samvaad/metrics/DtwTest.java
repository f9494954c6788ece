package dev.samvaad.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DtwTest {

    private final Random random = new Random(61);

    @Test
    void identicalSequencesAreZeroApart() {
        float[][] a = randomSequence(40, 13);

        assertThat(Dtw.distance(a, a)).isZero();
        assertThat(Dtw.distance(a, a, 0)).isZero();
    }

    @Test
    void smallExampleByHand() {
        float[][] a = {{0}, {1}, {2}};
        float[][] b = {{0}, {2}};

        // Best path (0,0) (1,0) (2,1) or (0,0) (1,1) (2,1): costs 0 + 1 + 0, over 3 + 2 frames.
        assertThat(Dtw.distance(a, b)).isCloseTo(0.2, within(1e-12));
    }

    @Test
    void timeStretchedCopyIsNearAndADifferentSequenceIsFar() {
        float[][] a = randomSequence(50, 13);
        float[][] stretched = new float[125][];
        for (int j = 0; j < stretched.length; j++) {
            stretched[j] = a[j * 2 / 5];
        }
        float[][] other = randomSequence(125, 13);

        double nearDistance = Dtw.distance(a, stretched);
        double farDistance = Dtw.distance(a, other);

        assertThat(nearDistance).isCloseTo(0.0, within(1e-9));
        assertThat(farDistance).isGreaterThan(1.0);
        assertThat(Dtw.distance(a, stretched, 2)).isCloseTo(0.0, within(1e-9));
    }

    @Test
    void distanceIsSymmetric() {
        float[][] a = randomSequence(30, 5);
        float[][] b = randomSequence(47, 5);

        assertThat(Dtw.distance(a, b)).isEqualTo(Dtw.distance(b, a));
    }

    @Test
    void wideBandEqualsFullAlignmentAndNarrowBandCostsMore() {
        float[][] a = randomSequence(30, 5);
        float[][] b = randomSequence(47, 5);
        double full = Dtw.distance(a, b);

        assertThat(Dtw.distance(a, b, 47)).isEqualTo(full);
        assertThat(Dtw.distance(a, b, 1_000)).isEqualTo(full);
        assertThat(Dtw.distance(a, b, 3)).isGreaterThanOrEqualTo(full);
    }

    @Test
    void zeroBandOnEqualLengthsFollowsTheDiagonal() {
        float[][] a = randomSequence(20, 4);
        float[][] b = randomSequence(20, 4);
        double diagonal = 0.0;
        for (int i = 0; i < 20; i++) {
            diagonal += euclidean(a[i], b[i]);
        }

        // Band 0 is widened to 1, so the diagonal is only an upper bound.
        assertThat(Dtw.distance(a, b, 0)).isLessThanOrEqualTo(diagonal / 40 + 1e-12)
                .isGreaterThanOrEqualTo(Dtw.distance(a, b));
        assertThat(Dtw.distance(a, b)).isLessThanOrEqualTo(diagonal / 40 + 1e-12);
    }

    @Test
    void narrowBandAlwaysFindsAPathBetweenVeryDifferentLengths() {
        float[][] shortSequence = randomSequence(7, 3);
        float[][] longSequence = randomSequence(93, 3);

        assertThat(Dtw.distance(shortSequence, longSequence, 0)).isFinite().isGreaterThan(0.0);
        assertThat(Dtw.distance(longSequence, shortSequence, 0)).isFinite().isGreaterThan(0.0);
        assertThat(Dtw.distance(new float[][] {new float[3]}, longSequence, 0)).isFinite();
    }

    @Test
    void randomSequencesBehaveLikeAMetric() {
        for (int trial = 0; trial < 20; trial++) {
            float[][] a = randomSequence(20 + random.nextInt(20), 6);
            float[][] b = randomSequence(20 + random.nextInt(20), 6);
            float[][] c = randomSequence(20 + random.nextInt(20), 6);

            double ab = Dtw.distance(a, b);
            double bc = Dtw.distance(b, c);
            double ac = Dtw.distance(a, c);

            assertThat(ab).isPositive();
            assertThat(ac).isLessThanOrEqualTo(ab + bc);
            // A path visits at least max(lenA, lenB) cells, each no cheaper than the cheapest pair.
            assertThat(ab).isGreaterThanOrEqualTo(
                    Math.max(a.length, b.length) * cheapestPair(a, b) / (a.length + b.length) - 1e-9);
        }
    }

    @Test
    void badArgumentsAreRejected() {
        float[][] a = randomSequence(5, 3);

        assertThatThrownBy(() -> Dtw.distance(null, a))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a must not be null");
        assertThatThrownBy(() -> Dtw.distance(a, new float[0][]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("b must not be empty");
        assertThatThrownBy(() -> Dtw.distance(a, new float[][] {{1, 2, 3}, null}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("b[1] must not be null");
        assertThatThrownBy(() -> Dtw.distance(a, randomSequence(4, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("b[0] has 2 features, expected 3");
        assertThatThrownBy(() -> Dtw.distance(new float[][] {{1, 2}, {1}}, a))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a[1] has 1 features, expected 2");
        assertThatThrownBy(() -> Dtw.distance(a, a, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("band must not be negative");
    }

    private float[][] randomSequence(int frames, int features) {
        float[][] sequence = new float[frames][features];
        for (float[] frame : sequence) {
            for (int k = 0; k < features; k++) {
                frame[k] = (float) random.nextGaussian();
            }
        }
        return sequence;
    }

    private static double cheapestPair(float[][] a, float[][] b) {
        double cheapest = Double.POSITIVE_INFINITY;
        for (float[] x : a) {
            for (float[] y : b) {
                cheapest = Math.min(cheapest, euclidean(x, y));
            }
        }
        return cheapest;
    }

    private static double euclidean(float[] x, float[] y) {
        double sum = 0.0;
        for (int k = 0; k < x.length; k++) {
            sum += (x[k] - y[k]) * (x[k] - y[k]);
        }
        return Math.sqrt(sum);
    }
}
