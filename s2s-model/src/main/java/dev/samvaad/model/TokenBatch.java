package dev.samvaad.model;

import dev.samvaad.infer.ModelConfig;

/**
 * One training or evaluation batch in token form (the dataset module's batches convert to this).
 * Arrays are owned by the batch.
 *
 * @param encoderInput [B][Q][Ts] source tokens, PAD beyond each source
 * @param encoderMask  [B][Ts] 1 for real source frames, 0 for padding
 * @param decoderInput [B][Q][Td] BOS frame, then the target frames, then PAD
 * @param labels       [B][Q][Td] the target frames, then EOS, then PAD
 * @param labelMask    [B][Td] 1 where a label counts
 * @param textInput    [B][Lt] the monologue's decoder input: TEXT_BOS, then the answer's text
 *                     tokens, then TEXT_PAD; {@code null} for a model without text
 * @param textLabels   [B][Lt] the text tokens, then TEXT_EOT, then TEXT_PAD; {@code null} without text
 * @param textMask     [B][Lt] weight of each text label (0 on padding and for rows without text);
 *                     {@code null} without text
 * @param intentLabels [B] each row's intent index for the auxiliary loss, -1 for none; {@code null}
 *                     for a model without the loss
 * @param questionSymbols [B][] each row's question transcript as CTC classes (symbol {@code i} of
 *                     {@link ModelConfig#questionSymbols()} is {@code i + 1}), {@code null} for a row
 *                     without one; {@code null} for a batch without any
 */
public record TokenBatch(int[][][] encoderInput, float[][] encoderMask, int[][][] decoderInput, int[][][] labels,
        float[][] labelMask, int[][] textInput, int[][] textLabels, float[][] textMask, int[] intentLabels,
        int[][] questionSymbols) {

    /**
     * A batch without text.
     *
     * @param encoderInput [B][Q][Ts] source tokens
     * @param encoderMask  [B][Ts] source mask
     * @param decoderInput [B][Q][Td] decoder input tokens
     * @param labels       [B][Q][Td] labels
     * @param labelMask    [B][Td] label mask
     */
    public TokenBatch(int[][][] encoderInput, float[][] encoderMask, int[][][] decoderInput, int[][][] labels,
            float[][] labelMask) {
        this(encoderInput, encoderMask, decoderInput, labels, labelMask, null, null, null, null, null);
    }

    /**
     * A batch with text (or {@code null} text arrays) and no intent labels.
     *
     * @param encoderInput [B][Q][Ts] source tokens
     * @param encoderMask  [B][Ts] source mask
     * @param decoderInput [B][Q][Td] decoder input tokens
     * @param labels       [B][Q][Td] labels
     * @param labelMask    [B][Td] label mask
     * @param textInput    [B][Lt] text input, or {@code null}
     * @param textLabels   [B][Lt] text labels, or {@code null}
     * @param textMask     [B][Lt] text label weights, or {@code null}
     */
    public TokenBatch(int[][][] encoderInput, float[][] encoderMask, int[][][] decoderInput, int[][][] labels,
            float[][] labelMask, int[][] textInput, int[][] textLabels, float[][] textMask) {
        this(encoderInput, encoderMask, decoderInput, labels, labelMask, textInput, textLabels, textMask, null, null);
    }

    /**
     * This batch with intent labels for the auxiliary loss.
     *
     * @param intents [B] intent index per row, -1 for none
     * @return the new batch, sharing the other arrays
     */
    public TokenBatch withIntents(int[] intents) {
        return new TokenBatch(encoderInput, encoderMask, decoderInput, labels, labelMask, textInput, textLabels, textMask,
                intents, questionSymbols);
    }

    /**
     * Checks that every array has the same number of rows; the arrays are not copied.
     *
     * @param encoderInput [B][Q][Ts] source tokens
     * @param encoderMask  [B][Ts] source mask
     * @param decoderInput [B][Q][Td] decoder input tokens
     * @param labels       [B][Q][Td] labels
     * @param labelMask    [B][Td] label mask
     * @param textInput    [B][Lt] text input, or {@code null}
     * @param textLabels   [B][Lt] text labels, or {@code null}
     * @param textMask     [B][Lt] text label weights, or {@code null}
     * @param intentLabels [B] intent per row (-1 for none), or {@code null}
     * @param questionSymbols [B][] CTC classes of each row's question (a row may be {@code null}), or {@code null}
     * @throws IllegalArgumentException if the row counts differ or are zero, or the text arrays come
     *     partly
     */
    public TokenBatch {
        int b = encoderInput.length;
        if (b == 0 || encoderMask.length != b || decoderInput.length != b || labels.length != b || labelMask.length != b) {
            throw new IllegalArgumentException("a batch needs the same non-zero number of rows in every array");
        }
        if ((textInput == null) != (textLabels == null) || (textInput == null) != (textMask == null)) {
            throw new IllegalArgumentException("text input, labels and mask come together or not at all");
        }
        if (textInput != null && (textInput.length != b || textLabels.length != b || textMask.length != b)) {
            throw new IllegalArgumentException("the text arrays need the batch's " + b + " rows");
        }
        if (intentLabels != null && intentLabels.length != b) {
            throw new IllegalArgumentException("the intent labels need the batch's " + b + " rows");
        }
        if (questionSymbols != null && questionSymbols.length != b) {
            throw new IllegalArgumentException("the question symbols need the batch's " + b + " rows");
        }
    }

    /** {@return the rows, {@code B}} */
    public int size() {
        return encoderInput.length;
    }

    /** {@return the padded source length, {@code Ts}} */
    public int sourceFrames() {
        return encoderMask[0].length;
    }

    /** {@return the padded text length, {@code Lt}; 0 without text} */
    public int textTokens() {
        return textInput == null ? 0 : textInput[0].length;
    }

    /**
     * This batch with a text monologue.
     *
     * @param input  [B][Lt] text decoder input
     * @param labels [B][Lt] text labels
     * @param mask   [B][Lt] text label weights
     * @return the new batch, sharing the code arrays
     */
    public TokenBatch withText(int[][] input, int[][] labels, float[][] mask) {
        return new TokenBatch(encoderInput, encoderMask, decoderInput, this.labels, labelMask, input, labels, mask,
                intentLabels, questionSymbols);
    }

    /**
     * This batch with each row's question transcript for the encoder's CTC loss.
     *
     * @param symbols [B][] CTC classes per row (symbol {@code i} is {@code i + 1}); a row may be {@code null}
     * @return the new batch, sharing the other arrays
     */
    public TokenBatch withQuestionSymbols(int[][] symbols) {
        return new TokenBatch(encoderInput, encoderMask, decoderInput, labels, labelMask, textInput, textLabels, textMask,
                intentLabels, symbols);
    }

    /** {@return the padded target length, {@code Td}} */
    public int targetFrames() {
        return labelMask[0].length;
    }
}
