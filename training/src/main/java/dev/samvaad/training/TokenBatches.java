package dev.samvaad.training;

import java.util.SplittableRandom;
import dev.samvaad.dataset.Batch;
import dev.samvaad.dataset.PairDataset;
import dev.samvaad.model.ModelConfig;
import dev.samvaad.model.TokenBatch;

/** Hands the dataset's batches to the model, and checks the two agree on the token layout. */
public final class TokenBatches {
    private TokenBatches() {}

    /**
     * The model's view of a dataset batch.
     *
     * @param batch a dataset batch
     * @return the same arrays (shared, not copied) as a model batch
     */
    public static TokenBatch of(Batch batch) {
        return new TokenBatch(batch.encoderInput(), batch.encoderMask(), batch.decoderInput(), batch.labels(),
                batch.labelMask());
    }

    /**
     * A copy of {@code batch} whose decoder input frames after BOS are each replaced, with
     * probability {@code rate}, by a frame of PAD tokens (the labels are unchanged). Answers in a
     * conversation corpus repeat, so with full teacher forcing the decoder can tell which answer it
     * is writing from the first frames it is fed and learns to ignore the question; hiding frames
     * makes it read the question (and its own position) instead, which is what generation needs.
     *
     * @param batch a model batch
     * @param rate  probability of hiding each frame, in {@code [0, 1)}
     * @param rng   decides the hidden frames (seed it per step so a resumed run hides the same ones)
     * @param pad   the PAD token
     * @return a new batch, or {@code batch} itself when {@code rate} is 0
     * @throws IllegalArgumentException if {@code rate} is outside {@code [0, 1)}
     */
    public static TokenBatch withDecoderDropout(TokenBatch batch, double rate, SplittableRandom rng, int pad) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("decoder input dropout must be in [0, 1), got " + rate);
        }
        if (rate == 0) {
            return batch;
        }
        int[][][] in = batch.decoderInput();
        int[][][] out = new int[in.length][][];
        for (int b = 0; b < in.length; b++) {
            out[b] = new int[in[b].length][];
            for (int q = 0; q < in[b].length; q++) {
                out[b][q] = in[b][q].clone();
            }
            for (int t = 1; t < in[b][0].length; t++) {
                if (rng.nextDouble() < rate) {
                    for (int[] row : out[b]) {
                        row[t] = pad;
                    }
                }
            }
        }
        return new TokenBatch(batch.encoderInput(), batch.encoderMask(), out, batch.labels(), batch.labelMask());
    }

    /**
     * A copy of {@code batch} whose loss weights the first {@code frames} answer frames (and the
     * EOS of an answer shorter than that) {@code weight} times. Which answer to give is decided at
     * its first frames, from the question alone; every later frame follows from the ones before
     * it. Without extra weight those few frames are a small part of the loss, and a model can get
     * the rest right while ignoring the question.
     *
     * @param batch  a model batch
     * @param frames how many of the first answer frames weigh more, {@code >= 0}
     * @param weight their loss weight, finite and {@code >= 1}
     * @return a new batch, or {@code batch} itself when nothing is weighted
     * @throws IllegalArgumentException if {@code frames} or {@code weight} is out of range
     */
    public static TokenBatch withOnsetWeight(TokenBatch batch, int frames, float weight) {
        if (frames < 0 || !(weight >= 1) || Float.isInfinite(weight)) {
            throw new IllegalArgumentException("onset frames must be >= 0 and the weight finite and >= 1, got "
                    + frames + ", " + weight);
        }
        if (frames == 0 || weight == 1) {
            return batch;
        }
        float[][] mask = new float[batch.labelMask().length][];
        for (int b = 0; b < mask.length; b++) {
            mask[b] = batch.labelMask()[b].clone();
            for (int t = 0; t < Math.min(frames, mask[b].length); t++) {
                mask[b][t] *= weight;
            }
        }
        return new TokenBatch(batch.encoderInput(), batch.encoderMask(), batch.decoderInput(), batch.labels(), mask);
    }

    /**
     * Fails unless {@code config} reads the codes of {@code data}: same number of codebooks and
     * codebook size (so PAD, BOS and EOS mean the same tokens on both sides).
     *
     * @param config the model's shape
     * @param data   the dataset
     * @throws IllegalArgumentException if they differ
     */
    public static void requireCompatible(ModelConfig config, PairDataset data) {
        if (config.codebooks() != data.codebooks() || config.codebookSize() != data.codebookSize()) {
            throw new IllegalArgumentException("the model reads " + config.codebooks() + " codebooks of "
                    + config.codebookSize() + " codes, the data has " + data.codebooks() + " of " + data.codebookSize());
        }
    }
}
