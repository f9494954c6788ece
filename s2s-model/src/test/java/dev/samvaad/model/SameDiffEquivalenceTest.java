package dev.samvaad.model;

import dev.samvaad.infer.FastDecoder;
import dev.samvaad.infer.FrameGroups;
import dev.samvaad.infer.FrameListener;
import dev.samvaad.infer.GenerationOptions;
import dev.samvaad.infer.ModelConfig;
import dev.samvaad.infer.TextTokens;
import dev.samvaad.infer.WeightNames;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The pure-Java decoder computes what the SameDiff graph computes, and decodes what it learned. */
class SameDiffEquivalenceTest {

    @Test
    void fastDecoderLogitsEqualSameDiffAtEveryStep() {
        for (ModelConfig config : new ModelConfig[] {new ModelConfig(2, 8, 32, 4, 2, 2, 64, 64),
            new ModelConfig(3, 5, 24, 3, 1, 2, 40, 64)}) {
            S2sModel model = S2sModel.create(config, 21, 3e-2);
            TokenBatch batch = TinyPairs.batch(config, 3, 8);
            for (int i = 0; i < 3; i++) {
                model.trainStep(batch); // moves gains and biases away from their initial 1 and 0
            }
            assertGroupedEquivalence(config, model.weights(), batch, batch, model.logits(batch), true);
        }
    }

    @Test
    void overfittedModelIsRegeneratedExactlyByGreedyDecoding() {
        ModelConfig config = new ModelConfig(2, 8, 32, 4, 1, 1, 64, 64);
        S2sModel model = S2sModel.create(config, 7, 1e-2);
        TokenBatch batch = TinyPairs.batch(config, 4, 11);
        double loss = Double.MAX_VALUE;
        for (int step = 0; step < 300 && loss > 0.01; step++) {
            loss = model.trainStep(batch);
        }
        assertThat(loss).isLessThan(0.01);
        FastDecoder decoder = FastDecoder.of(config, model.weights());
        for (int r = 0; r < batch.size(); r++) {
            int srcLen = (int) sum(batch.encoderMask()[r]);
            int tgtLen = (int) sum(batch.labelMask()[r]) - 1; // without the EOS
            int[][] src = source(batch, r, srcLen);
            int[][] answer = decoder.start(src).generate(GenerationOptions.greedy(), FrameListener.none());
            for (int k = 0; k < config.codebooks(); k++) {
                assertThat(answer[k]).as("pair %d codebook %d", r, k)
                        .containsExactly(Arrays.copyOf(batch.labels()[r][k], tgtLen));
            }
        }
    }

    @Test
    void groupedStepsWithSourceNormEqualSameDiffAtEveryStep() {
        for (ModelConfig config : new ModelConfig[] {new ModelConfig(2, 8, 32, 4, 2, 2, 64, 64, 2, true),
            new ModelConfig(3, 5, 24, 3, 1, 2, 40, 64, 3, false).withSummary(true, java.util.List.of()),
            new ModelConfig(2, 6, 16, 2, 1, 1, 32, 64, 4, true).withSummary(true, java.util.List.of("a", "b"))}) {
            S2sModel model = S2sModel.create(config, 23, 3e-2);
            TokenBatch frames = TinyPairs.batch(config, 3, 9);
            TokenBatch batch = StepBatches.grouped(config, frames).withIntents(new int[] {1, 0, 1});
            for (int i = 0; i < 3; i++) {
                model.trainStep(batch);
            }
            float[] expected = model.logits(batch);
            assertGroupedEquivalence(config, model.weights(), frames, batch, expected, true);
            // The comparison can fail: a small change to one weight moves the logits past the tolerance.
            java.util.Map<String, float[]> perturbed = new java.util.LinkedHashMap<>(model.weights());
            float[] ln = perturbed.get("dec.ln.b").clone();
            ln[0] += 1e-2f;
            perturbed.put("dec.ln.b", ln);
            assertGroupedEquivalence(config, perturbed, frames, batch, expected, false);
        }
    }

