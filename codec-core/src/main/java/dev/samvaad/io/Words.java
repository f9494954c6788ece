package dev.samvaad.io;

/**
 * Counts in words, for the lines Samvaad logs and prints: {@code 1 turn}, {@code 2 turns},
 * {@code 0 pairs}, never {@code 1 turns}.
 */
public final class Words {
    private Words() {}

    /**
     * {@code n} and the noun, plural unless {@code n} is 1 ({@code 1 pair}, {@code 0 pairs});
     * the plural adds an {@code s} to the noun's last word ({@code 2 train pairs}).
     *
     * @param n    the count
     * @param noun the noun in the singular
     * @return e.g. {@code "3 files"}
     */
    public static String count(long n, String noun) {
        return n + " " + (n == 1 ? noun : noun + "s");
    }
}
