package dev.samvaad.model;

/**
 * One training or evaluation batch in token form (the dataset module's batches convert to this).
 * Arrays are owned by the batch.
 *
 * @param encoderInput [B][Q][Ts] source tokens, PAD beyond each source
 * @param encoderMask  [B][Ts] 1 for real source frames, 0 for padding
 * @param decoderInput [B][Q][Td] BOS frame, then the target frames, then PAD
 * @param labels       [B][Q][Td] the target frames, then EOS, then PAD
 * @param labelMask    [B][Td] 1 where a label counts
 */
public record TokenBatch(int[][][] encoderInput, float[][] encoderMask, int[][][] decoderInput, int[][][] labels,
        float[][] labelMask) {

    /**
     * Checks that every array has the same number of rows; the arrays are not copied.
     *
     * @param encoderInput [B][Q][Ts] source tokens
     * @param encoderMask  [B][Ts] source mask
     * @param decoderInput [B][Q][Td] decoder input tokens
     * @param labels       [B][Q][Td] labels
     * @param labelMask    [B][Td] label mask
     * @throws IllegalArgumentException if the row counts differ or are zero
     */
    public TokenBatch {
        int b = encoderInput.length;
        if (b == 0 || encoderMask.length != b || decoderInput.length != b || labels.length != b || labelMask.length != b) {
            throw new IllegalArgumentException("a batch needs the same non-zero number of rows in every array");
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

    /** {@return the padded target length, {@code Td}} */
    public int targetFrames() {
        return labelMask[0].length;
    }
}
