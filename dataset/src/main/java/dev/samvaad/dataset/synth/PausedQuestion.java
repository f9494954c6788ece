package dev.samvaad.dataset.synth;

import dev.samvaad.audio.AudioFileException;
import dev.samvaad.audio.AudioIO;
import dev.samvaad.audio.WavReader;
import dev.samvaad.audio.WavWriter;
import dev.samvaad.dataset.TurnMarks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * One question spoken as {@link Pauses} describes: planned from a seeded random stream (so a
 * rerun makes the same file), then spoken phrase by phrase, trimmed, and assembled with its
 * pauses, breaths, noise floor and the silence before and after.
 */
final class PausedQuestion {
    /** Recorded in dataset.json: a change to how questions are assembled makes another data set. */
    static final String VERSION = "paused-question/2";
    /**
     * A phrase's audio is kept from the first to the last 10 ms of the TTS output whose RMS level
     * reaches -55 dBFS (the top of the noise floor added later); outside them is the TTS's silence
     * or a decay below the noise.
     */
    static final double TRIM_DB = -55;
    /**
     * A phrase's speech, as the marks count it, is from the first to the last 10 ms whose RMS level
     * reaches -45 dBFS (25-35 dB below espeak-ng's speech); the quieter decay beside it (down to
     * {@link #TRIM_DB}) stays in the audio and is marked as the tail.
     */
    static final double SPEECH_DB = -45;
    private static final int TRIM_WINDOW_MS = 10;
    private static final int MIN_LEAD_MS = 250;
    private static final int MAX_LEAD_MS = 600;
    private static final double MIN_NOISE_DB = -70;
    private static final double MAX_NOISE_DB = -55;
    private static final int MIN_BREATH_MS = 120;
    private static final int MAX_BREATH_MS = 250;
    private static final double MIN_BREATH_DB = -55;
    private static final double MAX_BREATH_DB = -42;
    /** Silence kept between a breath and the speech on either side, ms. */
    private static final int BREATH_MARGIN_MS = 60;

    /**
     * A breath inside a pause.
     *
     * @param offset  where it starts within the room the pause leaves for it, 0..1
     * @param ms      its length
     * @param levelDb its RMS level, dBFS
     */
    record Breath(double offset, int ms, double levelDb) {}

    /**
     * Everything random about one question, decided before anything is spoken.
     *
     * @param phrases   the text of each phrase, as it will be spoken
     * @param pauseMs   the pause after each phrase but the last
     * @param breaths   the breath in each pause, or {@code null}
     * @param leadMs    silence before the speech
     * @param noiseDb   RMS level of the noise floor, dBFS
     * @param noiseSeed seeds the noise and the breaths
     */
    record Plan(List<String> phrases, int[] pauseMs, Breath[] breaths, int leadMs, double noiseDb, long noiseSeed) {}

    /**
     * What was made.
     *
     * @param marks   where the speech, the pauses and the end are
     * @param seconds the file's length
     * @param details the breaths and the noise level, for meta.json
     */
    record Spoken(TurnMarks marks, double seconds, Map<String, Object> details) {}

    private PausedQuestion() {}

