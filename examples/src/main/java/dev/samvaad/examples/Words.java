package dev.samvaad.examples;

/** Counts in words for the lines the commands print: {@code 1 turn}, {@code 2 turns}. */
final class Words {
    private Words() {}

    /** {@code n} and the noun, plural unless {@code n} is 1 ({@code 1 pair}, {@code 0 pairs}). */
    static String count(long n, String noun) {
        return n + " " + (n == 1 ? noun : noun + "s");
    }
}
