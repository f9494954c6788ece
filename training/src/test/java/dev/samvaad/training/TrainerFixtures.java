package dev.samvaad.training;

import dev.samvaad.dataset.CodePair;
import dev.samvaad.dataset.PairDataset;
import dev.samvaad.dataset.Split;
import dev.samvaad.infer.ModelConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** A tiny random data set and model size for trainer tests, shared with the child JVM of the kill test. */
final class TrainerFixtures {
    static final ModelConfig CONFIG = new ModelConfig(2, 8, 32, 4, 1, 1, 64, 64);

    private TrainerFixtures() {}

    static PairDataset data() {
        SplittableRandom rng = new SplittableRandom(9);
        List<CodePair> pairs = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            pairs.add(new CodePair("p" + i, i < 10 ? Split.TRAIN : Split.VAL, codes(rng, 4 + i % 4), codes(rng, 3 + i % 3)));
        }
        return PairDataset.of(pairs, 2, 8, PairDataset.Task.CONVERSATION);
    }

    static Trainer trainer(Path out, int epochs, double learningRate) {
        return new Trainer(data(), CONFIG, "codec-test", out, new Trainer.Options(epochs, 3, learningRate, 2, 4, 1, 1.0, 0.3, 2, 3f));
    }

    /** [2][frames] random codes below 8. */
    static int[][] codes(SplittableRandom rng, int frames) {
        int[][] c = new int[2][frames];
        for (int[] row : c) {
            for (int t = 0; t < frames; t++) {
                row[t] = rng.nextInt(8);
            }
        }
        return c;
    }

    /** Child JVM for the kill test: {@code TrainerFixtures <outDir> <epochs>} trains with resume on. */
    public static void main(String[] args) {
        trainer(Path.of(args[0]), Integer.parseInt(args[1]), 1e-2).run(true, null);
    }
}
