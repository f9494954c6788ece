package dev.samvaad.eval;

import dev.samvaad.agent.AgentOptions;
import dev.samvaad.agent.ConversationAgent;
import dev.samvaad.agent.EndOfTurnOptions;
import dev.samvaad.agent.EndOfTurnPredictor;
import dev.samvaad.agent.TurnFeatures;
import dev.samvaad.codec.RvqCodec;
import dev.samvaad.dataset.ConversationCorpus;
import dev.samvaad.dataset.Split;
import dev.samvaad.infer.FastDecoder;
import dev.samvaad.infer.ModelConfig;
import dev.samvaad.infer.WeightNames;
import dev.samvaad.training.TurnFixtures;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Latency from the last speech sample and cut-ins, through the agent, with agents whose behaviour is known. */
class TurnTakingEvaluatorTest {
    @TempDir
    static Path dir;
    static List<TurnTakingEvaluator.Item> items;
    static FastDecoder decoder;
    static final RvqCodec CODEC = TurnFixtures.codec();

    @BeforeAll
    static void data() {
        Path data = dir.resolve("turns");
        // No breaths: one loud enough to be heard would split a pause, and this test counts pauses.
        TurnFixtures.generate(data, 40, new dev.samvaad.dataset.synth.Pauses(0.8, 150, 700, 3, 0, 1500));
        items = TurnTakingEvaluator.items(ConversationCorpus.open(data), EnumSet.allOf(Split.class), 1000);
        ModelConfig config = new ModelConfig(CODEC.codebooks(), CODEC.codebookSize(), 32, 4, 1, 1, 64, 400);
        java.util.Map<String, float[]> weights = WeightNames.initial(config, 3);
        weights.get("head.b")[config.layout().eos()] -= 50;
        decoder = FastDecoder.of(config, weights);
    }

    /** A predictor that always gives {@code probability}. */
    static EndOfTurnPredictor constant(double probability) {
        int f = TurnFeatures.SIZE;
        float[] scale = new float[f];
        java.util.Arrays.fill(scale, 1);
        EndOfTurnPredictor.Config config = new EndOfTurnPredictor.Config(CODEC.fingerprint(), TurnFeatures.VERSION, f, 0,
                0.5, 100, null);
        return new EndOfTurnPredictor(CODEC, config, new float[f], scale, new float[0], new float[0], new float[f],
                (float) Math.log(probability / (1 - probability)));
    }

    private static List<TurnTakingEvaluator.Outcome> run(EndOfTurnPredictor predictor, int maxSilenceMs) {
        AgentOptions options = AgentOptions.builder().maxReplySeconds(0.2)
                .endOfTurn(new EndOfTurnOptions(0, maxSilenceMs, Double.NaN)).build();
        try (ConversationAgent agent = new ConversationAgent(CODEC, decoder, options, null, predictor)) {
            return new TurnTakingEvaluator(20, 1).run(agent, items);
        }
    }

    private static boolean paused(TurnTakingEvaluator.Outcome o) {
        return !o.item().marks().pauses().isEmpty();
    }

    @Test
    void anAgentThatAlwaysThinksTheUserIsDoneCutsInAtEveryPauseAndAnswersTheRestAtOnce() {
        List<TurnTakingEvaluator.Outcome> out = run(constant(0.99), 1000);
        assertThat(out).hasSize(items.size());
        assertThat(out.stream().filter(TurnTakingEvaluatorTest::paused)).isNotEmpty()
                .allSatisfy(o -> assertThat(o.cutIn()).isTrue());
        // Without a pause: the turn ends after 100 ms of silence (5 frames, a frame for the detector to
        // hear the silence start, a chunk), plus the compute.
        assertThat(out.stream().filter(o -> !paused(o))).isNotEmpty().allSatisfy(o -> {
            assertThat(o.cutIn()).isFalse();
            assertThat(o.endOfTurn()).isEqualTo("predicted");
            assertThat(o.decisionMs()).isBetween(80.0, 150.0);
            assertThat(o.latencyMs()).isCloseTo(o.decisionMs() + o.computeMs(), within(1e-9));
        });
        Map<String, Object> s = TurnTakingEvaluator.summary(out);
        assertThat((double) s.get("latencyP50Ms")).isBetween(80.0, 200.0);
    }

    @Test
    void anAgentThatNeverThinksSoWaitsItsLongestSilenceAndNeverCutsIn() {
        List<TurnTakingEvaluator.Outcome> out = run(constant(0.01), 800);
        assertThat(out).allSatisfy(o -> {
            assertThat(o.cutIn()).isFalse();
            assertThat(o.turns()).isEqualTo(1);
            assertThat(o.endOfTurn()).isEqualTo("hangover");
            assertThat(o.decisionMs()).isBetween(780.0, 840.0);
        });
    }

    @Test
    void theFixedHangoverCutsInExactlyAtThePausesLongerThanItAndTheReportSaysSo() {
        List<TurnTakingEvaluator.Outcome> fixed = run(null, 1000);
        for (TurnTakingEvaluator.Outcome o : fixed) {
            double longest = o.item().marks().longestPauseMs();
            if (longest > 340) {
                assertThat(o.cutIn()).as(o.item().name() + " pause " + longest).isTrue();
            } else if (longest < 260) {
                assertThat(o.cutIn()).as(o.item().name() + " pause " + longest).isFalse();
            }
            if (!o.cutIn()) {
                assertThat(o.decisionMs()).isBetween(280.0, 360.0);
            }
        }
        Map<String, List<TurnTakingEvaluator.Outcome>> results = new LinkedHashMap<>();
        results.put("predictor", run(constant(0.01), 800));
        results.put("fixed 300 ms hangover", fixed);
        Map<String, Object> json = TurnTakingEvaluator.toJson(Map.of("note", "test"), results);
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> summary = (Map<String, Map<String, Object>>) json.get("summary");
        assertThat(summary).containsOnlyKeys("predictor", "fixed 300 ms hangover");
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> bins = (Map<String, Map<String, Object>>) summary.get("fixed 300 ms hangover")
                .get("cutInsByLongestPause");
        assertThat(bins).containsOnlyKeys(TurnTakingEvaluator.binNames());
        assertThat(bins.values().stream().mapToLong(b -> (long) b.get("turns")).sum()).isEqualTo(items.size());
        long cut = fixed.stream().filter(TurnTakingEvaluator.Outcome::cutIn).count();
        assertThat(summary.get("fixed 300 ms hangover").get("cutIns"))
                .isEqualTo(Map.of("turns", (long) items.size(), "cutIns", cut, "rate",
                        Math.round(10_000.0 * cut / items.size()) / 10_000.0));
        String table = TurnTakingEvaluator.toMarkdown(results);
        assertThat(table).contains("| predictor | " + items.size() + " |", "| fixed 300 ms hangover |", "pause >= 500 ms");
        assertThat((List<?>) json.get("turns")).hasSize(items.size());
    }

    @Test
    void aDataSetWithoutMarksIsRefused() {
        assertThatThrownBy(() -> TurnTakingEvaluator.items(ConversationCorpus.open(dir.resolve("turns")),
                EnumSet.of(Split.TEST_VOICE), 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("generate-data --pauses");
    }
}
