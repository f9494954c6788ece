package dev.samvaad.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class MelSpectrogramTest {

    @Test
    void standardUses25MsWindowsAnd10MsHops() {
        MelSpectrogram at16k = MelSpectrogram.standard(16_000);
        MelSpectrogram at22k = MelSpectrogram.standard(22_050);

        assertThat(new int[] {at16k.windowLength(), at16k.hop(), at16k.fftSize(), at16k.nMels()})
                .containsExactly(400, 160, 512, 80);
        assertThat(at16k.fMin()).isZero();
        assertThat(at16k.fMax()).isEqualTo(8_000.0);
        assertThat(new int[] {at22k.windowLength(), at22k.hop(), at22k.fftSize()}).containsExactly(551, 221, 1024);
    }

    @Test
    void frameCountCoversEverySampleWithAtLeastOneFrame() {
        MelSpectrogram mel = MelSpectrogram.standard(16_000);

        // 1 + ceil(max(0, n - 400) / 160)
        assertThat(mel.frameCount(1)).isEqualTo(1);
        assertThat(mel.frameCount(400)).isEqualTo(1);
        assertThat(mel.frameCount(401)).isEqualTo(2);
        assertThat(mel.frameCount(560)).isEqualTo(2);
        assertThat(mel.frameCount(561)).isEqualTo(3);
        assertThat(mel.frameCount(16_000)).isEqualTo(99);
        assertThat(mel.logMel(new float[16_000])).hasNumberOfRows(99);
        assertThat(mel.logMel(new float[1])).hasDimensions(1, 80);
    }

    @Test
    void toneFillsTheMelBandAroundItsFrequency() {
        MelSpectrogram mel = MelSpectrogram.standard(16_000);
        double[] centres = mel.bandCentres();
        int nearest = 0;
        for (int m = 1; m < centres.length; m++) {
            if (Math.abs(centres[m] - 1_000.0) < Math.abs(centres[nearest] - 1_000.0)) {
                nearest = m;
            }
        }

        float[][] logMel = mel.logMel(TestAudio.tone(1_000.0, 16_000, 0.5, 8_000));

        for (float[] frame : logMel) {
            assertThat(argMax(frame)).isEqualTo(nearest);
        }
        // 1 kHz lies inside that band's triangle, between its neighbours' centres.
        assertThat(1_000.0).isBetween(centres[nearest - 1], centres[nearest + 1]);
    }

    @Test
    void silenceSitsAtTheFloor() {
        for (float[] frame : MelSpectrogram.standard(16_000).logMel(new float[1_000])) {
            for (float value : frame) {
                assertThat(value).isEqualTo(-100.0f);
            }
        }
    }

    @Test
    void logMelIsTheDecibelsOfMelPower() {
        MelSpectrogram mel = new MelSpectrogram(8_000, 256, 80, 20, 50.0, 3_500.0);
        float[] noise = TestAudio.gaussianNoise(2_000, 41);

        float[][] power = mel.melPower(noise);
        float[][] logMel = mel.logMel(noise);

        assertThat(mel.windowLength()).isEqualTo(256);
        for (int t = 0; t < power.length; t++) {
            for (int m = 0; m < 20; m++) {
                assertThat(logMel[t][m]).isCloseTo((float) (10 * Math.log10(power[t][m])), within(1e-3f));
            }
        }
    }

    @Test
    void htkMelScale() {
        assertThat(MelSpectrogram.hzToMel(700.0)).isCloseTo(2595.0 * Math.log10(2.0), within(1e-9));
        assertThat(MelSpectrogram.melToHz(MelSpectrogram.hzToMel(3_210.0))).isCloseTo(3_210.0, within(1e-9));
    }

    @Test
    void powerSpectrumMatchesADirectDft() {
        Random random = new Random(42);
        for (int fftSize : new int[] {16, 15, 512}) {
            double[] frame = new double[fftSize - 3];
            for (int i = 0; i < frame.length; i++) {
                frame[i] = random.nextGaussian();
            }
            PowerSpectrum spectrum = new PowerSpectrum(fftSize);
            double[] power = new double[spectrum.bins()];

            spectrum.compute(frame, power);

            assertThat(power).hasSize(fftSize / 2 + 1);
            for (int k = 0; k < power.length; k++) {
                double re = 0.0;
                double im = 0.0;
                for (int i = 0; i < frame.length; i++) {
                    re += frame[i] * Math.cos(2 * Math.PI * k * i / fftSize);
                    im -= frame[i] * Math.sin(2 * Math.PI * k * i / fftSize);
                }
                assertThat(power[k]).as("n %d bin %d", fftSize, k).isCloseTo(re * re + im * im, within(1e-9));
            }
        }
    }

    @Test
    void badArgumentsAreRejected() {
        assertThatThrownBy(() -> new MelSpectrogram(0, 512, 160, 80, 0, 8_000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sampleRate must be positive");
        assertThatThrownBy(() -> new MelSpectrogram(16_000, 512, 0, 80, 0, 8_000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hop must be positive");
        assertThatThrownBy(() -> new MelSpectrogram(16_000, 512, 160, 0, 0, 8_000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nMels must be positive");
        assertThatThrownBy(() -> new MelSpectrogram(16_000, 600, 512, 160, 80, 0, 8_000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("windowLength");
        assertThatThrownBy(() -> new MelSpectrogram(16_000, 512, 160, 80, 0, 9_000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fMax 9000");
        assertThatThrownBy(() -> new MelSpectrogram(16_000, 512, 160, 80, 4_000, 4_000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fMin < fMax");
        assertThatThrownBy(() -> MelSpectrogram.standard(16_000).logMel(new float[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pcm must not be empty");
        assertThatThrownBy(() -> MelSpectrogram.standard(16_000).melPower(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pcm must not be null");
        assertThatThrownBy(() -> MelSpectrogram.standard(16_000).frameCount(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("samples must be positive");
    }

    static int argMax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }
}