    @Test
    void encoderReadingCodecFeaturesEqualsSameDiffAtEveryStep() {
        for (ModelConfig config : new ModelConfig[] {new ModelConfig(2, 8, 32, 4, 2, 2, 64, 64, 3, true).withSourceFeatures(5)
                .withSummary(true, java.util.List.of()),
            new ModelConfig(3, 5, 24, 3, 1, 1, 40, 64, 4, false).withSourceFeatures(4)
                    .withSummary(true, java.util.List.of("a", "b")).withMaxPool(true),
            new ModelConfig(2, 6, 16, 2, 1, 1, 32, 64, 4, false).withSourceFeatures(3)
                    .withSummary(true, java.util.List.of("a", "b", "c")).withIntentSummary(true),
            new ModelConfig(2, 6, 16, 2, 1, 1, 32, 64, 2, false).withSourceFeatures(3)
                    .withSummary(true, java.util.List.of("a", "b", "c")).withIntentSummary(true)
                    .withQuestionSymbols(java.util.List.of("x", "y", "z", "w"), true)}) {
            S2sModel model = S2sModel.create(config, 31, 3e-2);
            float[] codebook = model.weights().get(WeightNames.SOURCE_CODEBOOK);
            TokenBatch frames = TinyPairs.batch(config, 3, 10);
            TokenBatch batch = StepBatches.grouped(config, frames).withIntents(new int[] {1, 0, -1})
                    .withQuestionSymbols(new int[][] {{1, 2, 2}, null, {4, 3}});
            for (int i = 0; i < 3; i++) {
                model.trainStep(batch);
            }
            assertThat(model.weights().get(WeightNames.SOURCE_CODEBOOK)).as("the codec's table is not trained")
                    .containsExactly(codebook);
            float[] expected = model.logits(batch);
            assertGroupedEquivalence(config, model.weights(), frames, batch, expected, true);
            if (!config.intents().isEmpty()) {
                float[] intents = model.sameDiff().output(GraphInputs.of(config, batch), S2sGraph.INTENT_LOGITS)
                        .get(S2sGraph.INTENT_LOGITS).dup('c').data().asFloat();
                FastDecoder decoder = FastDecoder.of(config, model.weights());
                for (int r = 0; r < batch.size(); r++) {
                    int[][] src = source(frames, r, (int) sum(frames.encoderMask()[r]));
                    float[] fast = decoder.intentLogits(src);
                    float[] session = decoder.start(src).intentLogits();
                    for (int k = 0; k < fast.length; k++) {
                        assertThat(fast[k]).as("%s row %d intent %d", config, r, k)
                                .isCloseTo(intents[r * fast.length + k], within(1e-4f));
                        assertThat(session[k]).isEqualTo(fast[k]);
                    }
                }
            }
            java.util.List<String> names = new java.util.ArrayList<>(java.util.List.of(WeightNames.SOURCE_CODEBOOK,
                    "src.conv.0.w", "src.conv." + (config.sourceStrides().length - 1) + ".b"));
            if (config.intentSummary()) {
                names.add("intent.b"); // the decoder reads the intent head's posterior
            }
            if (config.bagIntent()) {
                names.add("ctc.w"); // ... which reads the CTC head's bag of symbols
            }
            for (String name : names) {
                java.util.Map<String, float[]> perturbed = new java.util.LinkedHashMap<>(model.weights());
                float[] w = perturbed.get(name).clone();
                w[1] += name.startsWith("intent.") ? 1f : 0.05f;
                perturbed.put(name, w);
                assertGroupedEquivalence(config, perturbed, frames, batch, expected, false);
            }
        }
    }

    /** Asserts (or, with {@code equal} false, refutes) that every step's logits match SameDiff's within 1e-4. */
    private static void assertGroupedEquivalence(ModelConfig config, java.util.Map<String, float[]> weights,
            TokenBatch frames, TokenBatch batch, float[] expected, boolean equal) {
        FastDecoder decoder = FastDecoder.of(config, weights);
        int s = config.streams(), v = config.layout().vocabulary(), td = batch.targetFrames();
        float worst = 0;
        for (int r = 0; r < batch.size(); r++) {
            int srcLen = (int) sum(frames.encoderMask()[r]);
            int steps = (int) sum(batch.labelMask()[r]);
            int[][] src = source(frames, r, srcLen);
            int[][] dec = new int[s][];
            for (int k = 0; k < s; k++) {
                dec[k] = Arrays.copyOf(batch.decoderInput()[r][k], steps);
            }
            float[][] full = decoder.forwardFull(src, dec);
            FastDecoder.Session session = decoder.start(src);
            for (int t = 0; t < steps; t++) {
                int[] step = new int[s];
                for (int k = 0; k < s; k++) {
                    step[k] = dec[k][t];
                }
                float[] stepped = session.step(step);
                for (int k = 0; k < s; k++) {
                    int row = (r * td + t) * s + k;
                    for (int i = 0; i < v; i++) {
                        float sameDiff = expected[row * v + i];
                        worst = Math.max(worst, Math.max(Math.abs(full[t][k * v + i] - sameDiff),
                                Math.abs(stepped[k * v + i] - sameDiff)));
                    }
                }
            }
        }
        if (equal) {
            assertThat(worst).as("%s: largest difference from SameDiff", config).isLessThan(1e-4f);
        } else {
            assertThat(worst).as("%s: a perturbed weight must be seen", config).isGreaterThan(1e-4f);
        }
    }

