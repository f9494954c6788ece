package dev.samvaad.dataset.synth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.samvaad.dataset.Split;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PairPlannerTest {
    private static final DialogueCorpus CORPUS = DialogueCorpus.builtIn("te");
    private static final VoiceBank VOICES = VoiceBank.espeak("te", 7);
    private static final int N = 4000;

    private final PairPlanner planner = new PairPlanner(CORPUS, VOICES, 7);
    private final List<PlannedPair> plans = IntStream.range(0, N).mapToObj(planner::plan).toList();

    @Test
    void sameSeedSamePlanWhateverTheOrderAndOtherSeedsDiffer() {
        PairPlanner again = new PairPlanner(CORPUS, VoiceBank.espeak("te", 7), 7);
        for (int i = N - 1; i >= 0; i -= 7) {
            assertThat(again.plan(i)).isEqualTo(plans.get(i));
        }
        PairPlanner other = new PairPlanner(CORPUS, VoiceBank.espeak("te", 8), 8);
        long same = IntStream.range(0, 200).filter(i -> other.plan(i).equals(plans.get(i))).count();
        assertThat(same).isLessThan(10);
    }

    @Test
    void everyBlockOfTwentyHoldsEachSplitInProportion() {
        for (int block = 0; block < N / PairPlanner.BLOCK; block++) {
            Map<Split, Integer> counts = new EnumMap<>(Split.class);
            for (int i = block * PairPlanner.BLOCK; i < (block + 1) * PairPlanner.BLOCK; i++) {
                counts.merge(plans.get(i).split(), 1, Integer::sum);
            }
            assertThat(counts).containsEntry(Split.TRAIN, 16).containsEntry(Split.VAL, 1)
                    .containsEntry(Split.TEST_VOICE, 1).containsEntry(Split.TEST_PARAPHRASE, 1)
                    .containsEntry(Split.TEST_SLOT, 1);
        }
    }

    @Test
    void heldOutWordingsOnlyInTestParaphrase() {
        Set<String> trainQuestions = questions(Split.TRAIN);
        for (PlannedPair p : plans) {
            int held = planner.heldOutWordings().get(p.text().intent());
            if (p.split() == Split.TEST_PARAPHRASE) {
                assertThat(p.text().wording()).isEqualTo(held);
            } else {
                assertThat(p.text().wording()).as("pair %d (%s)", p.index(), p.split()).isNotEqualTo(held);
            }
        }
        plans.stream().filter(p -> p.split() == Split.TEST_PARAPHRASE)
                .forEach(p -> assertThat(trainQuestions).doesNotContain(p.text().question()));
        // Every intent with a held-out wording is still trained on (with its other wordings).
        Set<String> trainedIntents = new HashSet<>();
        plans.stream().filter(p -> p.split() == Split.TRAIN).forEach(p -> trainedIntents.add(p.text().intent()));
        plans.stream().filter(p -> p.split() == Split.TEST_PARAPHRASE)
                .forEach(p -> assertThat(trainedIntents).contains(p.text().intent()));
    }

    @Test
    void heldOutSlotValuesOnlyInTestSlot() {
        Set<String> trainValues = new HashSet<>();
        plans.stream().filter(p -> p.split() != Split.TEST_SLOT).forEach(p -> trainValues.addAll(p.text().slots().values()));
        Set<String> held = new HashSet<>();
        planner.heldOutSlotValues().values().forEach(held::addAll);
        assertThat(held).isNotEmpty();
        List<PlannedPair> slotTests = plans.stream().filter(p -> p.split() == Split.TEST_SLOT).toList();
        assertThat(slotTests).isNotEmpty();
        for (PlannedPair p : slotTests) {
            assertThat(p.text().slots()).isNotEmpty();
            for (String v : p.text().slots().values()) {
                assertThat(held).contains(v);
                assertThat(trainValues).doesNotContain(v);
                assertThat(p.text().answer()).contains(v);
            }
        }
    }

    @Test
    void heldOutVoicesAndRatesOnlyInTestVoice() {
        for (PlannedPair p : plans) {
            boolean heldVoice = VOICES.heldOutVoices().contains(p.userVoice().name());
            boolean heldRate = VOICES.heldOutRates().contains(p.userVoice().rate());
            boolean testVoice = p.split() == Split.TEST_VOICE;
            assertThat(heldVoice).as("pair %d voice %s", p.index(), p.userVoice()).isEqualTo(testVoice);
            assertThat(heldRate).as("pair %d rate %s", p.index(), p.userVoice()).isEqualTo(testVoice);
            assertThat(p.userVoice().name()).isNotEqualTo(VOICES.assistant().name());
        }
        Set<String> testVoiceQuestions = new HashSet<>();
        plans.stream().filter(p -> p.split() == Split.TEST_VOICE).forEach(p -> testVoiceQuestions.add(p.text().question()));
        testVoiceQuestions.retainAll(questions(Split.TRAIN));
        assertThat(testVoiceQuestions).as("test-voice asks seen questions").isNotEmpty();
    }

    @Test
    void corpusWithoutSlotsOrParaphrasesPutsThoseSlotsInTrain() {
        DialogueCorpus tiny = DialogueCorpus.parse(new java.io.ByteArrayInputStream("""
                {"format": "samvaad-corpus/1", "language": "x", "intents": [
                  {"id": "a", "questions": ["q1"], "answer": "a1"},
                  {"id": "b", "questions": ["q2"], "answer": "a2"}]}""".getBytes(java.nio.charset.StandardCharsets.UTF_8)), "tiny");
        PairPlanner p = new PairPlanner(tiny, VOICES, 1);
        Map<Split, Integer> counts = new EnumMap<>(Split.class);
        IntStream.range(0, 100).forEach(i -> counts.merge(p.plan(i).split(), 1, Integer::sum));
        assertThat(counts).containsOnlyKeys(Split.TRAIN, Split.VAL, Split.TEST_VOICE)
                .containsEntry(Split.TRAIN, 90);
    }

    private Set<String> questions(Split split) {
        Set<String> out = new HashSet<>();
        plans.stream().filter(p -> p.split() == split).forEach(p -> out.add(p.text().question()));
        return out;
    }
}
