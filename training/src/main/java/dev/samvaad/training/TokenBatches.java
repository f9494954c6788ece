package dev.samvaad.training;

import dev.samvaad.dataset.Batch;
import dev.samvaad.dataset.PairDataset;
import dev.samvaad.infer.FrameGroups;
import dev.samvaad.infer.ModelConfig;
import dev.samvaad.infer.TextTokens;
import dev.samvaad.model.StepBatches;
import dev.samvaad.model.TokenBatch;
import java.util.SplittableRandom;

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
     * The model's view of a dataset batch in its steps of {@link ModelConfig#frameGroup()} frames
     * ({@link StepBatches#grouped}).
     *
     * @param config the model's shape
     * @param batch  a dataset batch
     * @return the batch in steps (the dataset's arrays themselves when a step is one frame)
     */
    public static TokenBatch of(ModelConfig config, Batch batch) {
        return StepBatches.grouped(config, of(batch));
    }

    /**
     * {@code batch} with each question played faster or slower: row by row a factor {@code f}
     * drawn log-uniformly from {@code [1/maxFactor, maxFactor]}, and the question's {@code m}
     * frames resampled to {@code round(m / f)} by nearest frame (a frame repeated or skipped, as a
     * speaker who talks slower or faster), at most {@code maxFrames}. The answers are unchanged.
     * Speaking rate is one of the things an unheard speaker changes; this shows the encoder more
     * rates than the data has.
     *
     * @param batch     a dataset batch (frames, not yet grouped)
     * @param maxFactor the largest change, {@code >= 1}; 1 returns {@code batch} itself
     * @param maxFrames the longest question the model takes
     * @param rng       the draws
     * @param pad       the PAD token
     * @return the batch with resampled questions
     */
    public static Batch withSourceTempo(Batch batch, double maxFactor, int maxFrames, SplittableRandom rng, int pad) {
        if (!(maxFactor >= 1)) {
            throw new IllegalArgumentException("maxFactor must be >= 1, got " + maxFactor);
        }
        if (maxFactor == 1) {
            return batch;
        }
        int rows = batch.size();
        int q = rows == 0 ? 0 : batch.encoderInput()[0].length;
        int[] lengths = new int[rows], played = new int[rows];
        int ts = 1;
        for (int r = 0; r < rows; r++) {
            for (float m : batch.encoderMask()[r]) {
                lengths[r] += m > 0 ? 1 : 0;
            }
            double f = Math.exp((2 * rng.nextDouble() - 1) * Math.log(maxFactor));
            played[r] = lengths[r] == 0 ? 0 : (int) Math.max(1, Math.min(maxFrames, Math.round(lengths[r] / f)));
            ts = Math.max(ts, played[r]);
        }
        int[][][] input = new int[rows][q][ts];
        float[][] mask = new float[rows][ts];
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < q; k++) {
                java.util.Arrays.fill(input[r][k], pad);
                for (int t = 0; t < played[r]; t++) {
                    input[r][k][t] = batch.encoderInput()[r][k][(int) ((long) t * lengths[r] / played[r])];
                }
            }
            java.util.Arrays.fill(mask[r], 0, played[r], 1f);
        }
        return new Batch(batch.ids(), input, mask, batch.decoderInput(), batch.labels(), batch.labelMask());
    }

    /**
     * {@code batch} with the text monologue of each row: {@code TEXT_BOS} and the answer text's
     * tokens as input, the tokens and {@code TEXT_EOT} as labels. A row whose id has no text (a
     * recording without transcript) gets no text rows and trains on codes alone.
     *
     * @param config the model's shape, with text symbols
     * @param batch  the batch in steps
     * @param ids    the pair id of each row
     * @param texts  answer text by pair id
     * @return the batch with text
     */
    public static TokenBatch withText(ModelConfig config, TokenBatch batch, java.util.List<String> ids,
            java.util.Map<String, String> texts) {
        TextTokens tokens = new TextTokens(config);
        int rows = batch.size();
        int[][] encoded = new int[rows][];
        int lt = 1;
        for (int r = 0; r < rows; r++) {
            String text = texts.get(ids.get(r));
            // Longer than the positions: cut, as the decoder could never write more.
            encoded[r] = text == null ? null : java.util.Arrays.copyOf(tokens.encode(text),
                    Math.min(text.codePointCount(0, text.length()), config.positions() - 1));
            lt = Math.max(lt, encoded[r] == null ? 0 : encoded[r].length + 1);
        }
        int[][] in = new int[rows][lt], labels = new int[rows][lt];
        float[][] mask = new float[rows][lt];
        for (int r = 0; r < rows; r++) {
            if (encoded[r] == null) {
                continue;
            }
            int n = encoded[r].length;
            in[r][0] = ModelConfig.TEXT_BOS;
            System.arraycopy(encoded[r], 0, in[r], 1, n);
            System.arraycopy(encoded[r], 0, labels[r], 0, n);
            labels[r][n] = ModelConfig.TEXT_EOT;
            java.util.Arrays.fill(mask[r], 0, n + 1, 1f);
        }
        return batch.withText(in, labels, mask);
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
        int[][][] out = hideSteps(batch.decoderInput(), 1, null, rate, rng, pad);
        return new TokenBatch(batch.encoderInput(), batch.encoderMask(), out, batch.labels(), batch.labelMask(),
                batch.textInput(), batch.textLabels(), batch.textMask(), batch.intentLabels(),
                batch.questionSymbols());
    }

    /**
     * A copy of {@code batch} whose source steps are each replaced, with probability {@code rate},
     * by PAD tokens (still counted as part of the question): time masking, as SpecAugment does for
     * speech recognisers, so that the encoder cannot lean on any one stretch of a training
     * question and learns what all the voices saying it have in common.
     *
     * @param batch a model batch
     * @param rate  probability of hiding each source step, in {@code [0, 1)}
     * @param rng   decides the hidden steps (seed it per step so a resumed run hides the same ones)
     * @param pad   the PAD token
     * @return a new batch, or {@code batch} itself when {@code rate} is 0
     * @throws IllegalArgumentException if {@code rate} is outside {@code [0, 1)}
     */
    public static TokenBatch withSourceDropout(TokenBatch batch, double rate, SplittableRandom rng, int pad) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("source dropout must be in [0, 1), got " + rate);
        }
        if (rate == 0) {
            return batch;
        }
        int[][][] out = hideSteps(batch.encoderInput(), 0, batch.encoderMask(), rate, rng, pad);
        return new TokenBatch(out, batch.encoderMask(), batch.decoderInput(), batch.labels(), batch.labelMask(),
                batch.textInput(), batch.textLabels(), batch.textMask(), batch.intentLabels(),
                batch.questionSymbols());
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
        return withOnsetWeight(batch, frames, 0, weight);
    }

    /**
     * {@link #withOnsetWeight(TokenBatch, int, float)} that also weights the first {@code textTokens}
     * labels of each row's monologue: a written answer is chosen in its first tokens, which are
     * otherwise a few of its dozens.
     *
     * @param batch      a model batch
     * @param frames     how many of the first answer frames weigh more, {@code >= 0}
     * @param textTokens how many of the first text labels weigh more, {@code >= 0}
     * @param weight     their loss weight, finite and {@code >= 1}
     * @return a new batch, or {@code batch} itself when nothing is weighted
     * @throws IllegalArgumentException if a count or {@code weight} is out of range
     */
    public static TokenBatch withOnsetWeight(TokenBatch batch, int frames, int textTokens, float weight) {
        if (frames < 0 || textTokens < 0 || !(weight >= 1) || Float.isInfinite(weight)) {
            throw new IllegalArgumentException("onset frames and text tokens must be >= 0 and the weight finite and >= 1, got "
                    + frames + ", " + textTokens + ", " + weight);
        }
        if ((frames == 0 && (textTokens == 0 || batch.textMask() == null)) || weight == 1) {
            return batch;
        }
        float[][] textMask = batch.textMask();
        if (textTokens > 0 && textMask != null) {
            textMask = new float[textMask.length][];
            for (int b = 0; b < textMask.length; b++) {
                textMask[b] = batch.textMask()[b].clone();
                for (int i = 0; i < Math.min(textTokens, textMask[b].length); i++) {
                    textMask[b][i] *= weight;
                }
            }
        }
        float[][] mask = new float[batch.labelMask().length][];
        for (int b = 0; b < mask.length; b++) {
            mask[b] = batch.labelMask()[b].clone();
            for (int t = 0; t < Math.min(frames, mask[b].length); t++) {
                mask[b][t] *= weight;
            }
        }
        return new TokenBatch(batch.encoderInput(), batch.encoderMask(), batch.decoderInput(), batch.labels(), mask,
                batch.textInput(), batch.textLabels(), textMask, batch.intentLabels(),
                batch.questionSymbols());
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
        config.layout().requireSame(data.layout(), "the model reads", "the data has");
    }

    /**
     * A copy of {@code in} ({@code [B][S][T]}) with each step from {@code first} on replaced by PAD
     * in every stream with probability {@code rate}; only steps whose {@code mask} is positive when
     * a mask is given.
     */
    private static int[][][] hideSteps(int[][][] in, int first, float[][] mask, double rate, SplittableRandom rng, int pad) {
        int[][][] out = new int[in.length][][];
        for (int b = 0; b < in.length; b++) {
            out[b] = new int[in[b].length][];
            for (int q = 0; q < in[b].length; q++) {
                out[b][q] = in[b][q].clone();
            }
            for (int t = first; t < in[b][0].length; t++) {
                if ((mask == null || mask[b][t] > 0) && rng.nextDouble() < rate) {
                    for (int[] row : out[b]) {
                        row[t] = pad;
                    }
                }
            }
        }
        return out;
    }
}