    @Test
    void overfittedGroupedModelIsRegeneratedExactly() {
        for (int group : new int[] {2, 3}) {
            ModelConfig config = new ModelConfig(2, 8, 32, 4, 1, 1, 64, 64, group, true);
            S2sModel model = S2sModel.create(config, 7, 1e-2);
            TokenBatch frames = TinyPairs.batch(config, 4, 11);
            TokenBatch batch = StepBatches.grouped(config, frames);
            double loss = Double.MAX_VALUE;
            for (int step = 0; step < 300 && loss > 0.01; step++) {
                loss = model.trainStep(batch);
            }
            assertThat(loss).isLessThan(0.01);
            FastDecoder decoder = FastDecoder.of(config, model.weights());
            for (int r = 0; r < frames.size(); r++) {
                int srcLen = (int) sum(frames.encoderMask()[r]);
                int tgtLen = (int) sum(frames.labelMask()[r]) - 1;
                int[][] src = source(frames, r, srcLen);
                java.util.List<Integer> heard = new java.util.ArrayList<>();
                int[][] answer = decoder.start(src).generate(GenerationOptions.greedy(), (i, f) -> heard.add(i));
                assertThat(heard).as("frames are streamed one by one").hasSize(tgtLen);
                for (int k = 0; k < config.codebooks(); k++) {
                    assertThat(answer[k]).as("G %d pair %d codebook %d", group, r, k)
                            .containsExactly(Arrays.copyOf(frames.labels()[r][k], tgtLen));
                }
            }
        }
    }

    @Test
    void textMonologueThenCodesEqualSameDiffAtEveryRow() {
        java.util.List<String> symbols = java.util.List.of("a", "b", "c", "\u0c24");
        for (ModelConfig config : new ModelConfig[] {new ModelConfig(2, 8, 32, 4, 1, 2, 64, 64, 2, true).withText(symbols),
            new ModelConfig(3, 5, 24, 3, 1, 1, 40, 64, 1, false).withText(symbols)
                    .withSummary(true, java.util.List.of("ask", "greet", "thank")),
            new ModelConfig(2, 6, 16, 2, 1, 2, 32, 64, 2, false).withSourceFeatures(3).withText(symbols)
                    .withSummary(true, java.util.List.of("ask", "greet", "thank")).withCodesReadTextOnly(true)}) {
            S2sModel model = S2sModel.create(config, 29, 3e-2);
            TokenBatch frames = TinyPairs.batch(config, 3, 13);
            TokenBatch batch = TinyPairs.withText(config, StepBatches.grouped(config, frames), 17)
                    .withIntents(new int[] {2, -1, 0});
            for (int i = 0; i < 3; i++) {
                model.trainStep(batch);
            }
            float[] codeExpected = model.logits(batch);
            float[] textExpected = model.textLogits(batch);
            FastDecoder decoder = FastDecoder.of(config, model.weights());
            int s = config.streams(), v = config.layout().vocabulary(), vt = config.textVocabulary();
            int lt = batch.textTokens(), td = batch.targetFrames();
            for (int r = 0; r < batch.size(); r++) {
                int srcLen = (int) sum(frames.encoderMask()[r]);
                int steps = (int) sum(batch.labelMask()[r]);
                int textRows = (int) sum(batch.textMask()[r]);
                int[][] src = source(frames, r, srcLen);
                int[][] dec = new int[s][];
                for (int k = 0; k < s; k++) {
                    dec[k] = Arrays.copyOf(batch.decoderInput()[r][k], steps);
                }
                int[] text = Arrays.copyOf(batch.textInput()[r], textRows);
                FastDecoder.FullLogits full = decoder.forwardFull(src, text, dec);
                FastDecoder.Session session = decoder.start(src);
                for (int i = 0; i < textRows; i++) {
                    float[] stepped = session.stepText(text[i]);
                    for (int j = 0; j < vt; j++) {
                        float sameDiff = textExpected[(r * lt + i) * vt + j];
                        assertThat(stepped[j]).as("%s row %d text %d token %d", config, r, i, j).isCloseTo(sameDiff, within(1e-4f));
                        assertThat(full.text()[i][j]).isCloseTo(sameDiff, within(1e-4f));
                    }
                }
                for (int t = 0; t < steps; t++) {
                    int[] step = new int[s];
                    for (int k = 0; k < s; k++) {
                        step[k] = dec[k][t];
                    }
                    float[] stepped = session.step(step);
                    for (int k = 0; k < s; k++) {
                        for (int i = 0; i < v; i++) {
                            float sameDiff = codeExpected[((r * td + t) * s + k) * v + i];
                            assertThat(stepped[k * v + i]).as("%s row %d step %d stream %d", config, r, t, k)
                                    .isCloseTo(sameDiff, within(1e-4f));
                            assertThat(full.codes()[textRows + t][k * v + i]).isCloseTo(sameDiff, within(1e-4f));
                        }
                    }
                }
                if (config.codesReadTextOnly()) {
                    assertCodeRowsSkipTheQuestion(config, model.weights(), src, text, dec);
                }
            }
        }
    }

