package dev.samvaad.audio;

import static dev.samvaad.audio.TestSignals.maxAbsoluteError;
import static dev.samvaad.audio.TestSignals.tone;
import static dev.samvaad.audio.TestSignals.toneAmplitude;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Frequencies below 0.9 of the lower Nyquist pass with their amplitude and phase intact. */
class ResamplerPassbandTest {

    private static final double AMPLITUDE = 0.9;

    static Stream<Arguments> ratePairs() {
        return Stream.of(
                Arguments.of(48000, 16000), Arguments.of(44100, 16000), Arguments.of(22050, 16000),
                Arguments.of(16000, 8000), Arguments.of(8000, 16000), Arguments.of(16000, 24000),
                Arguments.of(16000, 44100), Arguments.of(44100, 48000),
                // 44101 phases: kernels are computed per output instead of tabulated.
                Arguments.of(44100, 44101));
    }

    static Stream<Arguments> tonesPerRatePair() {
        return ratePairs().flatMap(pair -> {
            int fromRate = (int) pair.get()[0];
            int toRate = (int) pair.get()[1];
            double lowerNyquist = Math.min(fromRate, toRate) / 2.0;
            return Stream.of(100.0, 1000.0, 0.8 * lowerNyquist)
                    .map(frequency -> Arguments.of(fromRate, toRate, frequency));
        });
    }

    @ParameterizedTest(name = "{0} -> {1} Hz, tone {2} Hz")
    @MethodSource("tonesPerRatePair")
    void toneKeepsAmplitudeAndPhase(int fromRate, int toRate, double frequency) {
        Resampler resampler = Resampler.of(fromRate, toRate);
        // A tenth of a second holds ten periods of the lowest tone and keeps the slow path quick.
        float[] output = resampler.resample(tone(frequency, fromRate, AMPLITUDE, fromRate / 10));
        float[] expected = tone(frequency, toRate, AMPLITUDE, output.length);
        int edge = resampler.outputLength(resampler.tapsPerPhase());

        double gainDb = 20.0 * Math.log10(
                toneAmplitude(output, edge, output.length - edge, frequency, toRate) / AMPLITUDE);
        double error = maxAbsoluteError(output, expected, edge, output.length - edge);

        assertThat(gainDb).isCloseTo(0.0, within(0.1));
        assertThat(error).isLessThan(1e-3);
    }

    @ParameterizedTest(name = "{0} -> {1} Hz")
    @MethodSource("ratePairs")
    void constantStaysConstant(int fromRate, int toRate) {
        Resampler resampler = Resampler.of(fromRate, toRate);
        float[] input = new float[fromRate / 10];
        Arrays.fill(input, 0.7f);

        float[] output = resampler.resample(input);
        float[] expected = new float[output.length];
        Arrays.fill(expected, 0.7f);
        int edge = resampler.outputLength(resampler.tapsPerPhase());

        assertThat(output.length).isGreaterThan(4 * edge);
        assertThat(maxAbsoluteError(output, expected, edge, output.length - edge)).isLessThan(1e-4);
    }
}
