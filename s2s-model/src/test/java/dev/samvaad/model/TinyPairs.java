package dev.samvaad.model;

import dev.samvaad.infer.ModelConfig;
import java.util.SplittableRandom;

/** Hand-made token batches for model tests: random code sequences with BOS/EOS/PAD placed as the dataset does. */
final class TinyPairs {
    private TinyPairs() {}

    /** {@code rows} pairs of random codes, sources of 4..9 frames, targets of 3..7 frames. */
    static TokenBatch batch(ModelConfig c, int rows, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int q = c.codebooks(), k = c.codebookSize();
        int[] srcLen = new int[rows], tgtLen = new int[rows];
        int ts = 0, td = 0;
        for (int r = 0; r < rows; r++) {
            srcLen[r] = 4 + rng.nextInt(6);
            tgtLen[r] = 3 + rng.nextInt(5);
            ts = Math.max(ts, srcLen[r]);
            td = Math.max(td, tgtLen[r] + 1);
        }
        int[][][] src = new int[rows][q][ts], dec = new int[rows][q][td], lab = new int[rows][q][td];
        float[][] srcMask = new float[rows][ts], labMask = new float[rows][td];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < q; j++) {
                for (int t = 0; t < ts; t++) {
                    src[r][j][t] = t < srcLen[r] ? rng.nextInt(k) : c.layout().pad();
                }
                int[] target = new int[tgtLen[r]];
                for (int t = 0; t < target.length; t++) {
                    target[t] = rng.nextInt(k);
                }
                for (int t = 0; t < td; t++) {
                    dec[r][j][t] = t == 0 ? c.layout().bos() : t <= target.length ? target[t - 1] : c.layout().pad();
                    lab[r][j][t] = t < target.length ? target[t] : t == target.length ? c.layout().eos() : c.layout().pad();
                }
            }
            for (int t = 0; t < ts; t++) {
                srcMask[r][t] = t < srcLen[r] ? 1 : 0;
            }
            for (int t = 0; t < td; t++) {
                labMask[r][t] = t <= tgtLen[r] ? 1 : 0;
            }
        }
        return new TokenBatch(src, srcMask, dec, lab, labMask);
    }

    /** {@code batch} with random texts of 2..6 symbols per row: TEXT_BOS + text as input, text + TEXT_EOT as labels. */
    static TokenBatch withText(ModelConfig c, TokenBatch batch, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int rows = batch.size(), symbols = c.textSymbols().size();
        int[] lengths = new int[rows];
        int lt = 0;
        for (int r = 0; r < rows; r++) {
            lengths[r] = 2 + rng.nextInt(5);
            lt = Math.max(lt, lengths[r] + 1);
        }
        int[][] in = new int[rows][lt], lab = new int[rows][lt];
        float[][] mask = new float[rows][lt];
        for (int r = 0; r < rows; r++) {
            in[r][0] = ModelConfig.TEXT_BOS;
            for (int i = 0; i < lengths[r]; i++) {
                int token = ModelConfig.TEXT_SYMBOLS + rng.nextInt(symbols);
                lab[r][i] = token;
                in[r][i + 1] = token;
            }
            lab[r][lengths[r]] = ModelConfig.TEXT_EOT;
            for (int i = 0; i <= lengths[r]; i++) {
                mask[r][i] = 1;
            }
        }
        return batch.withText(in, lab, mask);
    }
}
