package dev.samvaad.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Construction, lengths and the equal-rate case. */
class ResamplerTest {

    @ParameterizedTest(name = "{0} -> {1} Hz")
    @CsvSource({
        "48000, 16000", "44100, 16000", "22050, 16000", "16000, 8000", "8000, 16000",
        "16000, 24000", "16000, 44100", "44100, 44101", "16000, 16000",
    })
    void outputLengthIsCeilingOfScaledInputLength(int fromRate, int toRate) {
        Resampler resampler = Resampler.of(fromRate, toRate);

        for (int length = 0; length <= 2000; length++) {
            long expected = ((long) length * toRate + fromRate - 1) / fromRate;
            assertThat(resampler.outputLength(length)).as("length %d", length).isEqualTo(expected);
        }
        assertThat(resampler.resample(new float[1])).hasSize(resampler.outputLength(1));
        assertThat(resampler.resample(new float[0])).isEmpty();
        assertThat(resampler.resample(new float[1234])).hasSize(resampler.outputLength(1234));
    }

    @Test
    void outputLengthUsesLongArithmetic() {
        assertThat(Resampler.of(48000, 16000).outputLength(Integer.MAX_VALUE)).isEqualTo(715_827_883);
        assertThat(Resampler.of(44100, 16000).outputLength(Integer.MAX_VALUE)).isEqualTo(779_132_389);
        assertThatThrownBy(() -> Resampler.of(16000, 48000).outputLength(Integer.MAX_VALUE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(String.valueOf(Integer.MAX_VALUE));
        assertThatThrownBy(() -> Resampler.of(16000, 48000).outputLength(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }

    @Test
    void equalRatesReturnACopy() {
        float[] input = {0.25f, -1f, Float.MIN_VALUE, 0.5f, 1e-30f};
        Resampler resampler = Resampler.of(16000, 16000);

        float[] output = resampler.resample(input);

        assertThat(output).containsExactly(input).isNotSameAs(input);
        assertThat(Resampler.resample(input, 8000, 8000)).containsExactly(input).isNotSameAs(input);
    }

    @Test
    void ratesAreKeptAsGiven() {
        Resampler resampler = Resampler.of(44100, 16000);

        assertThat(resampler.fromRate()).isEqualTo(44100);
        assertThat(resampler.toRate()).isEqualTo(16000);
    }

    @Test
    void nonPositiveRatesAreRejected() {
        assertThatThrownBy(() -> Resampler.of(0, 16000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fromRate")
                .hasMessageContaining("0");
        assertThatThrownBy(() -> Resampler.of(16000, -22050))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("toRate")
                .hasMessageContaining("-22050");
        assertThatThrownBy(() -> Resampler.resample(new float[4], -8000, 16000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-8000");
    }

    @Test
    void staticConvenienceMatchesInstance() {
        float[] input = TestSignals.tone(440, 44100, 0.5, 4410);

        assertThat(Resampler.resample(input, 44100, 16000))
                .containsExactly(Resampler.of(44100, 16000).resample(input));
    }

    @Test
    void filterLengthFollowsTheKaiserDesign() {
        int taps48k = Resampler.of(48000, 16000).tapsPerPhase();
        int taps44k = Resampler.of(44100, 16000).tapsPerPhase();
        System.out.printf("taps per phase: 48000 -> 16000 Hz: %d, 44100 -> 16000 Hz: %d%n", taps48k, taps44k);

        // (A - 7.95) / (2.285 * 2 pi * transition) + 1, rounded up to an even count.
        assertThat(taps48k).isEqualTo(304);
        assertThat(taps44k).isEqualTo(278);
    }

    @Test
    void computedKernelsMatchTheTable() {
        KaiserSincKernel kernel = KaiserSincKernel.forRatio(160, 441);
        PolyphaseFilter table = new TabulatedFilter(kernel, 160);
        PolyphaseFilter computed = new OnTheFlyFilter(kernel, 160);
        Random random = new Random(3);
        float[] samples = new float[kernel.taps()];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = random.nextFloat() * 2f - 1f;
        }

        for (int phase = 0; phase < 160; phase++) {
            assertThat(computed.apply(samples, 0, phase))
                    .as("phase %d", phase)
                    .isCloseTo(table.apply(samples, 0, phase), within(1e-5f));
        }
    }

    @Test
    void besselI0MatchesKnownValues() {
        assertThat(KaiserSincKernel.besselI0(0.0)).isEqualTo(1.0);
        assertThat(KaiserSincKernel.besselI0(1.0)).isCloseTo(1.2660658777520082, within(1e-14));
        assertThat(KaiserSincKernel.besselI0(7.857)).isCloseTo(374.0737108699652, within(1e-10));
    }
}