    /**
     * In a model whose code rows read only the text, the last decoder layer's cross-attention
     * reaches the text rows' logits but not the code rows' (the code rows of earlier layers read
     * the text rows' states, so only the last layer's is out of their reach).
     */
    private static void assertCodeRowsSkipTheQuestion(ModelConfig config, java.util.Map<String, float[]> weights,
            int[][] src, int[] text, int[][] dec) {
        FastDecoder.FullLogits before = FastDecoder.of(config, weights).forwardFull(src, text, dec);
        java.util.Map<String, float[]> perturbed = new java.util.LinkedHashMap<>(weights);
        String name = "dec." + (config.decoderLayers() - 1) + ".cross.bo";
        float[] w = perturbed.get(name).clone();
        w[0] += 0.5f;
        perturbed.put(name, w);
        FastDecoder.FullLogits after = FastDecoder.of(config, perturbed).forwardFull(src, text, dec);
        assertThat(after.text()[0]).as("the text rows read the question").isNotEqualTo(before.text()[0]);
        for (int t = 0; t < dec[0].length; t++) {
            assertThat(after.codes()[text.length + t]).as("code row %d", t).containsExactly(before.codes()[text.length + t]);
        }
    }

    @Test
    void overfittedMonologueModelWritesTheTextThenTheCodes() {
        java.util.List<String> symbols = java.util.List.of("a", "b", "c", "d");
        ModelConfig config = new ModelConfig(2, 8, 32, 4, 1, 1, 64, 64, 2, true).withText(symbols);
        S2sModel model = S2sModel.create(config, 7, 1e-2);
        TokenBatch frames = TinyPairs.batch(config, 4, 11);
        TokenBatch batch = TinyPairs.withText(config, StepBatches.grouped(config, frames), 5);
        double loss = Double.MAX_VALUE;
        for (int step = 0; step < 400 && loss > 0.01; step++) {
            loss = model.trainStep(batch);
        }
        assertThat(loss).isLessThan(0.01);
        FastDecoder decoder = FastDecoder.of(config, model.weights());
        TextTokens tokens = new TextTokens(config);
        for (int r = 0; r < frames.size(); r++) {
            int srcLen = (int) sum(frames.encoderMask()[r]);
            int tgtLen = (int) sum(frames.labelMask()[r]) - 1;
            int[][] src = source(frames, r, srcLen);
            FastDecoder.Session session = decoder.start(src);
            int[][] answer = session.generate(GenerationOptions.greedy(), FrameListener.none());
            int chars = (int) sum(batch.textMask()[r]) - 1;
            assertThat(session.text()).isEqualTo(tokens.decode(batch.textLabels()[r], chars));
            for (int k = 0; k < config.codebooks(); k++) {
                assertThat(answer[k]).containsExactly(Arrays.copyOf(frames.labels()[r][k], tgtLen));
            }
        }
    }

    /** The first {@code frames} source frames of row {@code r}, {@code [Q][frames]}. */
    private static int[][] source(TokenBatch batch, int r, int frames) {
        int[][] out = new int[batch.encoderInput()[r].length][];
        for (int k = 0; k < out.length; k++) {
            out[k] = Arrays.copyOf(batch.encoderInput()[r][k], frames);
        }
        return out;
    }

    private static double sum(float[] x) {
        double s = 0;
        for (float v : x) {
            s += v;
        }
        return s;
    }
}
