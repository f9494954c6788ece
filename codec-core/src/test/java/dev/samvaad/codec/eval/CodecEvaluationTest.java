package dev.samvaad.codec.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CodecEvaluationTest {
    private static final int RATE = 16_000;

    /** Two seconds of syllable-like modulated harmonics with pauses. */
    private static float[] speechLike() {
        float[] x = new float[2 * RATE];
        SplittableRandom rng = new SplittableRandom(5);
        for (int i = 0; i < x.length; i++) {
            double t = (double) i / RATE;
            double syllable = Math.max(0, Math.sin(2 * Math.PI * 3 * t));
            double s = 0;
            for (int k = 1; k <= 20; k++) {
                s += Math.sin(2 * Math.PI * 140 * k * t) / k;
            }
            x[i] = (float) (0.2 * syllable * s + 0.001 * rng.nextGaussian());
        }
        return x;
    }

    private static Transcoder delayBy(int samples) {
        return new Transcoder() {
            @Override
            public String name() {
                return "delay";
            }

            @Override
            public double bitrate() {
                return 0;
            }

            @Override
            public float[] roundTrip(float[] pcm, int sampleRate) {
                float[] out = new float[pcm.length + samples];
                System.arraycopy(pcm, 0, out, samples, pcm.length);
                return out;
            }
        };
    }

    @Test
    void aDelayIsNotCountedAsLoss() {
        CodecEvaluation.Score score = CodecEvaluation.evaluate(delayBy(480), List.of(speechLike()), RATE);
        assertThat(score.stoi()).isGreaterThan(0.99);
        assertThat(score.logMelDb()).isLessThan(0.5);
        assertThat(score.seconds()).isCloseTo(2.0, within(1e-9));
        assertThat(score.signals()).isEqualTo(1);
    }

    @Test
    void opusAndCodec2RunWhenInstalled() {
        assumeTrue(ExternalCodecs.installed("opusenc") && ExternalCodecs.installed("c2enc"),
                "opus-tools or codec2 not installed (.ci/run installs them)");
        float[] x = speechLike();
        for (Transcoder t : List.of(ExternalCodecs.opus(6).orElseThrow(), ExternalCodecs.codec2(3200).orElseThrow())) {
            float[] y = t.roundTrip(x, RATE);
            assertThat(y.length).as(t.name()).isBetween(x.length - 400, x.length + 2000);
            CodecEvaluation.Score s = CodecEvaluation.evaluate(t, List.of(x), RATE);
            assertThat(s.stoi()).as(t.name()).isGreaterThan(0.5);
        }
        assertThat(ExternalCodecs.installed("no-such-codec-tool")).isFalse();
    }
}
