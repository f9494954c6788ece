package dev.samvaad.bench;

import dev.samvaad.audio.AudioIO;
import dev.samvaad.codec.eval.ExternalCodecs;
import dev.samvaad.dataset.synth.DialogueCorpus;
import dev.samvaad.dataset.synth.EspeakSynthesizer;
import dev.samvaad.dataset.synth.QaPair;
import dev.samvaad.dataset.synth.SpeechSynthesizer;
import dev.samvaad.dataset.synth.Voice;
import dev.samvaad.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Speech for the benchmarks, made at run time with nothing downloaded: Telugu sentences of the
 * built-in corpus spoken by espeak-ng when it is installed, otherwise a synthetic harmonic signal
 * (gliding vowels with formants, noise bursts and pauses). Deterministic for a {@link Material}.
 */
final class BenchSpeech {
    static final int SAMPLE_RATE = 16_000;
    private static final int PAUSE_SAMPLES = SAMPLE_RATE / 5;

    /** Which material: the codec is trained on one set and measured on the other (other voices and sentences). */
    enum Material {
        TRAIN(List.of("te+m1", "te+f2", "te+m4", "te+f4"), 0),
        TEST(List.of("te+m3", "te+f3", "te+m2", "te+f1"), 1);

        final List<String> voices;
        final int parity;

        Material(List<String> voices, int parity) {
            this.voices = voices;
            this.parity = parity;
        }
    }

    /** Mono audio at 16 kHz and where it came from. */
    record Speech(float[] pcm, String source) {
        double seconds() {
            return (double) pcm.length / SAMPLE_RATE;
        }
    }

    private BenchSpeech() {}

    /** Exactly {@code seconds} of speech: espeak-ng when installed, else {@link #harmonic}. */
    static Speech make(Material set, double seconds) {
        if (ExternalCodecs.installed("espeak-ng")) {
            return new Speech(espeak(set, seconds), "espeak-ng -v te (" + String.join(", ", set.voices)
                    + "), built-in Telugu corpus");
        }
        return new Speech(harmonic(set.parity + 1L, seconds), "synthetic harmonic speech-like signal (espeak-ng not installed)");
    }

    /** Corpus sentences (every other one, by set) in turn by the set's voices, 200 ms apart, cut to length. */
    static float[] espeak(Material set, double seconds) {
        int wanted = (int) Math.round(seconds * SAMPLE_RATE);
        List<QaPair> pairs = DialogueCorpus.builtIn("te").expand();
        SpeechSynthesizer tts = new EspeakSynthesizer();
        List<float[]> parts = new ArrayList<>();
        int total = 0;
        Path dir = null;
        try {
            dir = Files.createTempDirectory("samvaad-bench-speech");
            for (int i = set.parity, n = 0; total < wanted; i += 2, n++) {
                QaPair pair = pairs.get(i % pairs.size());
                Voice voice = new Voice(set.voices.get(n % set.voices.size()), 140 + 10 * (n % 4), 40 + 10 * (n % 3));
                Path wav = dir.resolve("s" + n + ".wav");
                tts.synthesize(n % 2 == 0 ? pair.answer() : pair.question(), voice, wav);
                float[] pcm = AudioIO.readMono(wav, SAMPLE_RATE);
                Files.delete(wav);
                parts.add(pcm);
                parts.add(new float[PAUSE_SAMPLES]);
                total += pcm.length + PAUSE_SAMPLES;
                if (n > 10_000) {
                    throw new IllegalStateException("espeak-ng gives no audio");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("making benchmark speech: " + e.getMessage(), e);
        } finally {
            deleteQuietly(dir);
        }
        return Arrays.copyOf(concat(parts), wanted);
    }

    /**
     * A speech-like signal without any TTS: syllables of 0.12-0.35 s with a gliding f0 of
     * 85-260 Hz whose harmonics are shaped by two moving formants, unvoiced noise bursts and
     * pauses; about -20 dBFS. Exactly {@code seconds} long; the same for the same seed.
     */
    static float[] harmonic(long seed, double seconds) {
        int wanted = (int) Math.round(seconds * SAMPLE_RATE);
        SplittableRandom rng = new SplittableRandom(seed);
        float[] out = new float[wanted];
        int at = 0;
        while (at < wanted) {
            int length = (int) ((0.12 + 0.23 * rng.nextDouble()) * SAMPLE_RATE);
            double f0Start = 85 + 175 * rng.nextDouble(), f0End = f0Start * (0.8 + 0.4 * rng.nextDouble());
            double f1 = 300 + 500 * rng.nextDouble(), f2 = 900 + 1600 * rng.nextDouble();
            double phase = 0;
            for (int n = 0; n < length && at + n < wanted; n++) {
                double alpha = (double) n / length;
                double f0 = f0Start + (f0End - f0Start) * alpha;
                phase += 2 * Math.PI * f0 / SAMPLE_RATE;
                double envelope = Math.sin(Math.PI * alpha);
                double sample = 0;
                for (int k = 1; k * f0 < 7000; k++) {
                    double hz = k * f0;
                    double gain = 1 / (1 + sq((hz - f1) / 120)) + 0.5 / (1 + sq((hz - f2 * (1 + 0.1 * alpha)) / 180));
                    sample += gain * Math.cos(k * phase) / k;
                }
                out[at + n] = (float) (0.1 * envelope * sample);
            }
            at += length;
            int burst = 400 + rng.nextInt(1200);
            for (int n = 0; n < burst && at < wanted; n++, at++) {
                out[at] = (float) (0.02 * rng.nextGaussian());
            }
            at += 800 + rng.nextInt(2400);
        }
        return out;
    }

    private static double sq(double x) {
        return x * x;
    }

    static float[] concat(List<float[]> parts) {
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

    static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try {
            AtomicFiles.deleteTree(dir);
        } catch (IOException ignored) {
            // a temporary folder; the OS cleans /tmp
        }
    }
}
