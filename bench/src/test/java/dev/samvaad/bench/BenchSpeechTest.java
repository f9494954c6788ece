package dev.samvaad.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.samvaad.codec.eval.ExternalCodecs;
import org.junit.jupiter.api.Test;

class BenchSpeechTest {

    private static double rms(float[] x) {
        double s = 0;
        for (float v : x) {
            s += v * v;
        }
        return Math.sqrt(s / x.length);
    }

    @Test
    void harmonicSpeechIsExactlyAsLongAsAskedLoudEnoughAndRepeatable() {
        float[] a = BenchSpeech.harmonic(1, 2.5);
        assertThat(a).hasSize(40_000).isEqualTo(BenchSpeech.harmonic(1, 2.5));
        assertThat(BenchSpeech.harmonic(2, 2.5)).isNotEqualTo(a);
        assertThat(rms(a)).isBetween(0.005, 0.3);
        for (float v : a) {
            assertThat(Math.abs(v)).isLessThan(1f);
        }
    }

    @Test
    void espeakSpeechIsExactlyAsLongAsAskedAndTheSetsDiffer() {
        assumeTrue(ExternalCodecs.installed("espeak-ng"), "espeak-ng not installed");
        float[] train = BenchSpeech.espeak(BenchSpeech.Material.TRAIN, 3);
        float[] test = BenchSpeech.espeak(BenchSpeech.Material.TEST, 3);
        assertThat(train).hasSize(48_000).isEqualTo(BenchSpeech.espeak(BenchSpeech.Material.TRAIN, 3));
        assertThat(test).hasSize(48_000).isNotEqualTo(train);
        assertThat(rms(train)).isGreaterThan(0.005);
        assertThat(BenchSpeech.make(BenchSpeech.Material.TEST, 1).source()).contains("espeak-ng");
    }
}
