package dev.samvaad.dataset;

import java.util.Objects;

/**
 * One training example as codec codes: the model reads {@code input} and learns to produce
 * {@code target}. The arrays are {@code [Q][T]}, rectangular; they are shared, not copied (a
 * corpus of codes is large), so nobody may modify them, and, as with any record holding arrays,
 * {@link #equals(Object)} compares them by identity.
 *
 * @param id     where the example came from, e.g. {@code conv_000001} or {@code conv_000001/user}
 * @param split  the evaluation split of its conversation pair
 * @param input  codes {@code [Q][T1]}
 * @param target codes {@code [Q][T2]}
 */
public record CodePair(String id, Split split, int[][] input, int[][] target) {

    /**
     * Checks that both code arrays are rectangular; they are not copied.
     *
     * @param id     where the example came from
     * @param split  the evaluation split of its conversation pair
     * @param input  codes {@code [Q][T1]}
     * @param target codes {@code [Q][T2]}
     * @throws IllegalArgumentException if a code array has no codebooks or ragged rows
     */
    public CodePair {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(split, "split");
        checkRectangular(id, "input", input);
        checkRectangular(id, "target", target);
    }

    /** {@return the frames of the input, {@code T1}} */
    public int inputFrames() {
        return input[0].length;
    }

    /** {@return the frames of the target, {@code T2}} */
    public int targetFrames() {
        return target[0].length;
    }

    private static void checkRectangular(String id, String name, int[][] codes) {
        Objects.requireNonNull(codes, name);
        if (codes.length == 0) {
            throw new IllegalArgumentException(id + ": " + name + " has no codebooks");
        }
        for (int q = 0; q < codes.length; q++) {
            if (codes[q] == null || codes[q].length != codes[0].length) {
                throw new IllegalArgumentException(id + ": " + name + " codebook " + q + " has "
                        + (codes[q] == null ? "no row" : codes[q].length + " frames") + ", codebook 0 has "
                        + codes[0].length);
            }
        }
    }
}
