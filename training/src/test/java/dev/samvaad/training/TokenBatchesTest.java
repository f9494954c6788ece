package dev.samvaad.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.samvaad.dataset.Batch;
import dev.samvaad.dataset.BatchBuilder;
import dev.samvaad.dataset.CodePair;
import dev.samvaad.dataset.PairDataset;
import dev.samvaad.dataset.Split;
import dev.samvaad.infer.FastDecoder;
import dev.samvaad.infer.FrameListener;
import dev.samvaad.infer.GenerationOptions;
import dev.samvaad.model.ModelConfig;
import dev.samvaad.model.S2sModel;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

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
    void mismatchedLayoutsAreRefused() {
        PairDataset data = PairDataset.of(List.of(new CodePair("a", Split.TRAIN, new int[3][4], new int[3][2])), 3, 8,
                PairDataset.Task.CONVERSATION);
        assertThatThrownBy(() -> TokenBatches.requireCompatible(CONFIG, data))
                .hasMessageContaining("2 codebooks of 8").hasMessageContaining("3 of 8");
    }
}
