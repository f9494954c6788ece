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

    public TokenBatch {
        int b = encoderInput.length;
        if (b == 0 || encoderMask.length != b || decoderInput.length != b || labels.length != b || labelMask.length != b) {
            throw new IllegalArgumentException("a batch needs the same non-zero number of rows in every array");
        }
    }

    public int size() {
        return encoderInput.length;
    }

    public int sourceFrames() {
        return encoderMask[0].length;
    }

    public int targetFrames() {
        return labelMask[0].length;
    }
}
