package dev.samvaad.agent;

import dev.samvaad.codec.AudioCodec;
import dev.samvaad.codec.CodecTrainer;
import dev.samvaad.infer.FastDecoder;
import dev.samvaad.model.ModelConfig;
import dev.samvaad.model.WeightNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** A tiny codec trained on tones and a small random model for the agent tests (built once per JVM). */
final class AgentFixtures {
    static final int RATE = 16_000;
    static final ModelConfig CONFIG = new ModelConfig(2, 16, 32, 4, 1, 1, 64, 128);

    private AgentFixtures() {}

    private static final class Holder {
        static final AudioCodec CODEC = train();

        private static AudioCodec train() {
            List<float[]> signals = new ArrayList<>();
            for (int s = 0; s < 6; s++) {
                signals.add(tone(150 + 120 * s, 0.8, 0.3, RATE, s));
            }
            return CodecTrainer.trainOnSignals(signals, CodecTrainer.Options.defaults().withCodebooks(2, 16)
                    .withIterations(3).withSeed(1));
        }
    }

    static AudioCodec codec() {
        return Holder.CODEC;
    }

    /** Random weights whose EOS logit is pushed by {@code eosBias} (negative: answers run to the cap). */
    static FastDecoder model(long seed, float eosBias) {
        Map<String, float[]> weights = WeightNames.initial(CONFIG, seed);
        weights.get("head.b")[CONFIG.eos()] += eosBias;
        return FastDecoder.of(CONFIG, weights);
    }

    /** A vibrato tone of {@code seconds} at about {@code hz} and amplitude {@code amp}, with a little noise. */
    static float[] tone(double hz, double seconds, double amp, int rate, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] pcm = new float[(int) Math.round(seconds * rate)];
        double phase = 0;
        for (int i = 0; i < pcm.length; i++) {
            double f = hz * (1 + 0.05 * Math.sin(2 * Math.PI * 4 * i / rate));
            phase += 2 * Math.PI * f / rate;
            pcm[i] = (float) (amp * Math.sin(phase) + 0.003 * rng.nextGaussian());
        }
        return pcm;
    }

    static float[] silence(double seconds, int rate) {
        return new float[(int) Math.round(seconds * rate)];
    }

    static float[] concat(float[]... parts) {
        int n = 0;
        for (float[] p : parts) {
            n += p.length;
        }
        float[] out = new float[n];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** A question: {@code lead} s of silence, {@code seconds} of tone, {@code tail} s of silence. */
    static float[] question(double hz, double lead, double seconds, double tail, int rate, long seed) {
        return concat(silence(lead, rate), tone(hz, seconds, 0.3, rate, seed), silence(tail, rate));
    }
}
