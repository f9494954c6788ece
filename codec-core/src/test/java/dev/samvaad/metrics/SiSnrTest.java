package dev.samvaad.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SiSnrTest {

    private final float[] reference = TestAudio.speechLike(16_000);

    @Test
    void identicalSignalsReachTheCap() {
        assertThat(SiSnr.compute(reference, reference)).isEqualTo(100.0);
        assertThat(SiSnr.compute(reference, reference.clone())).isEqualTo(SiSnr.LIMIT_DB);
    }

    @Test
    void knownMixtureScoresItsSnr() {
        float[] mixture = TestAudio.withWhiteNoise(reference, 10.0, 21);

        assertThat(SiSnr.compute(reference, mixture)).isCloseTo(10.0, within(0.2));
    }

    @Test
    void scaleOffsetAndSignOfTheEstimateDoNotMatter() {
        float[] mixture = TestAudio.withWhiteNoise(reference, 5.0, 22);
        double score = SiSnr.compute(reference, mixture);

        assertThat(SiSnr.compute(reference, TestAudio.scaled(mixture, 0.5))).isCloseTo(score, within(1e-9));
        assertThat(SiSnr.compute(reference, TestAudio.scaled(mixture, -3.0))).isCloseTo(score, within(1e-5));
        float[] offset = mixture.clone();
        for (int i = 0; i < offset.length; i++) {
            offset[i] += 0.25f;
        }
        assertThat(SiSnr.compute(reference, offset)).isCloseTo(score, within(1e-3));
    }

    @Test
    void longerSignalIsCutToTheShorter() {
        float[] mixture = TestAudio.withWhiteNoise(reference, 5.0, 23);
        double expected = SiSnr.compute(reference, mixture);

        assertThat(SiSnr.compute(reference, TestAudio.concat(mixture, new float[] {1f, -1f})))
                .isEqualTo(expected);
        assertThat(SiSnr.compute(TestAudio.concat(reference, new float[] {1f}), mixture)).isEqualTo(expected);
    }

    @Test
    void silentOrOrthogonalEstimateScoresTheFloor() {
        assertThat(SiSnr.compute(reference, new float[reference.length])).isEqualTo(-100.0);
        float[] dc = new float[reference.length];
        Arrays.fill(dc, 0.3f);
        assertThat(SiSnr.compute(reference, dc)).isEqualTo(-SiSnr.LIMIT_DB);
    }

    @Test
    void badArgumentsAreRejected() {
        float[] constant = new float[100];
        Arrays.fill(constant, 0.5f);

        assertThatThrownBy(() -> SiSnr.compute(new float[100], reference))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reference is silent");
        assertThatThrownBy(() -> SiSnr.compute(constant, reference))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reference is silent");
        assertThatThrownBy(() -> SiSnr.compute(null, reference))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reference must not be null");
        assertThatThrownBy(() -> SiSnr.compute(reference, new float[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("estimate must not be empty");
    }
}