    /** Decides how {@code question} is spoken. */
    static Plan plan(String question, Pauses pauses, SplittableRandom rng) {
        String text = question.strip();
        String[] words = text.split("\\s+");
        int phrases = 1;
        boolean split = rng.nextDouble() < pauses.share();
        int wanted = 2 + (pauses.maxPhrases() > 2 ? rng.nextInt(2) : 0);
        if (split && words.length >= 2) {
            phrases = Math.min(wanted, words.length);
        }
        // Cut points: distinct word gaps, in order.
        List<Integer> gaps = new ArrayList<>();
        for (int g = 1; g < words.length; g++) {
            gaps.add(g);
        }
        int[] cuts = new int[phrases - 1];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = gaps.remove(rng.nextInt(gaps.size()));
        }
        Arrays.sort(cuts);
        List<String> spoken = new ArrayList<>();
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : words.length;
            String phrase = String.join(" ", Arrays.copyOfRange(words, from, to));
            spoken.add(i < cuts.length ? continuing(phrase) : phrase);
            from = to;
        }
        int[] pauseMs = new int[cuts.length];
        Breath[] breaths = new Breath[cuts.length];
        for (int i = 0; i < cuts.length; i++) {
            pauseMs[i] = pauses.minPauseMs() + rng.nextInt(pauses.maxPauseMs() - pauses.minPauseMs() + 1);
            if (pauseMs[i] >= Pauses.BREATH_MIN_PAUSE_MS && rng.nextDouble() < pauses.breathShare()) {
                int ms = Math.min(MIN_BREATH_MS + rng.nextInt(MAX_BREATH_MS - MIN_BREATH_MS + 1),
                        pauseMs[i] - 2 * BREATH_MARGIN_MS);
                breaths[i] = new Breath(rng.nextDouble(), ms, MIN_BREATH_DB + rng.nextDouble() * (MAX_BREATH_DB - MIN_BREATH_DB));
            }
        }
        int leadMs = MIN_LEAD_MS + rng.nextInt(MAX_LEAD_MS - MIN_LEAD_MS + 1);
        double noiseDb = MIN_NOISE_DB + rng.nextDouble() * (MAX_NOISE_DB - MIN_NOISE_DB);
        return new Plan(spoken, pauseMs, breaths, leadMs, noiseDb, rng.nextLong());
    }

    /** A phrase that does not end the question: its own closing punctuation becomes a comma. */
    static String continuing(String phrase) {
        String p = phrase.replaceAll("[\\p{Punct}\\p{IsPunctuation}]+$", "");
        return (p.isEmpty() ? phrase : p) + ",";
    }

    /**
     * Speaks the plan into {@code out} (a WAV at the TTS's rate, written atomically); the phrases'
     * own files are made beside it and deleted.
     *
     * @throws TtsException when the engine fails or a phrase comes out silent
     */
    static Spoken speak(SpeechSynthesizer tts, Voice voice, Plan plan, Pauses pauses, Path out) {
        List<float[]> speech = new ArrayList<>();
        int rate = 0;
        for (int i = 0; i < plan.phrases().size(); i++) {
            Path file = out.resolveSibling("." + out.getFileName() + ".phrase" + (i + 1) + ".wav");
            try {
                tts.synthesize(plan.phrases().get(i), voice, file);
                if (rate == 0) {
                    rate = WavReader.probe(file).sampleRate();
                }
                float[] pcm = trim(AudioIO.readMono(file, rate), rate, TRIM_DB);
                if (pcm.length == 0) {
                    throw new TtsException(tts.describe() + " spoke phrase '" + plan.phrases().get(i) + "' with "
                            + voice.describe() + " as silence (no 10 ms of it reach " + (int) TRIM_DB + " dBFS)");
                }
                speech.add(pcm);
            } catch (AudioFileException e) {
                throw new TtsException(tts.describe() + " did not write a usable WAV for phrase '"
                        + plan.phrases().get(i) + "': " + e.getMessage(), e);
            } finally {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(file + ": cannot delete: " + e.getMessage(), e);
                }
            }
        }
        int lead = samples(plan.leadMs(), rate);
        int trail = samples(pauses.trailMs(), rate);
        int length = lead + trail;
        for (int i = 0; i < speech.size(); i++) {
            length += speech.get(i).length + (i < plan.pauseMs().length ? samples(plan.pauseMs()[i], rate) : 0);
        }
        float[] pcm = new float[length];
        Random noise = new Random(plan.noiseSeed());
        List<TurnMarks.Pause> marks = new ArrayList<>();
        List<List<Double>> breathMarks = new ArrayList<>();
        int at = lead;
        int[][] spans = new int[speech.size()][];
        for (int i = 0; i < speech.size(); i++) {
            // Where the phrase's speech is within its audio; all of it when none reaches the bar.
            int[] span = span(speech.get(i), rate, SPEECH_DB);
            spans[i] = span != null ? span : new int[] {0, speech.get(i).length};
        }
        int speechStart = lead + spans[0][0];
        int speechEnd = 0;
        int tailEnd = 0;
        for (int i = 0; i < speech.size(); i++) {
            float[] phrase = speech.get(i);
            System.arraycopy(phrase, 0, pcm, at, phrase.length);
            speechEnd = at + spans[i][1];
            tailEnd = at + phrase.length;
            at += phrase.length;
            if (i < plan.pauseMs().length) {
                int pause = samples(plan.pauseMs()[i], rate);
                int nextSpeech = at + pause + spans[i + 1][0];
                marks.add(new TurnMarks.Pause((double) speechEnd / rate, (double) nextSpeech / rate));
                Breath b = plan.breaths()[i];
                if (b != null) {
                    int margin = samples(BREATH_MARGIN_MS, rate);
                    int len = samples(b.ms(), rate);
                    int start = at + margin + (int) Math.round(b.offset() * Math.max(0, pause - 2 * margin - len));
                    addBreath(pcm, start, len, b.levelDb(), noise);
                    breathMarks.add(List.of(round((double) start / rate), round((double) (start + len) / rate)));
                }
                at += pause;
            }
        }
        double noiseRms = Math.pow(10, plan.noiseDb() / 20);
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] += (float) (noise.nextGaussian() * noiseRms);
        }
        WavWriter.writePcm16(out, pcm, rate);
        TurnMarks turn = new TurnMarks((double) speechStart / rate, (double) speechEnd / rate, (double) tailEnd / rate,
                marks, plan.phrases());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("breathsS", breathMarks);
        details.put("noiseDbfs", Math.round(plan.noiseDb() * 10) / 10.0);
        return new Spoken(turn, (double) pcm.length / rate, details);
    }

    /** From the first to the last 10 ms window whose RMS reaches {@code db}; empty when none does. */
    static float[] trim(float[] pcm, int rate, double db) {
        int[] span = span(pcm, rate, db);
        return span == null ? new float[0] : Arrays.copyOfRange(pcm, span[0], span[1]);
    }

    /** {@code [first, end)} of the 10 ms windows whose RMS reaches {@code db}, or {@code null} when none does. */
    static int[] span(float[] pcm, int rate, double db) {
        int window = Math.max(1, rate * TRIM_WINDOW_MS / 1000);
        double bar = Math.pow(10, db / 10) * window;
        int first = -1;
        int last = -1;
        for (int at = 0; at < pcm.length; at += window) {
            int end = Math.min(pcm.length, at + window);
            double energy = 0;
            for (int i = at; i < end; i++) {
                energy += (double) pcm[i] * pcm[i];
            }
            if (energy >= bar * (end - at) / window) {
                if (first < 0) {
                    first = at;
                }
                last = end;
            }
        }
        return first < 0 ? null : new int[] {first, last};
    }

    /** Breathy noise: differenced (no rumble), smoothed (no hiss), under a Hann envelope. */
    private static void addBreath(float[] pcm, int start, int length, double levelDb, Random rng) {
        double[] x = new double[length];
        double previous = 0;
        double smooth = 0;
        double energy = 0;
        for (int i = 0; i < length; i++) {
            double n = rng.nextGaussian();
            smooth += 0.35 * ((n - previous) - smooth);
            previous = n;
            x[i] = smooth * (0.5 - 0.5 * Math.cos(2 * Math.PI * i / Math.max(1, length - 1)));
            energy += x[i] * x[i];
        }
        double gain = Math.pow(10, levelDb / 20) / Math.sqrt(energy / Math.max(1, length) + 1e-20);
        for (int i = 0; i < length && start + i < pcm.length; i++) {
            pcm[start + i] += (float) (x[i] * gain);
        }
    }

    private static int samples(int ms, int rate) {
        return (int) Math.round(ms * (double) rate / 1000);
    }

    private static double round(double seconds) {
        return Math.round(seconds * 1e6) / 1e6;
    }
}
