package dev.samvaad.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.samvaad.agent.EndOfTurnPredictor;
import dev.samvaad.dataset.ConversationCorpus;
import dev.samvaad.dataset.ConversationPair;
import dev.samvaad.dataset.Split;
import dev.samvaad.dataset.TurnMarks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The end-of-turn predictor learns what tells an end from a pause, and is calibrated on questions it did not see. */
class EndOfTurnTrainerTest {
    @TempDir
    static Path dir;
    static Path data;
    /** Few epochs: the cue is plain. */
    static final EndOfTurnTrainer.Options OPTIONS = new EndOfTurnTrainer.Options(100, 1000, 16, 15, 3e-3, 1e-4, 1, 0.05,
            300, 2, 0.3, 3);

    @BeforeAll
    static void generate() {
        data = dir.resolve("turns");
        TurnFixtures.generate(data, 60, 1.0);
    }

    private static TurnMarks marks(ConversationPair pair) {
        return TurnMarks.of(pair.meta().orElseThrow()).orElseThrow();
    }

    @Test
    void everySilenceIsHeardAsTheAgentHearsItAndLabelledByWhetherTheUserSpokeAgain() {
        EndOfTurnTrainer trainer = new EndOfTurnTrainer(TurnFixtures.codec(), OPTIONS);
        int checked = 0;
        for (ConversationPair pair : ConversationCorpus.open(data).pairs()) {
            TurnMarks m = marks(pair);
            List<EndOfTurnTrainer.Silence> silences = trainer.silences(pair.id(), pair.userWav(), m);
            // The glides have no gap inside: a silence at each pause (two when a breath loud enough
            // to be heard splits it), then the end; only the last is the end.
            assertThat(silences).hasSizeGreaterThanOrEqualTo(m.pauses().size() + 1);
            assertThat(silences.get(silences.size() - 1).end()).isTrue();
            assertThat(silences.subList(0, silences.size() - 1)).allSatisfy(s -> assertThat(s.end()).isFalse());
            assertThat(silences).allSatisfy(s -> assertThat(s.tempoCopies()).hasSize(OPTIONS.augment()));
            for (TurnMarks.Pause pause : m.pauses()) {
                assertThat(silences).anySatisfy(s -> assertThat(s.lastVoicedEnd()).isCloseTo(pause.startSeconds(),
                        org.assertj.core.api.Assertions.within(0.03)));
            }
            EndOfTurnTrainer.Silence end = silences.get(silences.size() - 1);
            assertThat(end.lastVoicedEnd()).isCloseTo(m.speechEndSeconds(), org.assertj.core.api.Assertions.within(0.03));
            // The final silence lasts until the longest wait (1 s) ended it.
            assertThat(end.firstFrame() + end.features().size()).isEqualTo(1000 / end.frameMs());
            checked += m.pauses().size();
        }
        assertThat(checked).isGreaterThan(20);
    }

    @Test
    void itLearnsThatAFallingPitchEndsTheTurnAndARisingOneDoesNot() {
        ConversationCorpus corpus = ConversationCorpus.open(data);
        EndOfTurnTrainer trainer = new EndOfTurnTrainer(TurnFixtures.codec(), OPTIONS);
        EndOfTurnTrainer.Result result = trainer.train(corpus);
        EndOfTurnPredictor p = result.predictor();
        Map<String, Object> record = result.record();
        assertThat((int) record.get("questions")).isEqualTo((int) corpus.pairs().stream()
                .filter(x -> x.split() == Split.TRAIN || x.split() == Split.VAL).count());
        assertThat(record.get("folds")).isEqualTo(3);
        assertThat((double) record.get("calibrationCutIns")).isLessThanOrEqualTo(OPTIONS.targetCutIns());
        assertThat(p.threshold()).isEqualTo((double) record.get("threshold")).isBetween(0.0, 1.0);
        assertThat(p.config().codecFingerprint()).isEqualTo(TurnFixtures.codec().fingerprint());
        // On questions never learned from (the test splits): ends above the threshold, pauses below, at once.
        List<Double> ends = new ArrayList<>();
        List<Double> pauses = new ArrayList<>();
        for (Split split : List.of(Split.TEST_VOICE, Split.TEST_PARAPHRASE, Split.TEST_SLOT)) {
            for (ConversationPair pair : corpus.pairs(split)) {
                for (EndOfTurnTrainer.Silence s : trainer.silences(pair.id(), pair.userWav(), marks(pair))) {
                    (s.end() ? ends : pauses).add(p.probability(s.features().get(0)));
                }
            }
        }
        assertThat(ends).hasSizeGreaterThanOrEqualTo(6);
        assertThat(pauses).isNotEmpty();
        assertThat(ends).allSatisfy(v -> assertThat(v).isGreaterThan(p.threshold()));
        assertThat(pauses).allSatisfy(v -> assertThat(v).isLessThan(p.threshold()));
        // Trained again from the same data and seed: the same predictor (its record differs only in timings).
        EndOfTurnPredictor again = new EndOfTurnTrainer(TurnFixtures.codec(), OPTIONS).train(corpus).predictor();
        assertThat(again.threshold()).isEqualTo(p.threshold());
        ConversationPair first = corpus.pairs(Split.TEST_VOICE).get(0);
        for (EndOfTurnTrainer.Silence s : trainer.silences(first.id(), first.userWav(), marks(first))) {
            for (float[] x : s.features()) {
                assertThat(again.probability(x)).isEqualTo(p.probability(x));
            }
        }
    }

    @Test
    void aDataSetWithoutTurnMarksIsRefusedSayingHowToMakeOne() {
        Path plain = dir.resolve("plain");
        new dev.samvaad.dataset.synth.ConversationGenerator(new dev.samvaad.dataset.synth.ConversationGenerator.Settings(
                plain, 10, 7, 2, dev.samvaad.dataset.synth.DialogueCorpus.builtIn("te").onlyIntents(TurnFixtures.INTENTS),
                new dev.samvaad.dataset.synth.CorpusResponseSource(
                        dev.samvaad.dataset.synth.DialogueCorpus.builtIn("te").onlyIntents(TurnFixtures.INTENTS)),
                new TurnFixtures.GlideSynthesizer(), dev.samvaad.dataset.synth.VoiceBank.espeak("te", 7))).run(null);
        assertThatThrownBy(() -> new EndOfTurnTrainer(TurnFixtures.codec(), OPTIONS).train(ConversationCorpus.open(plain)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(plain.toString(), "generate-data --pauses");
    }

    @Test
    void optionsOutOfRangeAreRefused() {
        assertThatThrownBy(() -> new EndOfTurnTrainer.Options(100, 100, 16, 15, 3e-3, 1e-4, 1, 0.05, 300, 2, 0.3, 4))
                .hasMessageContaining("--min_silence_ms");
        assertThatThrownBy(() -> new EndOfTurnTrainer.Options(100, 1000, 16, 0, 3e-3, 1e-4, 1, 0.05, 300, 2, 0.3, 4))
                .hasMessageContaining("--epochs");
    }
}
