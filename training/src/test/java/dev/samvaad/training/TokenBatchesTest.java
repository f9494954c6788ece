package dev.samvaad.training;

import dev.samvaad.dataset.Batch;
import dev.samvaad.dataset.BatchBuilder;
import dev.samvaad.dataset.CodePair;
import dev.samvaad.dataset.PairDataset;
import dev.samvaad.dataset.Split;
import dev.samvaad.infer.FastDecoder;
import dev.samvaad.infer.FrameListener;
import dev.samvaad.infer.GenerationOptions;
import dev.samvaad.infer.ModelConfig;
import dev.samvaad.model.S2sModel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Dataset batches train the model, and the fast decoder then answers like the training data. */
class TokenBatchesTest {
    private static final ModelConfig CONFIG = new ModelConfig(2, 8, 32, 4, 1, 1, 64, 64);

    @Test
    void datasetBatchesTrainTheModelToReproduceItsAnswers() {
        SplittableRandom rng = new SplittableRandom(3);
        List<CodePair> pairs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            pairs.add(new CodePair("pair" + i, Split.TRAIN, TrainerFixtures.codes(rng, 5 + i), TrainerFixtures.codes(rng, 3 + i)));
        }
        PairDataset data = PairDataset.of(pairs, 2, 8, PairDataset.Task.CONVERSATION);
        TokenBatches.requireCompatible(CONFIG, data);
        BatchBuilder batches = new BatchBuilder(data, Split.TRAIN, BatchBuilder.Options.builder().batchSize(4).seed(1).build());
        S2sModel model = S2sModel.create(CONFIG, 5, 1e-2);
        double first = 0, last = 0;
        for (int epoch = 0; epoch < 300 && (epoch == 0 || last > 0.01); epoch++) {
            for (Batch b : batches.epoch(epoch)) {
                last = model.trainStep(TokenBatches.of(b));
                first = epoch == 0 ? last : first;
            }
        }
        assertThat(first).isGreaterThan(1.5);
        assertThat(last).isLessThan(0.01);
        FastDecoder decoder = FastDecoder.of(CONFIG, model.weights());
        for (CodePair p : pairs) {
            int[][] answer = decoder.start(p.input()).generate(GenerationOptions.greedy(), FrameListener.none());
            assertThat(answer).as(p.id()).isDeepEqualTo(p.target());
        }
    }

    @Test
    void tempoChangesResampleEachQuestionInOrderAndLeaveTheAnswerAlone() {
        SplittableRandom rng = new SplittableRandom(8);
        List<CodePair> pairs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            pairs.add(new CodePair("p" + i, Split.TRAIN, TrainerFixtures.codes(rng, 20 + 7 * i), TrainerFixtures.codes(rng, 4)));
        }
        PairDataset data = PairDataset.of(pairs, 2, 8, PairDataset.Task.CONVERSATION);
        Batch batch = new BatchBuilder(data, Split.TRAIN, BatchBuilder.Options.builder().batchSize(6).seed(1).build())
                .epoch(0).get(0);
        assertThat(TokenBatches.withSourceTempo(batch, 1, 64, new SplittableRandom(1), CONFIG.layout().pad())).isSameAs(batch);
        for (long seed = 0; seed < 20; seed++) {
            Batch played = TokenBatches.withSourceTempo(batch, 1.3, 50, new SplittableRandom(seed), CONFIG.layout().pad());
            assertThat(played.decoderInput()).isSameAs(batch.decoderInput());
            assertThat(played.labels()).isSameAs(batch.labels());
            for (int r = 0; r < batch.size(); r++) {
                int m = length(batch.encoderMask()[r]), n = length(played.encoderMask()[r]);
                assertThat(n).isBetween(Math.min(50, (int) Math.floor(m / 1.3)), Math.min(50, (int) Math.ceil(m * 1.3)));
                for (int t = n; t < played.encoderMask()[r].length; t++) {
                    assertThat(played.encoderMask()[r][t]).isZero();
                    assertThat(played.encoderInput()[r][0][t]).isEqualTo(CONFIG.layout().pad());
                }
                // Every played frame is a frame of the question, in order: first frame first.
                int source = 0;
                assertThat(played.encoderInput()[r][0][0]).isEqualTo(batch.encoderInput()[r][0][0]);
                for (int t = 0; t < n; t++) {
                    while (source < m && !sameFrame(batch, r, source, played, t)) {
                        source++;
                    }
                    assertThat(source).as("row %d frame %d comes from the question, in order", r, t).isLessThan(m);
                }
            }
        }
        assertThatThrownBy(() -> TokenBatches.withSourceTempo(batch, 0.5, 64, new SplittableRandom(1), CONFIG.layout().pad()))
                .hasMessageContaining("maxFactor");
    }

    private static int length(float[] mask) {
        int n = 0;
        for (float m : mask) {
            n += m > 0 ? 1 : 0;
        }
        return n;
    }

    private static boolean sameFrame(Batch a, int r, int ta, Batch b, int tb) {
        for (int k = 0; k < a.encoderInput()[r].length; k++) {
            if (a.encoderInput()[r][k][ta] != b.encoderInput()[r][k][tb]) {
                return false;
            }
        }
        return true;
    }

    @Test
    void mismatchedLayoutsAreRefused() {
        PairDataset data = PairDataset.of(List.of(new CodePair("a", Split.TRAIN, new int[3][4], new int[3][2])), 3, 8,
                PairDataset.Task.CONVERSATION);
        assertThatThrownBy(() -> TokenBatches.requireCompatible(CONFIG, data))
                .hasMessageContaining("2 codebooks of 8").hasMessageContaining("3 of 8");
    }

    @Test
    void decoderDropoutHidesWholeFramesAfterBosAndLeavesEverythingElse() {
        SplittableRandom rng = new SplittableRandom(9);
        List<CodePair> pairs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            pairs.add(new CodePair("p" + i, Split.TRAIN, TrainerFixtures.codes(rng, 4), TrainerFixtures.codes(rng, 40)));
        }
        PairDataset data = PairDataset.of(pairs, 2, 8, PairDataset.Task.CONVERSATION);
        Batch batch = new BatchBuilder(data, Split.TRAIN, BatchBuilder.Options.builder().batchSize(6).seed(1).build())
                .epoch(0).get(0);
        var plain = TokenBatches.of(batch);
        int[][][] before = plain.decoderInput();
        String snapshot = java.util.Arrays.deepToString(before);
        var hidden = TokenBatches.withDecoderDropout(plain, 0.5, new SplittableRandom(4), CONFIG.layout().pad());
        assertThat(java.util.Arrays.deepToString(before)).as("the input batch is not modified").isEqualTo(snapshot);
        assertThat(hidden.labels()).isSameAs(plain.labels());
        assertThat(hidden.encoderInput()).isSameAs(plain.encoderInput());
        int frames = 0, dropped = 0;
        for (int b = 0; b < before.length; b++) {
            int[][] out = hidden.decoderInput()[b];
            assertThat(out[0][0]).isEqualTo(before[b][0][0]).isEqualTo(CONFIG.layout().bos());
            for (int t = 1; t < out[0].length; t++) {
                frames++;
                boolean gone = out[0][t] == CONFIG.layout().pad() && before[b][0][t] != CONFIG.layout().pad();
                dropped += gone ? 1 : 0;
                for (int q = 0; q < out.length; q++) {
                    assertThat(out[q][t]).isEqualTo(gone ? CONFIG.layout().pad() : before[b][q][t]);
                }
            }
        }
        assertThat(dropped / (double) frames).isBetween(0.35, 0.65);
        // The same seed hides the same frames (a resumed run repeats its steps exactly).
        assertThat(TokenBatches.withDecoderDropout(plain, 0.5, new SplittableRandom(4), CONFIG.layout().pad()).decoderInput())
                .isDeepEqualTo(hidden.decoderInput());
        assertThat(TokenBatches.withDecoderDropout(plain, 0, new SplittableRandom(4), CONFIG.layout().pad())).isSameAs(plain);
        assertThatThrownBy(() -> TokenBatches.withDecoderDropout(plain, 1, new SplittableRandom(4), CONFIG.layout().pad()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onsetWeightScalesTheFirstLabelledFramesOnly() {
        var plain = TokenBatches.of(twoPairs(5, "long", 10, "short", 2));
        var weighted = TokenBatches.withOnsetWeight(plain, 4, 5f);
        for (int b = 0; b < 2; b++) {
            float[] before = plain.labelMask()[b], after = weighted.labelMask()[b];
            for (int t = 0; t < before.length; t++) {
                assertThat(after[t]).as("row %d frame %d", b, t).isEqualTo(t < 4 ? 5 * before[t] : before[t]);
            }
        }
        assertThat(weighted.decoderInput()).isSameAs(plain.decoderInput());
        assertThat(TokenBatches.withOnsetWeight(plain, 4, 1f)).isSameAs(plain);
        assertThatThrownBy(() -> TokenBatches.withOnsetWeight(plain, 4, 0.5f)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void textOnsetWeightScalesTheFirstTextLabelsOnly() {
        Batch batch = twoPairs(6, "a", 6, "b", 3);
        dev.samvaad.infer.ModelConfig config = new dev.samvaad.infer.ModelConfig(2, 8, 16, 2, 1, 1, 32, 64, 1, false)
                .withText(List.of("x", "y", "z"));
        var plain = TokenBatches.withText(config, TokenBatches.of(batch), batch.ids(), java.util.Map.of("a", "xyzzy", "b", "zy"));
        var weighted = TokenBatches.withOnsetWeight(plain, 0, 2, 4f);
        for (int b = 0; b < 2; b++) {
            float[] before = plain.textMask()[b], after = weighted.textMask()[b];
            for (int i = 0; i < before.length; i++) {
                assertThat(after[i]).as("row %d text %d", b, i).isEqualTo(i < 2 ? 4 * before[i] : before[i]);
            }
            assertThat(weighted.labelMask()[b]).containsExactly(plain.labelMask()[b]);
        }
        assertThat(plain.textMask()[0][0]).as("the batch given is not changed").isEqualTo(1f);
        assertThat(TokenBatches.withOnsetWeight(plain, 0, 0, 4f)).isSameAs(plain);
        assertThatThrownBy(() -> TokenBatches.withOnsetWeight(plain, 0, -1, 4f)).isInstanceOf(IllegalArgumentException.class);
    }

    /** One batch of two training pairs with 4-frame questions and answers of the given lengths. */
    private static Batch twoPairs(long seed, String first, int firstFrames, String second, int secondFrames) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<CodePair> pairs = List.of(
                new CodePair(first, Split.TRAIN, TrainerFixtures.codes(rng, 4), TrainerFixtures.codes(rng, firstFrames)),
                new CodePair(second, Split.TRAIN, TrainerFixtures.codes(rng, 4), TrainerFixtures.codes(rng, secondFrames)));
        PairDataset data = PairDataset.of(pairs, 2, 8, PairDataset.Task.CONVERSATION);
        return new BatchBuilder(data, Split.TRAIN, BatchBuilder.Options.builder().batchSize(2).seed(1).build())
                .epoch(0).get(0);
    }
}
