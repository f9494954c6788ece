package dev.samvaad.spark;

import java.io.Serializable;

/**
 * One pair a job could not make or encode, and why; the other pairs are not affected.
 *
 * @param pair   the pair: its folder name ({@code conv_000042}), which for a generated pair is
 *               number {@code index + 1}
 * @param index  the generated pair's 0-based index, or -1 for a pair folder not made by the seed
 * @param reason what went wrong, as the exception said it
 * @serial exclude
 */
public record PairFailure(String pair, int index, String reason) implements Serializable {
    @Override
    public String toString() {
        return (index >= 0 ? "pair " + index + " (" + pair + ")" : pair) + ": " + reason;
    }
}
