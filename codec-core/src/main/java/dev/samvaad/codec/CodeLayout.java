package dev.samvaad.codec;

import dev.samvaad.io.Words;
import java.util.Objects;

/**
 * The layout of a codec's codes and of the tokens a model over them reads and writes: {@code Q}
 * codebooks of {@code K} codes. Codes are {@code int[Q][T]}, {@code codes[q][t]} in
 * {@code [0, K)}. Each codebook's token stream uses ids {@code 0..K-1} for the codes and three ids
 * after them for the special tokens, the same in every codebook:
 *
 * <pre>
 * 0 .. K-1   codec codes
 * K          PAD  (no frame: beyond the end of a sequence)
 * K + 1      BOS  (the frame before a target's first frame)
 * K + 2      EOS  (the frame after a target's last frame)
 * </pre>
 *
 * so a model's embedding and output layers per codebook have {@link #vocabulary()} rows. Two
 * sides that exchange codes (a codec, a dataset, a model) must have the same layout
 * ({@link #requireSame}): then PAD, BOS and EOS mean the same tokens on both.
 *
 * @param codebooks    Q, codes per frame, {@code >= 1}
 * @param codebookSize K, codes per codebook, in {@code [1, Integer.MAX_VALUE - SPECIALS]}
 */
public record CodeLayout(int codebooks, int codebookSize) {
    /** Number of special tokens after the codes. */
    public static final int SPECIALS = 3;

    /**
     * Checks the layout.
     *
     * @param codebooks    Q, codes per frame
     * @param codebookSize K, codes per codebook
     * @throws IllegalArgumentException if Q is not positive, or K not positive or too large for
     *     the specials to fit in an {@code int}
     */
    public CodeLayout {
        if (codebooks < 1) {
            throw new IllegalArgumentException("codebooks must be at least 1, got " + codebooks);
        }
        if (codebookSize < 1 || codebookSize > Integer.MAX_VALUE - SPECIALS) {
            throw new IllegalArgumentException("codebook size must be in [1, " + (Integer.MAX_VALUE - SPECIALS)
                    + "], got " + codebookSize);
        }
    }

    /**
     * The layout of a codec's codes.
     *
     * @param codec the codec
     * @return its {@code Q} codebooks of {@code K} codes
     */
    public static CodeLayout of(AudioCodec codec) {
        return new CodeLayout(codec.codebooks(), codec.codebookSize());
    }

    /** {@return the padding token, K: fills source and target rows past their length in a training batch} */
    public int pad() {
        return codebookSize;
    }

    /** {@return the begin-of-sequence token, K + 1: every codebook of the first decoder input frame} */
    public int bos() {
        return codebookSize + 1;
    }

    /** {@return the end-of-sequence token, K + 2: codebook 0 predicting it ends the answer} */
    public int eos() {
        return codebookSize + 2;
    }

    /** {@return the tokens per codebook: the K codes plus PAD, BOS and EOS} */
    public int vocabulary() {
        return codebookSize + SPECIALS;
    }

    /**
     * Fails unless {@code other} has this layout. The message reads
     * {@code <thisSide> Q codebooks of K codes, <otherSide> Q' of K'}, so each side names itself
     * and its verb: {@code "the model reads"}, {@code "the codec abc123 has"}.
     *
     * @param other     the other side's layout
     * @param thisSide  who has this layout, with its verb
     * @param otherSide who has {@code other}, with its verb
     * @throws IllegalArgumentException if the codebooks or their sizes differ
     */
    public void requireSame(CodeLayout other, String thisSide, String otherSide) {
        Objects.requireNonNull(other, "other");
        if (!equals(other)) {
            throw new IllegalArgumentException(thisSide + " " + codebooks + " codebooks of " + codebookSize
                    + " codes, " + otherSide + " " + other.codebooks + " of " + other.codebookSize);
        }
    }

    /**
     * Checks that {@code codes} are codes of this layout: {@code [Q][T]}, rectangular, every code in
     * {@code [0, K)}. {@code T} may be 0. The arrays are only read.
     *
     * @param what   names the codes in the message, e.g. {@code "sourceCodes"} or {@code "input of conv_000001"}
     * @param codes  the codes
     * @return {@code T}, the frames
     * @throws NullPointerException     if {@code codes} is null
     * @throws IllegalArgumentException naming {@code what} and the problem: other than Q codebooks,
     *     a null or ragged codebook, or the first code outside {@code [0, K)} and where it is
     */
    public int requireCodes(String what, int[][] codes) {
        Objects.requireNonNull(codes, what);
        if (codes.length != codebooks) {
            throw new IllegalArgumentException(what + ": " + Words.count(codes.length, "codebook") + ", expected "
                    + codebooks);
        }
        int frames = requireRectangle(what, codes);
        for (int q = 0; q < codebooks; q++) {
            int[] row = codes[q];
            for (int t = 0; t < frames; t++) {
                if (row[t] < 0 || row[t] >= codebookSize) {
                    throw new IllegalArgumentException(what + ": code " + row[t] + " at codebook " + q + ", frame " + t
                            + " is outside [0, " + codebookSize + ")");
                }
            }
        }
        return frames;
    }

    /**
     * Checks that {@code codes} are {@code [Q][T]} for some {@code Q >= 1}: at least one codebook,
     * none null, all of one length {@code T} (which may be 0). For codes whose layout is not known
     * yet; {@link #requireCodes} checks the count and the range too.
     *
     * @param what  names the codes in the message
     * @param codes the codes
     * @return {@code T}, the frames
     * @throws NullPointerException     if {@code codes} is null
     * @throws IllegalArgumentException naming {@code what} and the problem: no codebooks, or a null
     *     or ragged codebook
     */
    public static int requireRectangle(String what, int[][] codes) {
        Objects.requireNonNull(codes, what);
        if (codes.length == 0) {
            throw new IllegalArgumentException(what + ": no codebooks");
        }
        int frames = -1;
        for (int q = 0; q < codes.length; q++) {
            if (codes[q] == null) {
                throw new IllegalArgumentException(what + ": codebook " + q + " is null");
            }
            if (q == 0) {
                frames = codes[0].length;
            } else if (codes[q].length != frames) {
                throw new IllegalArgumentException(what + ": codebook " + q + " has "
                        + Words.count(codes[q].length, "frame") + ", codebook 0 has " + frames);
            }
        }
        return frames;
    }
}
