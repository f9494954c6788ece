package dev.samvaad.dataset;

import dev.samvaad.codec.CodeLayout;
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
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if a code array has no codebooks, a null or ragged row
     */
    public CodePair {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(split, "split");
        CodeLayout.requireRectangle("input of " + id, input);
        CodeLayout.requireRectangle("target of " + id, target);
    }

    /** {@return the frames of the input, {@code T1}} */
    public int inputFrames() {
        return input[0].length;
    }

    /** {@return the frames of the target, {@code T2}} */
    public int targetFrames() {
        return target[0].length;
    }
}
