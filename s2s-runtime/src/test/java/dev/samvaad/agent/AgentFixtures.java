package dev.samvaad.agent;

import dev.samvaad.codec.CodecTrainer;
import dev.samvaad.codec.RvqCodec;
import dev.samvaad.infer.FastDecoder;
import dev.samvaad.infer.ModelConfig;
import dev.samvaad.infer.WeightNames;
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
        static final RvqCodec CODEC = train();

        private static RvqCodec train() {
            List<float[]> signals = new ArrayList<>();
            for (int s = 0; s < 6; s++) {
                signals.add(tone(150 + 120 * s, 0.8, 0.3, RATE, s));
            }
            return CodecTrainer.trainOnSignals(signals, CodecTrainer.Options.defaults().withCodebooks(2, 16)
                    .withIterations(3).withSeed(1));
        }
    }

    static RvqCodec codec() {
        return Holder.CODEC;
    }

    /**
     * An end-of-turn predictor for {@link #codec()} that always gives {@code probability}: no
     * hidden layer, zero weights, the output bias its logit.
     */
    static EndOfTurnPredictor constantPredictor(double probability, int minSilenceMs) {
        int f = TurnFeatures.SIZE;
        float[] scale = new float[f];
        java.util.Arrays.fill(scale, 1);
        float logit = (float) Math.log(probability / (1 - probability));
        EndOfTurnPredictor.Config config = new EndOfTurnPredictor.Config(codec().fingerprint(), TurnFeatures.VERSION,
                f, 0, 0.5, minSilenceMs, Map.of("note", "constant"));
        return new EndOfTurnPredictor(codec(), config, new float[f], scale, new float[0], new float[0], new float[f],
                logit);
    }

    /** A tone gliding from {@code fromHz} to {@code toHz} over {@code seconds} (a rise or a fall of pitch). */
    static float[] glide(double fromHz, double toHz, double seconds, double amp, int rate, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] pcm = new float[(int) Math.round(seconds * rate)];
        double phase = 0;
        for (int i = 0; i < pcm.length; i++) {
            double f = fromHz * Math.pow(toHz / fromHz, (double) i / pcm.length);
            phase += 2 * Math.PI * f / rate;
            pcm[i] = (float) (amp * (Math.sin(phase) + 0.4 * Math.sin(2 * phase)) + 0.003 * rng.nextGaussian());
        }
        return pcm;
    }

    /** Random weights whose EOS logit is pushed by {@code eosBias} (negative: answers run to the cap). */
    static FastDecoder model(long seed, float eosBias) {
        Map<String, float[]> weights = WeightNames.initial(CONFIG, seed);
        weights.get("head.b")[CONFIG.layout().eos()] += eosBias;
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
