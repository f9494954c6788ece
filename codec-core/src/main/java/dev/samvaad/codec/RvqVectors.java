package dev.samvaad.codec;

/** Validation and small vector helpers shared by {@link ResidualVQ} and {@link RvqTrainer}. */
final class RvqVectors {

    /** The longest array every common JVM allocates (a few header words below 2^31). */
    private static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

    private RvqVectors() {}

    /**
     * Checks that {@code rows} is a non-empty matrix of finite values whose rows all have the same
     * positive length, and returns that length.
     *
     * @param what how messages name the matrix, e.g. {@code "data"}
     * @throws IllegalArgumentException naming the first offending row
     */
    static int requireFiniteMatrix(float[][] rows, String what) {
        if (rows == null) {
            throw new IllegalArgumentException(what + " is null");
        }
        if (rows.length == 0) {
            throw new IllegalArgumentException(what + " has no rows");
        }
        int dim = requireRow(rows, 0, -1, what);
        if (dim == 0) {
            throw new IllegalArgumentException(what + " rows are empty (dimension 0)");
        }
        for (int i = 1; i < rows.length; i++) {
            requireRow(rows, i, dim, what);
        }
        return dim;
    }

    private static int requireRow(float[][] rows, int index, int expectedDim, String what) {
        float[] row = rows[index];
        if (row == null) {
            throw new IllegalArgumentException(what + "[" + index + "] is null");
        }
        if (expectedDim >= 0 && row.length != expectedDim) {
            throw new IllegalArgumentException(what + " is ragged: row " + index + " has length "
                    + row.length + ", row 0 has " + expectedDim);
        }
        for (int d = 0; d < row.length; d++) {
            if (!Float.isFinite(row[d])) {
                throw new IllegalArgumentException(what + "[" + index + "][" + d + "] is not finite: "
                        + row[d]);
            }
        }
        return row.length;
    }

    /**
     * Returns {@code rows * dim}, the length of a row-major array holding the rows.
     *
     * @throws IllegalArgumentException if that is more than a Java array can hold
     */
    static int flatLength(long rows, int dim, String what) {
        long length = rows * dim;
        if (length > MAX_ARRAY_LENGTH) {
            throw new IllegalArgumentException(what + " would need " + length
                    + " floats in one array, more than the " + MAX_ARRAY_LENGTH + " allowed");
        }
        return (int) length;
    }

    /** Returns {@code sum((a[aOff + i] - b[bOff + i])^2)} for {@code i < length}. */
    static float squaredDistance(float[] a, int aOff, float[] b, int bOff, int length) {
        float sum = 0f;
        for (int i = 0; i < length; i++) {
            float diff = a[aOff + i] - b[bOff + i];
            sum += diff * diff;
        }
        return sum;
    }
}
