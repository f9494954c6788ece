package dev.samvaad.training;

import dev.samvaad.audio.WavWriter;
import dev.samvaad.codec.CodecTrainer;
import dev.samvaad.codec.RvqCodec;
import dev.samvaad.dataset.synth.ConversationGenerator;
import dev.samvaad.dataset.synth.CorpusResponseSource;
import dev.samvaad.dataset.synth.DialogueCorpus;
import dev.samvaad.dataset.synth.Pauses;
import dev.samvaad.dataset.synth.SpeechSynthesizer;
import dev.samvaad.dataset.synth.Voice;
import dev.samvaad.dataset.synth.VoiceBank;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Turn-taking data whose ends can be heard: a stand-in TTS that speaks a phrase ending in a comma
 * with a rising pitch (an unfinished sentence) and any other with a falling one, a codec trained
 * on its glides, and a data set of questions spoken with pauses (built once per JVM).
 */
public final class TurnFixtures {
    static final int RATE = 16_000;
    /** Multi-word questions of the built-in corpus. */
    static final List<String> INTENTS = List.of("food_tea", "food_coffee", "dir_temple", "dir_market", "help_can_you",
            "language_telugu");

    private TurnFixtures() {}

    /** Rising before a comma, falling otherwise; the voice's pitch sets where it starts; 12 ms per character. */
    public static final class GlideSynthesizer implements SpeechSynthesizer {
        @Override
        public void synthesize(String text, Voice voice, Path out) {
            WavWriter.writePcm16(out, speak(text, voice.pitch()), RATE);
        }

        static float[] speak(String text, int pitch) {
            int n = RATE / 1000 * 12 * (8 + text.codePointCount(0, text.length()));
            boolean rising = text.strip().endsWith(",");
            double from = 110 + 2 * pitch;
            double to = rising ? from * 1.35 : from / 1.35;
            float[] pcm = new float[n + RATE / 10];
            double phase = 0;
            for (int i = 0; i < n; i++) {
                double x = (double) i / n;
                // Level pitch for the first 60%, then the glide: the end is what tells them apart.
                double f = x < 0.6 ? from : from * Math.pow(to / from, (x - 0.6) / 0.4);
                phase += 2 * Math.PI * f / RATE;
                double env = Math.min(1, Math.min(i, n - i) / (0.01 * RATE));
                pcm[i] = (float) (0.25 * env * (Math.sin(phase) + 0.5 * Math.sin(2 * phase) + 0.25 * Math.sin(3 * phase)));
            }
            return pcm;
        }

        @Override
        public String describe() {
            return "glide";
        }

        @Override
        public boolean deterministic() {
            return true;
        }
    }

    private static final class Holder {
        static final RvqCodec CODEC = train();

        private static RvqCodec train() {
            List<float[]> signals = new ArrayList<>();
            for (int p = 30; p <= 70; p += 10) {
                signals.add(GlideSynthesizer.speak("one two three,", p));
                signals.add(GlideSynthesizer.speak("one two three", p));
            }
            return CodecTrainer.trainOnSignals(signals, CodecTrainer.Options.defaults().withCodebooks(2, 32)
                    .withIterations(4).withSeed(3));
        }
    }

    /** {@return the codec trained on the glides} */
    public static RvqCodec codec() {
        return Holder.CODEC;
    }

    /**
     * Generates {@code pairs} questions of {@link #INTENTS} spoken with pauses into {@code dir}.
     *
     * @param dir   the data set's folder
     * @param pairs how many
     * @param share the share of questions spoken in phrases
     */
    public static void generate(Path dir, int pairs, double share) {
        generate(dir, pairs, Pauses.of(share));
    }

    /**
     * Generates {@code pairs} questions of {@link #INTENTS} spoken as {@code pauses} says into {@code dir}.
     *
     * @param dir    the data set's folder
     * @param pairs  how many
     * @param pauses how they are spoken
     */
    public static void generate(Path dir, int pairs, Pauses pauses) {
        DialogueCorpus corpus = DialogueCorpus.builtIn("te").onlyIntents(INTENTS);
        new ConversationGenerator(new ConversationGenerator.Settings(dir, pairs, 7, 2, corpus,
                new CorpusResponseSource(corpus), new GlideSynthesizer(), VoiceBank.espeak("te", 7), pauses))
                .run(null);
    }
}
