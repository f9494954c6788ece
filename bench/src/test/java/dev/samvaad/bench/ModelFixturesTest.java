package dev.samvaad.bench;

import dev.samvaad.infer.FastDecoder;
import dev.samvaad.infer.FrameListener;
import dev.samvaad.infer.GenerationOptions;
import dev.samvaad.infer.ModelConfig;
import dev.samvaad.infer.WeightNames;
import dev.samvaad.model.S2sModel;
import dev.samvaad.model.TokenBatch;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ModelFixturesTest {

    @Test
    void theCurrentModelsAreWhatTrainBuildsByDefault() {
        for (ModelConfig c : new ModelConfig[] {ModelFixtures.TINY, ModelFixtures.SMALL}) {
            assertThat(c.codebooks()).isEqualTo(4);
            assertThat(c.codebookSize()).isEqualTo(256);
            assertThat(c.frameGroup()).isEqualTo(4);
            assertThat(c.streams()).isEqualTo(16);
            assertThat(c.sourceFeatures()).isEqualTo(22);
            assertThat(c.readsFeatures()).isTrue();
            assertThat(c.sourceNorm()).isTrue();
            assertThat(c.textSymbols()).hasSize(48).doesNotHaveDuplicates();
            assertThat(c.intents()).hasSize(15);
            assertThat(c.summary()).isTrue();
            // train's defaults since the fifth session (EXPERIMENTS.md E29).
            assertThat(c.codesReadTextOnly()).isTrue();
            assertThat(c.intentSummary()).isTrue();
            assertThat(c.recognisesQuestion()).isTrue();
            assertThat(c.bagIntent()).isTrue();
            // src.codebook is the fixed [Q*V, D] table, random as WeightNames.initial gives it.
            assertThat(WeightNames.shape(c, WeightNames.SOURCE_CODEBOOK)).containsExactly(4 * 259, 22);
        }
        assertThat(ModelFixtures.TINY.dModel()).isEqualTo(64);
        assertThat(ModelFixtures.TINY.encoderLayers()).isEqualTo(1);
        assertThat(ModelFixtures.TINY.decoderLayers()).isEqualTo(1);
        assertThat(ModelFixtures.TINY.positions()).isEqualTo(100);
        assertThat(ModelFixtures.SMALL.dModel()).isEqualTo(128);
        assertThat(ModelFixtures.SMALL.encoderLayers()).isEqualTo(2);
        assertThat(ModelFixtures.SMALL.decoderLayers()).isEqualTo(2);
        assertThat(ModelFixtures.TINY.describe()).contains("width 64", "4 frames per step", "reads the codec's features",
                "text monologue of 48 symbols", "15 intents");
    }

    @Test
    void thePreviousModelsStayAsTrainStepBenchAndItsPyTorchTwinHaveThem() {
        assertThat(ModelFixtures.PREVIOUS_DEFAULT).isEqualTo(ModelConfig.small(6, 1024));
        assertThat(ModelFixtures.PREVIOUS_TINY).isEqualTo(new ModelConfig(4, 256, 64, 4, 1, 1, 256, 400));
        for (ModelConfig c : new ModelConfig[] {ModelFixtures.PREVIOUS_DEFAULT, ModelFixtures.PREVIOUS_TINY}) {
            assertThat(c.frameGroup()).isEqualTo(1);
            assertThat(c.hasText()).isFalse();
            assertThat(c.readsFeatures()).isFalse();
            assertThat(c.summary()).isFalse();
        }
    }

    @Test
    void modelsByTheBenchmarksParameterNames() {
        assertThat(ModelFixtures.named("tiny")).isSameAs(ModelFixtures.TINY);
        assertThat(ModelFixtures.named("small")).isSameAs(ModelFixtures.SMALL);
        assertThat(ModelFixtures.named("previous")).isSameAs(ModelFixtures.PREVIOUS_DEFAULT);
        assertThatThrownBy(() -> ModelFixtures.named("huge")).hasMessageContaining("huge");
        assertThat(ModelFixtures.textRows(ModelFixtures.TINY)).isEqualTo(41);
        assertThat(ModelFixtures.textRows(ModelFixtures.PREVIOUS_DEFAULT)).isZero();
    }

    @Test
    void aPrefixBatchHasTheTextRowsAndStepsOfTheCachedSession() {
        ModelConfig c = ModelFixtures.TINY;
        TokenBatch b = ModelFixtures.prefix(new SplittableRandom(3), c, 150, 41, 25);
        assertThat(b.size()).isEqualTo(1);
        assertThat(b.sourceFrames()).isEqualTo(38);               // ceil(150 / 4) steps
        assertThat(b.encoderInput()[0]).hasNumberOfRows(16);
        assertThat(b.targetFrames()).isEqualTo(25);
        assertThat(b.decoderInput()[0][0][0]).isEqualTo(c.layout().bos());
        assertThat(b.textTokens()).isEqualTo(41);
        assertThat(b.textInput()[0][0]).isEqualTo(ModelConfig.TEXT_BOS);
        assertThat(b.textLabels()[0][40]).isEqualTo(ModelConfig.TEXT_EOT);
        assertThat(java.util.Arrays.stream(b.textInput()[0]).max().getAsInt()).isLessThan(c.textVocabulary());
        TokenBatch old = ModelFixtures.prefix(new SplittableRandom(3), ModelFixtures.PREVIOUS_DEFAULT, 150, 0, 100);
        assertThat(old.targetFrames()).isEqualTo(100);
        assertThat(old.sourceFrames()).isEqualTo(150);
        assertThat(old.textInput()).isNull();
    }

    @Test
    void sameDiffOverThePrefixBatchComputesTheCachedSessionsLastStep() {
        // What DecoderStepBench sets side by side computes the same logits (short question, for speed).
        ModelConfig c = ModelFixtures.TINY;
        SplittableRandom rng = new SplittableRandom(5);
        S2sModel model = S2sModel.create(c, 1, 1e-3);
        TokenBatch batch = ModelFixtures.prefix(rng, c, 24, 4, 3);
        float[] sameDiff = model.logits(batch);
        FastDecoder.Session session = FastDecoder.of(c, model.weights()).start(sourceOf(batch, c));
        for (int token : batch.textInput()[0]) {
            session.stepText(token);
        }
        float[] last = null;
        for (int t = 0; t < 3; t++) {
            int[] step = new int[c.streams()];
            for (int s = 0; s < step.length; s++) {
                step[s] = batch.decoderInput()[0][s][t];
            }
            last = session.step(step);
        }
        int rowSize = c.streams() * c.layout().vocabulary(), row = 2; // code step 3 (logits are of the code rows only)
        for (int i = 0; i < rowSize; i++) {
            assertThat(last[i]).isCloseTo(sameDiff[row * rowSize + i], within(1e-4f));
        }
    }

    /** The question of a grouped one-row batch in frames, {@code [Q][frames]}. */
    private static int[][] sourceOf(TokenBatch batch, ModelConfig c) {
        int q = c.codebooks(), g = c.frameGroup(), steps = batch.sourceFrames();
        int[][] out = new int[q][steps * g];
        for (int t = 0; t < steps; t++) {
            for (int slot = 0; slot < g; slot++) {
                for (int k = 0; k < q; k++) {
                    out[k][t * g + slot] = batch.encoderInput()[0][slot * q + k][t];
                }
            }
        }
        return out;
    }

    @Test
    void generatingWeightsWriteAMonologueOfExactlyTheGivenLengthThenCodesThatDoNotEnd() {
        for (ModelConfig c : new ModelConfig[] {ModelFixtures.TINY, ModelFixtures.SMALL}) {
            for (int symbols : new int[] {40, 0, 7}) {
                FastDecoder decoder = FastDecoder.of(c, ModelFixtures.generating(c, 1, symbols));
                for (long question = 1; question <= 3; question++) {
                    FastDecoder.Session s = decoder.start(ModelFixtures.codes(new SplittableRandom(question), c,
                            60 + 40 * (int) question));
                    int[][] codes = s.generate(GenerationOptions.builder().maxFrames(12).build(), FrameListener.none());
                    assertThat(s.text().codePointCount(0, s.text().length())).as("%s, %d symbols, question %d",
                            c.describe(), symbols, question).isEqualTo(symbols);
                    assertThat(codes[0]).as("the EOS logit is pushed down").hasSize(12);
                }
            }
        }
        assertThatThrownBy(() -> ModelFixtures.generating(ModelFixtures.TINY, 1, 64)).hasMessageContaining("64 symbols");
    }

    @Test
    void generatingWeightsOfAModelWithoutTextOnlyPushEosDown() {
        ModelConfig c = ModelFixtures.PREVIOUS_TINY;
        Map<String, float[]> initial = WeightNames.initial(c, 1), w = ModelFixtures.generating(c, 1, 40);
        assertThat(w.get("head.b")[c.layout().eos()]).isEqualTo(initial.get("head.b")[c.layout().eos()] - 50f);
        assertThat(w.get("head.w")).isEqualTo(initial.get("head.w"));
    }

    @Test
    void orthonormalVectorsAreOrthonormal() {
        float[][] u = ModelFixtures.orthonormal(41, 64, new SplittableRandom(9));
        for (int i = 0; i < u.length; i++) {
            for (int k = 0; k <= i; k++) {
                double dot = 0;
                for (int j = 0; j < 64; j++) {
                    dot += u[i][j] * u[k][j];
                }
                assertThat(dot).isCloseTo(i == k ? 1 : 0, within(1e-5));
            }
        }
    }
}
