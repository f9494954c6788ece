package dev.samvaad.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MfccTest {

    /** Tone plus noise: every mel band well above the power floor, so logs move with gain. */
    private final float[] signal = TestAudio.mix(TestAudio.tone(300.0, 16_000, 0.3, 16_000),
            TestAudio.gaussianNoise(16_000, 51), 15.0);

    @Test
    void thirteenCoefficientsPerMelFrame() {
        Mfcc mfcc = new Mfcc(16_000);

        float[][] features = mfcc.compute(signal);

        assertThat(mfcc.coefficients()).isEqualTo(13);
        assertThat(mfcc.melSpectrogram().nMels()).isEqualTo(40);
        assertThat(features).hasDimensions(mfcc.melSpectrogram().frameCount(signal.length), 13);
    }

    @Test
    void coefficientsAreTheOrthonormalDctOfLogMelPower() {
        Mfcc mfcc = new Mfcc(16_000, 5, 24);
        float[][] power = mfcc.melSpectrogram().melPower(signal);

        float[][] features = mfcc.compute(signal);

        int frame = 17;
        for (int k = 0; k < 5; k++) {
            double expected = 0.0;
            for (int m = 0; m < 24; m++) {
                expected += Math.log(power[frame][m]) * Math.cos(Math.PI * k * (m + 0.5) / 24);
            }
            expected *= Math.sqrt((k == 0 ? 1.0 : 2.0) / 24);
            assertThat(features[frame][k]).isCloseTo((float) expected, within(1e-3f));
        }
    }

    @Test
    void gainMovesOnlyTheZerothCoefficient() {
        Mfcc mfcc = new Mfcc(16_000);
        double scale = 0.3;

        float[][] original = mfcc.compute(signal);
        float[][] scaled = mfcc.compute(TestAudio.scaled(signal, scale));

        // Orthonormal DCT of a constant log offset ln(scale^2) over 40 bands: sqrt(40) ln(scale^2) in c0.
        double c0Shift = Math.sqrt(40) * Math.log(scale * scale);
        for (int t = 0; t < original.length; t++) {
            assertThat(scaled[t][0] - original[t][0]).isCloseTo((float) c0Shift, within(1e-3f));
            for (int k = 1; k < 13; k++) {
                assertThat(scaled[t][k]).isCloseTo(original[t][k], within(1e-3f));
            }
        }
    }

    @Test
    void normalisedCoefficientsHaveZeroMeanAndUnitVariance() {
        float[][] features = new Mfcc(16_000).normalised(TestAudio.speechLike(16_000));

        for (int k = 0; k < 13; k++) {
            double mean = 0.0;
            double meanSquare = 0.0;
            for (float[] frame : features) {
                mean += frame[k];
                meanSquare += frame[k] * frame[k];
            }
            mean /= features.length;
            meanSquare /= features.length;
            assertThat(mean).as("mean of c%d", k).isCloseTo(0.0, within(1e-4));
            assertThat(meanSquare - mean * mean).as("variance of c%d", k).isCloseTo(1.0, within(1e-3));
        }
    }

    @Test
    void constantCoefficientsNormaliseToZero() {
        float[][] singleFrame = new Mfcc(16_000).normalised(new float[100]);

        assertThat(singleFrame).hasDimensions(1, 13);
        for (float value : singleFrame[0]) {
            assertThat(value).isZero();
        }
    }

    @Test
    void badArgumentsAreRejected() {
        assertThatThrownBy(() -> new Mfcc(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sampleRate must be positive");
        assertThatThrownBy(() -> new Mfcc(16_000, 41, 40))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nCoefficients must be in 1 .. nMels");
        assertThatThrownBy(() -> new Mfcc(16_000, 0, 40))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nCoefficients");
        assertThatThrownBy(() -> new Mfcc(16_000, 1, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nMels must be positive");
        assertThatThrownBy(() -> new Mfcc(16_000).compute(new float[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pcm must not be empty");
    }
}
