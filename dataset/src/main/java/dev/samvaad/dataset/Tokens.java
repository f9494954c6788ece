package dev.samvaad.dataset;

/**
 * Token ids of one codebook stream. A codebook of {@code K} entries uses ids {@code 0..K-1} for
 * its codes and three ids after them for the special tokens, the same in every codebook:
 *
 * <pre>
 * 0 .. K-1   codec codes
 * K          PAD  (no frame: beyond the end of a sequence)
 * K + 1      BOS  (the frame before a target's first frame)
 * K + 2      EOS  (the frame after a target's last frame)
 * </pre>
 *
 * so a model's embedding and output layers per codebook have {@link #vocabulary(int)} rows.
 */
public final class Tokens {
    /** Number of special tokens after the codes. */
    public static final int SPECIALS = 3;

    private Tokens() {}

    /**
     * The padding token.
     *
     * @param k codes in the codebook
     * @return its padding token id
     */
    public static int pad(int k) {
        return checked(k);
    }

    /**
     * The begin-of-sequence token.
     *
     * @param k codes in the codebook
     * @return its begin-of-sequence token id
     */
    public static int bos(int k) {
        return checked(k) + 1;
    }

    /**
     * The end-of-sequence token.
     *
     * @param k codes in the codebook
     * @return its end-of-sequence token id
     */
    public static int eos(int k) {
        return checked(k) + 2;
    }

    /**
     * Token ids per codebook.
     *
     * @param k codes in the codebook
     * @return {@code k} codes plus the specials
     */
    public static int vocabulary(int k) {
        return checked(k) + SPECIALS;
    }

    private static int checked(int k) {
        if (k < 1 || k > Integer.MAX_VALUE - SPECIALS) {
            throw new IllegalArgumentException("codebook size must be in [1, " + (Integer.MAX_VALUE - SPECIALS)
                    + "], got " + k);
        }
        return k;
    }
}
