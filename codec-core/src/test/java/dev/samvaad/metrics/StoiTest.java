package dev.samvaad.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.jtransforms.fft.DoubleFFT_1D;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class StoiTest {

    private static final Logger LOG = LoggerFactory.getLogger(StoiTest.class);

    @Test
    void identicalSignalsScoreOne() {
        float[] clean = TestAudio.speechLike(16_000);

        assertThat(Stoi.compute(clean, clean, 16_000)).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void sameContentAtDifferentSampleRatesScoresAlike() {
        int[] rates = {16_000, 22_050, 8_000};
        double[] scores = new double[rates.length];
        for (int r = 0; r < rates.length; r++) {
            float[] clean = TestAudio.speechLike(rates[r]);
            float[] noise = TestAudio.rateIndependentNoise(rates[r], clean.length, 7);
            scores[r] = Stoi.compute(clean, TestAudio.mix(clean, noise, 0.0), rates[r]);
        }
        LOG.info("STOI at 0 dB SNR, 16 / 22.05 / 8 kHz input: {}", Arrays.toString(scores));

        assertThat(scores[0]).isBetween(0.4, 0.95);
        assertThat(scores[1]).isCloseTo(scores[0], within(0.03));
        assertThat(scores[2]).isCloseTo(scores[0], within(0.03));
    }

    @Test
    void bandEnvelopesCarryTheScore() {
        int sampleRate = 16_000;
        float[] clean = Arrays.copyOf(TestAudio.speechLike(sampleRate), 1 << 16);
        float[] vocoded = NoiseVocoder.vocode(clean, sampleRate, 15, new Random(3));
        float[] sameSpectrumNoise = NoiseVocoder.randomisePhase(clean, new Random(4));

        double vocodedScore = Stoi.compute(clean, vocoded, sampleRate);
        double noiseScore = Stoi.compute(clean, sameSpectrumNoise, sampleRate);
        LOG.info("STOI of a 15-band noise vocoder {}, of noise with the same spectrum {}", vocodedScore, noiseScore);

        assertThat(vocodedScore).isGreaterThan(0.7).isGreaterThan(noiseScore + 0.3);
        // Not near 0: where the clean envelope dips between syllables, clipping at 6.6 times the
        // clean envelope pulls even unrelated noise towards it.
        assertThat(noiseScore).isLessThan(0.45);
    }

    @Test
    void silentStretchesDoNotCount() {
        int sampleRate = 16_000;
        float[] clean = TestAudio.speechLike(sampleRate);
        float[] longerClean = TestAudio.concat(new float[sampleRate], clean);
        float[] noise = TestAudio.gaussianNoise(longerClean.length, 11);
        float[] longerNoisy = TestAudio.mix(longerClean, noise, 10.0);
        float[] noisy = Arrays.copyOfRange(longerNoisy, sampleRate, longerNoisy.length);

        assertThat(Stoi.compute(longerClean, longerNoisy, sampleRate))
                .isCloseTo(Stoi.compute(clean, noisy, sampleRate), within(0.01));
    }

    @Test
    void longerSignalIsCutToTheShorter() {
        float[] clean = TestAudio.speechLike(16_000);
        float[] noisy = TestAudio.withWhiteNoise(clean, 5.0, 5);
        float[] noisyWithTail = TestAudio.concat(noisy, TestAudio.gaussianNoise(8_000, 6));

        double expected = Stoi.compute(clean, noisy, 16_000);

        assertThat(Stoi.compute(clean, noisyWithTail, 16_000)).isEqualTo(expected);
        assertThat(Stoi.compute(TestAudio.concat(clean, new float[4_000]), noisy, 16_000)).isEqualTo(expected);
    }

    @Test
    void thirdOctaveBandsMatchPystoi() {
        ThirdOctaveBands bands = new ThirdOctaveBands(10_000, 512, 15, 150.0);

        // pystoi thirdoct(10000, 512, 15, 150): bins of width 19.53 Hz, upper edge excluded.
        assertThat(bands.bands()).isEqualTo(15);
        assertThat(bands.lowBin(0)).isEqualTo(7);
        assertThat(bands.highBin(0)).isEqualTo(9);
        assertThat(bands.lowBin(14)).isEqualTo(174);
        assertThat(bands.highBin(14)).isEqualTo(219);
        for (int band = 1; band < 15; band++) {
            assertThat(bands.lowBin(band)).isEqualTo(bands.highBin(band - 1));
        }
    }

    @Test
    void tooLittleSpeechIsRejected() {
        float[] clean = TestAudio.speechLike(16_000);
        // 0.4 s in all, of which only the voiced part from 0.3 s survives silence removal.
        float[] shortClip = Arrays.copyOf(clean, 6_400);

        assertThatThrownBy(() -> Stoi.compute(shortClip, shortClip, 16_000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("too short");
        assertThatThrownBy(() -> Stoi.compute(new float[100], new float[100], 16_000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("silent");
        float[] click = new float[200];
        click[10] = 0.5f;
        assertThatThrownBy(() -> Stoi.compute(click, click, 16_000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("too short");
    }

    @Test
    void badArgumentsAreRejected() {
        float[] signal = TestAudio.speechLike(16_000);

        assertThatThrownBy(() -> Stoi.compute(null, signal, 16_000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clean must not be null");
        assertThatThrownBy(() -> Stoi.compute(signal, null, 16_000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("processed must not be null");
        assertThatThrownBy(() -> Stoi.compute(new float[0], signal, 16_000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clean must not be empty");
        assertThatThrownBy(() -> Stoi.compute(signal, signal, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sampleRate must be positive");
        assertThatThrownBy(() -> Stoi.compute(new float[20_000], signal, 16_000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("clean signal is silent");
    }

    /** Noise vocoding and phase randomisation, done on the whole signal's spectrum. */
    private static final class NoiseVocoder {

        /**
         * Replaces the fine structure in each of {@code bands} log-spaced bands (100 Hz .. 4.5 kHz)
         * with band-limited noise, keeping the band's Hilbert envelope.
         */
        static float[] vocode(float[] signal, int sampleRate, int bands, Random random) {
            int n = signal.length;
            double[] spectrum = spectrum(signal);
            double[] noiseSpectrum = spectrum(TestAudio.gaussianNoise(n, random.nextLong()));
            double[] output = new double[n];
            for (int band = 0; band < bands; band++) {
                double low = 100.0 * Math.pow(45.0, (double) band / bands);
                double high = 100.0 * Math.pow(45.0, (double) (band + 1) / bands);
                int from = (int) Math.ceil(low * n / sampleRate);
                int to = (int) Math.ceil(high * n / sampleRate);
                double[] envelope = magnitude(analyticBand(spectrum, from, to));
                double[] carrier = analyticBand(noiseSpectrum, from, to);
                double carrierRms = Math.sqrt(energyOfReal(carrier) / n);
                for (int i = 0; i < n; i++) {
                    output[i] += envelope[i] * carrier[2 * i] / carrierRms / Math.sqrt(2.0);
                }
            }
            float[] result = new float[n];
            for (int i = 0; i < n; i++) {
                result[i] = (float) output[i];
            }
            return result;
        }

        /** Same magnitude spectrum, uniformly random phases: stationary noise, speech's spectrum. */
        static float[] randomisePhase(float[] signal, Random random) {
            int n = signal.length;
            double[] spectrum = spectrum(signal);
            for (int k = 1; k < n / 2; k++) {
                double magnitude = Math.hypot(spectrum[2 * k], spectrum[2 * k + 1]);
                double phase = 2 * Math.PI * random.nextDouble();
                spectrum[2 * k] = magnitude * Math.cos(phase);
                spectrum[2 * k + 1] = magnitude * Math.sin(phase);
                spectrum[2 * (n - k)] = spectrum[2 * k];
                spectrum[2 * (n - k) + 1] = -spectrum[2 * k + 1];
            }
            new DoubleFFT_1D(n).complexInverse(spectrum, true);
            float[] result = new float[n];
            for (int i = 0; i < n; i++) {
                result[i] = (float) spectrum[2 * i];
            }
            return result;
        }

        /** Full complex spectrum, interleaved re/im. */
        private static double[] spectrum(float[] signal) {
            double[] data = new double[2 * signal.length];
            for (int i = 0; i < signal.length; i++) {
                data[2 * i] = signal[i];
            }
            new DoubleFFT_1D(signal.length).complexForward(data);
            return data;
        }

        /** Analytic signal of bins {@code [from, to)}: positive frequencies doubled, others zero. */
        private static double[] analyticBand(double[] spectrum, int from, int to) {
            int n = spectrum.length / 2;
            double[] band = new double[2 * n];
            for (int k = from; k < to; k++) {
                band[2 * k] = 2 * spectrum[2 * k];
                band[2 * k + 1] = 2 * spectrum[2 * k + 1];
            }
            new DoubleFFT_1D(n).complexInverse(band, true);
            return band;
        }

        private static double[] magnitude(double[] complex) {
            double[] result = new double[complex.length / 2];
            for (int i = 0; i < result.length; i++) {
                result[i] = Math.hypot(complex[2 * i], complex[2 * i + 1]);
            }
            return result;
        }

        private static double energyOfReal(double[] complex) {
            double sum = 0.0;
            for (int i = 0; i < complex.length / 2; i++) {
                sum += complex[2 * i] * complex[2 * i];
            }
            return sum;
        }
    }
}
