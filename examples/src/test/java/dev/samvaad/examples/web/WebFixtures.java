package dev.samvaad.examples.web;

import dev.samvaad.agent.AgentOptions;
import dev.samvaad.agent.ConversationAgent;
import dev.samvaad.codec.CodecTrainer;
import dev.samvaad.codec.RvqCodec;
import dev.samvaad.infer.FastDecoder;
import dev.samvaad.infer.ModelConfig;
import dev.samvaad.infer.WeightNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A tiny codec trained on tones and a small random model for the web demo's and the
 * {@code evaluate} command's tests (as the agent's own tests make them; built once per JVM). The model never ends an answer, so every reply runs to
 * the reply cap and each turn has audio to time.
 */
public final class WebFixtures {
    public static final int RATE = 16_000;
    public static final ModelConfig CONFIG = new ModelConfig(2, 16, 32, 4, 1, 1, 64, 128);

    private WebFixtures() {}

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

    public static RvqCodec codec() {
        return Holder.CODEC;
    }

    /** Random weights with the EOS logit pushed far down. */
    public static Map<String, float[]> weights(long seed) {
        Map<String, float[]> weights = WeightNames.initial(CONFIG, seed);
        weights.get("head.b")[CONFIG.layout().eos()] -= 50f;
        return weights;
    }

    /** An agent over the fixture codec and model whose replies last {@code maxReplySeconds}. */
    public static ConversationAgent agent(double maxReplySeconds) {
        return new ConversationAgent(codec(), FastDecoder.of(CONFIG, weights(3)),
                AgentOptions.builder().maxReplySeconds(maxReplySeconds).build());
    }

    /** A vibrato tone with a syllable-like envelope and a little noise: speech to the detector. */
    public static float[] tone(double hz, double seconds, double amp, int rate, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] pcm = new float[(int) Math.round(seconds * rate)];
        double phase = 0;
        for (int i = 0; i < pcm.length; i++) {
            double t = (double) i / rate;
            double f = hz * (1 + 0.05 * Math.sin(2 * Math.PI * 4 * t));
            phase += 2 * Math.PI * f / rate;
            double envelope = 0.75 + 0.25 * Math.sin(2 * Math.PI * 5 * t);
            double harmonics = Math.sin(phase) + 0.5 * Math.sin(2 * phase) + 0.25 * Math.sin(3 * phase);
            pcm[i] = (float) (amp * envelope * harmonics / 1.75 + 0.003 * rng.nextGaussian());
        }
        return pcm;
    }

    /** {@code lead} s of silence, {@code seconds} of tone, {@code tail} s of silence. */
    public static float[] question(double hz, double lead, double seconds, double tail, int rate) {
        float[] t = tone(hz, seconds, 0.3, rate, 7);
        float[] pcm = new float[(int) Math.round((lead + seconds + tail) * rate)];
        System.arraycopy(t, 0, pcm, (int) Math.round(lead * rate), t.length);
        return pcm;
    }
}
