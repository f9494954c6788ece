package dev.samvaad.dataset.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.samvaad.audio.AudioIO;
import dev.samvaad.audio.WavReader;
import dev.samvaad.audio.WavWriter;
import dev.samvaad.dataset.TurnMarks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Questions spoken in phrases with pauses, and the marks of where their speech really is. */
class PausedQuestionTest {
    private static final int RATE = 16_000;
    private static final Voice VOICE = new Voice("te+m3", 150, 50);

    @TempDir
    Path dir;

    /**
     * A stand-in TTS whose output has known levels: 100 ms of digital silence, a tone (-13 dBFS)
     * of 10 ms per character, a faint decay of 60 ms at -50 dBFS (kept as audio, not counted as
     * speech), 100 ms of silence. Every length is a whole number of 10 ms windows.
     */
    static final class LevelsSynthesizer implements SpeechSynthesizer {
        static final int TAIL_MS = 60;

        static int toneSamples(String text) {
            return RATE / 100 * (10 + text.codePointCount(0, text.length()));
        }

        @Override
        public void synthesize(String text, Voice voice, Path out) {
            int lead = RATE / 10;
            int tone = toneSamples(text);
            int tail = RATE * TAIL_MS / 1000;
            float[] pcm = new float[lead + tone + tail + RATE / 10];
            double faint = Math.pow(10, -50 / 20.0) * Math.sqrt(2);
            for (int i = 0; i < tone + tail; i++) {
                double a = i < tone ? 0.3 : faint;
                pcm[lead + i] = (float) (a * Math.sin(2 * Math.PI * 200 * i / RATE));
            }
            WavWriter.writePcm16(out, pcm, RATE);
        }

        @Override
        public String describe() {
            return "levels";
        }
    }

    @Test
    void aQuestionIsCutAtWordsTheFirstPhrasesEndingInACommaAndThePlanIsDecidedByItsSeed() {
        Pauses pauses = Pauses.of(1.0);
        for (long seed = 0; seed < 30; seed++) {
            PausedQuestion.Plan plan = PausedQuestion.plan("నాకు మిర్చి బజ్జీ అంటే ఇష్టం?", pauses, new SplittableRandom(seed));
            assertThat(plan.phrases()).hasSizeBetween(2, 3);
            assertThat(String.join(" ", plan.phrases()).replace(",", "")).isEqualTo("నాకు మిర్చి బజ్జీ అంటే ఇష్టం?");
            assertThat(plan.phrases().subList(0, plan.phrases().size() - 1)).allSatisfy(p -> assertThat(p).endsWith(","));
            assertThat(plan.phrases().get(plan.phrases().size() - 1)).endsWith("ఇష్టం?");
            assertThat(plan.pauseMs()).hasSize(plan.phrases().size() - 1);
            assertThat(java.util.Arrays.stream(plan.pauseMs()).boxed().toList()).allSatisfy(ms -> assertThat(ms).isBetween(150, 700));
            for (int i = 0; i < plan.breaths().length; i++) {
                if (plan.breaths()[i] != null) {
                    assertThat(plan.pauseMs()[i]).isGreaterThanOrEqualTo(Pauses.BREATH_MIN_PAUSE_MS);
                }
            }
            assertThat(plan).usingRecursiveComparison().isEqualTo(
                    PausedQuestion.plan("నాకు మిర్చి బజ్జీ అంటే ఇష్టం?", pauses, new SplittableRandom(seed)));
        }
        // One word, or no share of paused questions: spoken whole.
        assertThat(PausedQuestion.plan("నమస్తే", pauses, new SplittableRandom(1)).phrases()).containsExactly("నమస్తే");
        assertThat(PausedQuestion.plan("ఒక కప్పు టీ కావాలి", Pauses.of(0), new SplittableRandom(1)).phrases())
                .containsExactly("ఒక కప్పు టీ కావాలి");
        assertThat(PausedQuestion.continuing("ఉందా?")).isEqualTo("ఉందా,");
        assertThat(PausedQuestion.continuing("హలో,")).isEqualTo("హలో,");
        assertThat(PausedQuestion.continuing("hello...")).isEqualTo("hello,");
    }

