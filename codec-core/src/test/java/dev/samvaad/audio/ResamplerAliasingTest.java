package dev.samvaad.audio;

import static dev.samvaad.audio.TestSignals.attenuationDb;
import static dev.samvaad.audio.TestSignals.linearSweep;
import static dev.samvaad.audio.TestSignals.rms;
import static dev.samvaad.audio.TestSignals.tone;
import static dev.samvaad.audio.TestSignals.toneAmplitude;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Downsampling must remove everything between the output and the input Nyquist frequency, and
 * upsampling must not create images above the input Nyquist frequency.
 */
class ResamplerAliasingTest {

    private static final double REQUIRED_ATTENUATION_DB = 60.0;
    private static final double AMPLITUDE = 0.5;

    @ParameterizedTest(name = "{0} -> {1} Hz, sweep {2}..{3} Hz")
    @CsvSource({
        "48000, 16000, 8000, 23900",
        "44100, 16000, 8000, 22000",
        "22050, 16000, 8000, 11000",
    })
    void sweepAboveOutputNyquistIsRemoved(int fromRate, int toRate, double lowest, double highest) {
        float[] input = linearSweep(lowest, highest, fromRate, AMPLITUDE, fromRate);

        double attenuation = stopbandAttenuationDb(Resampler.of(fromRate, toRate), input);

        System.out.printf("aliasing %d -> %d Hz, sweep %.0f..%.0f Hz: %.1f dB%n",
                fromRate, toRate, lowest, highest, attenuation);
        assertThat(attenuation).isGreaterThanOrEqualTo(REQUIRED_ATTENUATION_DB);
    }

    @ParameterizedTest(name = "{0} -> {1} Hz, tone {2} Hz")
    @CsvSource({
        "48000, 16000, 8000", "48000, 16000, 8400", "48000, 16000, 10000",
        "48000, 16000, 16000", "48000, 16000, 23900",
        "44100, 16000, 8000", "44100, 16000, 9000", "44100, 16000, 15000", "44100, 16000, 22000",
        "22050, 16000, 8000", "22050, 16000, 9000", "22050, 16000, 11000",
    })
    void toneAboveOutputNyquistIsRemoved(int fromRate, int toRate, double frequency) {
        // A phase offset keeps tones that alias onto 0 Hz or the output Nyquist from being sampled
        // at their zero crossings, which would hide any aliasing.
        float[] input = tone(frequency, fromRate, AMPLITUDE, Math.PI / 3, fromRate / 2);

        double attenuation = stopbandAttenuationDb(Resampler.of(fromRate, toRate), input);

        System.out.printf("aliasing %d -> %d Hz, tone %.0f Hz: %.1f dB%n",
                fromRate, toRate, frequency, attenuation);
        assertThat(attenuation).isGreaterThanOrEqualTo(REQUIRED_ATTENUATION_DB);
    }

    @ParameterizedTest(name = "{0} -> {1} Hz, tone {2} Hz, image {3} Hz")
    @CsvSource({
        "8000, 16000, 3500, 4500",
        "16000, 44100, 7000, 9000",
        // The image at 16000 + 7000 Hz lies above 22050 Hz and folds back to 44100 - 23000 Hz.
        "16000, 44100, 7000, 21100",
    })
    void upsamplingCreatesNoImages(int fromRate, int toRate, double frequency, double image) {
        Resampler resampler = Resampler.of(fromRate, toRate);
        float[] output = resampler.resample(tone(frequency, fromRate, 1.0, fromRate));
        int edge = resampler.outputLength(resampler.tapsPerPhase());

        double imageAmplitude = toneAmplitude(output, edge, output.length - edge, image, toRate);
        double attenuation = attenuationDb(1.0, imageAmplitude);

        System.out.printf("imaging %d -> %d Hz, tone %.0f Hz, image at %.0f Hz: %.1f dB%n",
                fromRate, toRate, frequency, image, attenuation);
        assertThat(attenuation).isGreaterThanOrEqualTo(REQUIRED_ATTENUATION_DB);
    }

    /** Input RMS over output RMS, ignoring one filter length of output at either end. */
    private static double stopbandAttenuationDb(Resampler resampler, float[] input) {
        float[] output = resampler.resample(input);
        int edge = resampler.outputLength(resampler.tapsPerPhase());
        assertThat(output.length).isGreaterThan(4 * edge);
        return attenuationDb(rms(input, 0, input.length), rms(output, edge, output.length - edge));
    }
}
