package dev.samvaad.bench;

/** Shape parameters of the benchmarks, written {@code "150x128x512"}. */
final class Shapes {
    private Shapes() {}

    /** The {@code rank} positive sizes of {@code text}. */
    static int[] parse(String text, int rank) {
        String[] parts = text.trim().split("x");
        if (parts.length != rank) {
            throw new IllegalArgumentException("shape '" + text + "' must have " + rank + " sizes, like "
                    + (rank == 2 ? "128x512" : "150x128x512"));
        }
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            try {
                out[i] = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                out[i] = -1;
            }
            if (out[i] <= 0) {
                throw new IllegalArgumentException("shape '" + text + "': '" + parts[i] + "' is not a positive size");
            }
        }
        return out;
    }
}
