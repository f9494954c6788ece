package dev.samvaad.dataset;

import java.util.List;

/**
 * A padded batch of {@code B} code pairs for a sequence-to-sequence model, with {@code Q}
 * codebooks of {@code K} codes (token ids as in {@link dev.samvaad.codec.CodeLayout}). For row
 * {@code b} with input {@code x} of {@code m} frames and target {@code y} of {@code n} frames:
 *
 * <pre>
 * encoderInput[b][q]  = x0 .. x(m-1), PAD ...               length Ts = max m
 * encoderMask[b]      = 1 x m,        0 ...
 * decoderInput[b][q]  = BOS, y0 .. y(n-1), PAD ...          length Td = max (n + 1)
 * labels[b][q]        = y0 .. y(n-1), EOS, PAD ...
 * labelMask[b]        = 1 x (n + 1),  0 ...
 * </pre>
 *
 * so the decoder, reading {@code decoderInput[t]}, is trained to predict {@code labels[t]}, the
 * next frame, and finally EOS. The arrays are owned by the batch: they are made for it, shared
 * with nobody else, and consumers treat them as read-only. As with any record holding arrays,
 * {@link #equals(Object)} compares them by identity.
 *
 * @param ids          the {@link CodePair#id()} of each row
 * @param encoderInput {@code [B][Q][Ts]}
 * @param encoderMask  {@code [B][Ts]}: 1 for a real frame, 0 for padding
 * @param decoderInput {@code [B][Q][Td]}
 * @param labels       {@code [B][Q][Td]}
 * @param labelMask    {@code [B][Td]}: 1 where {@code labels} is not PAD
 */
public record Batch(
        List<String> ids,
        int[][][] encoderInput,
        float[][] encoderMask,
        int[][][] decoderInput,
        int[][][] labels,
        float[][] labelMask) {

    /**
     * A batch over the given arrays (not copied); the ids are copied.
     *
     * @param ids          the {@link CodePair#id()} of each row
     * @param encoderInput {@code [B][Q][Ts]}
     * @param encoderMask  {@code [B][Ts]}: 1 for a real frame, 0 for padding
     * @param decoderInput {@code [B][Q][Td]}
     * @param labels       {@code [B][Q][Td]}
     * @param labelMask    {@code [B][Td]}: 1 where {@code labels} is not PAD
     */
    public Batch {
        ids = List.copyOf(ids);
    }

    /** {@return the rows in the batch, {@code B}} */
    public int size() {
        return ids.size();
    }
}
