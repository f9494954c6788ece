package dev.samvaad.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LogMelDistanceTest {

    private final float[] reference = TestAudio.speechLike(16_000);

    @Test
    void identicalSignalsAreZeroApart() {
        assertThat(LogMelDistance.compute(reference, reference.clone(), 16_000)).isZero();
    }

    @Test
    void distanceIsSymmetric() {
        float[] noisy = TestAudio.withWhiteNoise(reference, 10.0, 31);

        assertThat(LogMelDistance.compute(noisy, reference, 16_000))
                .isEqualTo(LogMelDistance.compute(reference, noisy, 16_000))
                .isGreaterThan(1.0);
    }

    @Test
    void differencesFarBelowTheFrameMaximumAreIgnored() {
        float[] tone = TestAudio.tone(1_000.0, 16_000, 0.5, 16_000);
        // White noise 110 dB below the tone: audible nowhere next to it.
        float[] faintNoise = TestAudio.mix(tone, TestAudio.gaussianNoise(tone.length, 32), 110.0);
        float[] audibleNoise = TestAudio.mix(tone, TestAudio.gaussianNoise(tone.length, 32), 30.0);

        assertThat(LogMelDistance.compute(tone, faintNoise, 16_000)).isLessThan(0.1);
        assertThat(LogMelDistance.compute(tone, audibleNoise, 16_000)).isGreaterThan(10.0);
    }

    @Test
    void aGainChangeShowsAsItsLevelDifference() {
        // Every band moves by 20 log10(2) dB, and nothing falls below the floor in a pure tone+noise.
        float[] signal = TestAudio.mix(TestAudio.tone(440.0, 16_000, 0.5, 16_000),
                TestAudio.gaussianNoise(16_000, 33), 20.0);

        assertThat(LogMelDistance.compute(signal, TestAudio.scaled(signal, 2.0), 16_000))
                .isCloseTo(20.0 * Math.log10(2.0), within(1e-3));
    }

    @Test
    void longerSignalIsCutToTheShorter() {
        float[] noisy = TestAudio.withWhiteNoise(reference, 10.0, 34);
        double expected = LogMelDistance.compute(reference, noisy, 16_000);

        assertThat(LogMelDistance.compute(reference, TestAudio.concat(noisy, new float[3_000]), 16_000))
                .isEqualTo(expected);
    }

    @Test
    void badArgumentsAreRejected() {
        assertThatThrownBy(() -> LogMelDistance.compute(null, reference, 16_000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reference must not be null");
        assertThatThrownBy(() -> LogMelDistance.compute(reference, new float[0], 16_000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("test must not be empty");
        assertThatThrownBy(() -> LogMelDistance.compute(reference, reference, -16_000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sampleRate must be positive");
    }
}