    @Test
    void thePhrasesAreJoinedByThePlannedPausesAndTheMarksSayWhereTheSpeechIs() throws IOException {
        Pauses pauses = Pauses.of(1.0);
        PausedQuestion.Plan plan = PausedQuestion.plan("one two three four five", pauses, new SplittableRandom(3));
        Path out = dir.resolve("user.wav");
        PausedQuestion.Spoken spoken = PausedQuestion.speak(new LevelsSynthesizer(), VOICE, plan, pauses, out);

        int lead = plan.leadMs() * RATE / 1000;
        int tail = RATE * LevelsSynthesizer.TAIL_MS / 1000;
        int length = lead + pauses.trailMs() * RATE / 1000;
        for (int i = 0; i < plan.phrases().size(); i++) {
            length += LevelsSynthesizer.toneSamples(plan.phrases().get(i)) + tail
                    + (i < plan.pauseMs().length ? plan.pauseMs()[i] * RATE / 1000 : 0);
        }
        float[] pcm = AudioIO.readMono(out, RATE);
        assertThat(pcm).hasSize(length);
        assertThat(spoken.seconds()).isCloseTo((double) length / RATE, within(1e-9));
        TurnMarks m = spoken.marks();
        assertThat(m.phrases()).isEqualTo(plan.phrases());
        assertThat(m.speechStartSeconds()).isCloseTo((double) lead / RATE, within(1e-9));
        // Each pause runs from the end of a phrase's tone (its faint decay is silence to the marks) to the next tone.
        int at = lead;
        for (int i = 0; i < plan.pauseMs().length; i++) {
            at += LevelsSynthesizer.toneSamples(plan.phrases().get(i));
            TurnMarks.Pause p = m.pauses().get(i);
            assertThat(p.startSeconds()).isCloseTo((double) at / RATE, within(1e-9));
            assertThat(p.millis()).isCloseTo(plan.pauseMs()[i] + LevelsSynthesizer.TAIL_MS, within(1e-6));
            at += tail + plan.pauseMs()[i] * RATE / 1000;
        }
        at += LevelsSynthesizer.toneSamples(plan.phrases().get(plan.phrases().size() - 1));
        assertThat(m.speechEndSeconds()).isCloseTo((double) at / RATE, within(1e-9));
        assertThat(m.tailEndSeconds()).isCloseTo((double) (at + tail) / RATE, within(1e-9));
        // After the decay: only the noise floor (at most -55 dBFS), nothing the detector calls speech.
        assertThat(rmsDb(pcm, at + tail + RATE / 100, pcm.length)).isLessThan(-54);
        assertThat(rmsDb(pcm, at - RATE / 10, at)).isGreaterThan(-20);
        // The phrases' own files are gone.
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("user.wav");
        }
    }

    @Test
    void aPhraseTheEngineSpeaksAsSilenceIsATtsError() {
        SpeechSynthesizer mute = new SpeechSynthesizer() {
            @Override
            public void synthesize(String text, Voice voice, Path out) {
                WavWriter.writePcm16(out, new float[1600], RATE);
            }

            @Override
            public String describe() {
                return "mute";
            }
        };
        PausedQuestion.Plan plan = PausedQuestion.plan("one two", Pauses.of(1.0), new SplittableRandom(1));
        assertThatThrownBy(() -> PausedQuestion.speak(mute, VOICE, plan, Pauses.of(1.0), dir.resolve("user.wav")))
                .isInstanceOf(TtsException.class).hasMessageContaining("mute", "as silence", "-55 dBFS");
    }

    @Test
    void espeakNgPhrasesGiveMarksThatAgreeWithTheirAudio() throws Exception {
        assumeTrue(new ProcessBuilder("sh", "-c", "command -v espeak-ng").start().waitFor() == 0,
                "espeak-ng not installed (apt-get install espeak-ng); .ci/run installs it");
        Pauses pauses = Pauses.of(1.0);
        PausedQuestion.Plan plan = PausedQuestion.plan("నాకు ఒక కప్పు టీ కావాలి", pauses, new SplittableRandom(7));
        Path out = dir.resolve("user.wav");
        TurnMarks m = PausedQuestion.speak(new EspeakSynthesizer(), VOICE, plan, pauses, out).marks();
        int rate = WavReader.read(out).sampleRate();
        float[] pcm = AudioIO.readMono(out, rate);
        int start = (int) Math.round(m.speechStartSeconds() * rate);
        int end = (int) Math.round(m.speechEndSeconds() * rate);
        int w = rate / 100;
        // Speech starts and ends at 10 ms that reach -45 dBFS; before and after it nothing does.
        assertThat(rmsDb(pcm, start, start + w)).isGreaterThanOrEqualTo(-45.5);
        assertThat(rmsDb(pcm, end - w, end)).isGreaterThanOrEqualTo(-45.5);
        assertThat(maxWindowDb(pcm, 0, start, w)).isLessThan(-45);
        assertThat(maxWindowDb(pcm, end, pcm.length, w)).isLessThan(-45);
        for (TurnMarks.Pause p : m.pauses()) {
            assertThat(p.millis()).isGreaterThanOrEqualTo(150);
        }
        assertThat(m.pauses()).hasSize(plan.phrases().size() - 1);
    }

    static double rmsDb(float[] pcm, int from, int to) {
        double e = 0;
        for (int i = from; i < to; i++) {
            e += (double) pcm[i] * pcm[i];
        }
        return 10 * Math.log10(e / Math.max(1, to - from) + 1e-12);
    }

    private static double maxWindowDb(float[] pcm, int from, int to, int window) {
        double max = Double.NEGATIVE_INFINITY;
        for (int at = from; at + window <= to; at += window) {
            max = Math.max(max, rmsDb(pcm, at, at + window));
        }
        return max;
    }

    @Test
    void theSettingsAreChecked() {
        assertThatThrownBy(() -> Pauses.of(1.5)).hasMessageContaining("--pauses must be 0..1");
        assertThatThrownBy(() -> Pauses.of(0.5).withPauseRange(700, 150)).hasMessageContaining("150");
        assertThat(Pauses.of(0.75).describe()).containsEntry("pauseMs", List.of(150, 700))
                .containsEntry("assembly", PausedQuestion.VERSION);
    }
}
