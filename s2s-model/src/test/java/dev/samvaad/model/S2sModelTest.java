package dev.samvaad.model;

import dev.samvaad.infer.ModelConfig;
import dev.samvaad.infer.ModelException;
import dev.samvaad.infer.WeightsFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class S2sModelTest {
    private static final ModelConfig TINY = new ModelConfig(2, 8, 32, 4, 1, 1, 64, 64);

    @Test
    void tinyModelOverfitsAHandfulOfPairs() {
        S2sModel model = S2sModel.create(TINY, 7, 1e-2);
        TokenBatch batch = TinyPairs.batch(TINY, 4, 11);
        double first = model.trainStep(batch);
        long start = System.nanoTime();
        double loss = first;
        int steps = 1;
        for (; steps < 300 && loss > 0.02; steps++) {
            loss = model.trainStep(batch);
        }
        System.out.printf("overfit: loss %.3f -> %.4f in %d steps, %.1f s%n", first, loss, steps,
                (System.nanoTime() - start) / 1e9);
        assertThat(first).isGreaterThan(1.5);
        BatchMetrics m = model.evaluate(batch);
        assertThat(m.loss()).isLessThan(0.05);
        assertThat(m.accuracy()).isEqualTo(1.0);
    }

    @Test
    void checkpointKeepsWeightsAndOptimiserAndRefusesAnotherCodec(@TempDir Path dir) throws Exception {
        S2sModel model = S2sModel.create(TINY, 3, 1e-2);
        TokenBatch batch = TinyPairs.batch(TINY, 3, 5);
        for (int i = 0; i < 3; i++) {
            model.trainStep(batch);
        }
        Path folder = dir.resolve("model ✓");
        ModelCheckpoint.save(folder, model, new ModelInfo("conversation", "codec-abc", 3, Map.of("valLoss", 1.5)));
        ModelCheckpoint.Loaded loaded = ModelCheckpoint.load(folder, "codec-abc");
        assertThat(loaded.info().step()).isEqualTo(3);
        assertThat(loaded.info().metrics()).containsEntry("valLoss", 1.5);
        assertThat(loaded.model().config()).isEqualTo(TINY);
        assertThat(loaded.model().logits(batch)).containsExactly(model.logits(batch));
        // Same Adam state: the next step changes both models identically.
        double a = model.trainStep(batch), b = loaded.model().trainStep(batch);
        assertThat(b).isCloseTo(a, within(1e-6));
        assertThat(loaded.model().logits(batch)).containsExactly(model.logits(batch), within(1e-5f));

        assertThatThrownBy(() -> ModelCheckpoint.load(folder, "codec-xyz")).isInstanceOf(ModelException.class)
                .hasMessageContaining("codec-abc").hasMessageContaining("codec-xyz");
        byte[] graph = Files.readAllBytes(folder.resolve("model.sd"));
        graph[graph.length / 2] ^= 1;
        Files.write(folder.resolve("model.sd"), graph);
        assertThatThrownBy(() -> ModelCheckpoint.load(folder, "codec-abc")).isInstanceOf(ModelException.class)
                .hasMessageContaining("model.sd is corrupted");
        assertThatThrownBy(() -> ModelCheckpoint.load(dir.resolve("nothing"), "codec-abc"))
                .hasMessageContaining("not a model folder");
    }

    @Test
    void aCheckpointCarriesTheWeightsTheRuntimeReadsAndOneWithoutGetsThemFromItsGraph(@TempDir Path dir) {
        S2sModel model = S2sModel.create(TINY, 4, 1e-2);
        model.trainStep(TinyPairs.batch(TINY, 3, 9));
        Path folder = dir.resolve("best");
        ModelCheckpoint.save(folder, model, new ModelInfo("conversation", "codec-abc", 1, Map.of()));
        WeightsFile.Loaded saved = WeightsFile.read(folder, "codec-abc", null);
        assertThat(saved.config()).isEqualTo(TINY);
        assertThat(saved.step()).isEqualTo(1);
        assertThat(saved.task()).isEqualTo("conversation");
        Map<String, float[]> expected = model.weights();
        assertThat(saved.weights()).containsOnlyKeys(expected.keySet());
        expected.forEach((name, w) -> assertThat(saved.weights().get(name)).as(name).containsExactly(w));
        assertThatThrownBy(() -> WeightsFile.read(folder, "codec-xyz", null)).isInstanceOf(ModelException.class)
                .hasMessageContaining("codec-abc").hasMessageContaining("codec-xyz");

        // A checkpoint saved before the weights file: the runtime says how to make it, and it is made.
        assertThat(folder.resolve("weights.smvd").toFile().delete()).isTrue();
        assertThatThrownBy(() -> WeightsFile.read(folder, "codec-abc", null)).isInstanceOf(ModelException.class)
                .hasMessage(folder + ": no weights.smvd (a checkpoint written before the weights file; write it with: "
                        + "bin/samvaad export-weights --model " + folder + ")");
        assertThat(ModelCheckpoint.writeWeights(folder)).isEqualTo(folder.resolve("weights.smvd"));
        expected.forEach((name, w) -> assertThat(WeightsFile.read(folder, "codec-abc", null).weights().get(name))
                .as(name).containsExactly(w));
    }

    @Test
    void aModelWhoseSummaryReadsTheIntentPosteriorKeepsItThroughACheckpoint(@TempDir Path dir) throws Exception {
        ModelConfig config = TINY.withSummary(true, java.util.List.of("ask", "greet")).withIntentSummary(true);
        S2sModel model = S2sModel.create(config, 5, 1e-2);
        TokenBatch batch = TinyPairs.batch(config, 3, 5).withIntents(new int[] {0, 1, -1});
        for (int i = 0; i < 3; i++) {
            model.trainStep(batch);
        }
        ModelCheckpoint.save(dir.resolve("m"), model, new ModelInfo("conversation", "codec-abc", 3, Map.of()));
        S2sModel loaded = ModelCheckpoint.load(dir.resolve("m"), "codec-abc").model();
        assertThat(loaded.config().intentSummary()).isTrue();
        assertThat(loaded.logits(batch)).containsExactly(model.logits(batch));
        assertThatThrownBy(() -> TINY.withIntentSummary(true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("intentSummary needs a summary and intents");
    }

    @Test
    void aModelWhoseCodesReadOnlyTheTextKeepsItThroughACheckpoint(@TempDir Path dir) throws Exception {
        ModelConfig config = TINY.withText(java.util.List.of("a", "b")).withSummary(true, java.util.List.of())
                .withCodesReadTextOnly(true);
        S2sModel model = S2sModel.create(config, 5, 1e-2);
        TokenBatch batch = TinyPairs.withText(config, TinyPairs.batch(config, 3, 5), 6);
        for (int i = 0; i < 3; i++) {
            model.trainStep(batch);
        }
        ModelCheckpoint.save(dir.resolve("m"), model, new ModelInfo("conversation", "codec-abc", 3, Map.of()));
        S2sModel loaded = ModelCheckpoint.load(dir.resolve("m"), "codec-abc").model();
        assertThat(loaded.config().codesReadTextOnly()).isTrue();
        assertThat(loaded.logits(batch)).containsExactly(model.logits(batch));
        assertThatThrownBy(() -> TINY.withCodesReadTextOnly(true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("codesReadTextOnly needs textSymbols");
        assertThat(config.withText(java.util.List.of()).codesReadTextOnly()).as("no text, nothing to read").isFalse();
    }

    @Test
    void theEncoderLearnsToRecogniseTheQuestionsSymbolsAndTheStepReportsTheTrueLoss() {
        ModelConfig config = TINY.withQuestionSymbols(java.util.List.of("a", "b", "c"), false);
        S2sModel model = S2sModel.create(config, 7, 1e-2);
        TokenBatch plain = TinyPairs.batch(config, 3, 11);
        int[][] transcripts = {{1, 2, 3}, {3, 3}, {2}};
        TokenBatch batch = plain.withQuestionSymbols(transcripts);
        // The step's loss is the graph's (codes) plus the CTC loss of the head's logits, as Ctc computes it.
        double ctcBefore = meanCtc(model, batch, transcripts);
        double codesOnly = model.evaluate(plain).loss();
        assertThat(model.trainStep(batch)).isCloseTo(codesOnly + ctcBefore, within(1e-3));
        for (int i = 0; i < 60; i++) {
            model.trainStep(batch);
        }
        double after = meanCtc(model, batch, transcripts);
        assertThat(after).as("CTC loss after 60 steps (before %.3f)", ctcBefore).isLessThan(ctcBefore / 3);
    }

    /** The mean over the rows of the CTC loss per transcript symbol, of the model's CTC head (G = 1: a frame per step). */
    private static double meanCtc(S2sModel model, TokenBatch batch, int[][] transcripts) {
        float[] logits = model.sameDiff().output(GraphInputs.of(model.config(), batch), S2sGraph.CTC_LOGITS)
                .get(S2sGraph.CTC_LOGITS).dup('c').data().asFloat();
        int frames = batch.sourceFrames(), classes = model.config().ctcClasses();
        double mean = 0;
        for (int r = 0; r < transcripts.length; r++) {
            int real = 0;
            for (float m : batch.encoderMask()[r]) {
                real += m > 0 ? 1 : 0;
            }
            mean += Ctc.loss(logits, r * frames * classes, real, classes, transcripts[r], null, 1)
                    / transcripts[r].length / transcripts.length;
        }
        return mean;
    }

    @Test
    void clippingScalesAllGradientsTogetherBeforeAdam() {
        TokenBatch batch = TinyPairs.batch(TINY, 3, 5);
        S2sModel free = S2sModel.create(TINY, 3, 1e-2), clipped = S2sModel.create(TINY, 3, 1e-2);
        S2sModel.StepResult a = free.trainStep(batch, Double.POSITIVE_INFINITY);
        S2sModel.StepResult b = clipped.trainStep(batch, a.gradientNorm() / 10);
        assertThat(a.clipped()).isFalse();
        assertThat(b.clipped()).isTrue();
        assertThat(b.loss()).isEqualTo(a.loss());
        assertThat(b.gradientNorm()).isCloseTo(a.gradientNorm(), within(1e-9));
        assertThat(clipped.steps()).isEqualTo(1);
        // Adam's first moment after one step is (1 - beta1) * gradient: the clipped one is a tenth.
        for (String name : java.util.List.of("head.w", "enc.0.ff.w1")) {
            float[] m1 = ((org.nd4j.linalg.api.ndarray.INDArray) free.sameDiff().getUpdaterMap().get(name).getState().get("M")).dup('c').data().asFloat();
            float[] m2 = ((org.nd4j.linalg.api.ndarray.INDArray) clipped.sameDiff().getUpdaterMap().get(name).getState().get("M")).dup('c').data().asFloat();
            for (int i = 0; i < m1.length; i++) {
                assertThat(m2[i]).isCloseTo(m1[i] / 10, within(1e-6f + Math.abs(m1[i]) * 1e-4f));
            }
        }
        assertThatThrownBy(() -> free.trainStep(batch, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
