package dev.samvaad.bench;

import dev.samvaad.model.ModelConfig;
import dev.samvaad.model.TokenBatch;
import java.util.Arrays;
import java.util.SplittableRandom;

/** Random token data at the model's default size, for the model benchmarks. */
final class ModelFixtures {
    static final ModelConfig DEFAULT = ModelConfig.small(6, 1024);
    /** The {@code --size tiny} model of {@code train} at frame group 1 (as {@code bench/pytorch/train_step.py}). */
    static final ModelConfig TINY = new ModelConfig(4, 256, 64, 4, 1, 1, 256, 400);

    private ModelFixtures() {}

    /** [Q][frames] random codes. */
    static int[][] codes(SplittableRandom rng, ModelConfig c, int frames) {
        int[][] out = new int[c.codebooks()][frames];
        for (int[] row : out) {
            for (int t = 0; t < frames; t++) {
                row[t] = rng.nextInt(c.codebookSize());
            }
        }
        return out;
    }

    /** A full batch: every row {@code source} frames in, {@code target} frames (+ EOS) out, no padding. */
    static TokenBatch batch(SplittableRandom rng, ModelConfig c, int rows, int source, int target) {
        int q = c.codebooks();
        int[][][] src = new int[rows][][], dec = new int[rows][q][target + 1], lab = new int[rows][q][target + 1];
        float[][] srcMask = new float[rows][source], labMask = new float[rows][target + 1];
        for (int r = 0; r < rows; r++) {
            src[r] = codes(rng, c, source);
            int[][] answer = codes(rng, c, target);
            for (int k = 0; k < q; k++) {
                dec[r][k][0] = c.bos();
                System.arraycopy(answer[k], 0, dec[r][k], 1, target);
                System.arraycopy(answer[k], 0, lab[r][k], 0, target);
                lab[r][k][target] = c.eos();
            }
            Arrays.fill(srcMask[r], 1f);
            Arrays.fill(labMask[r], 1f);
        }
        return new TokenBatch(src, srcMask, dec, lab, labMask);
    }
}
