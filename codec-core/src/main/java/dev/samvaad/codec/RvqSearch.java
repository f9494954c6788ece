package dev.samvaad.codec;

import dev.samvaad.tensor.FloatKernels;

/**
 * Nearest-entry search in one codebook. Nearest means smallest {@code ||e||^2 / 2 - e.x}, which
 * ranks entries like the squared distance. Rather than one short dot product per entry, the
 * scores of all entries are built with one long axpy per dimension over a transposed codebook,
 * which keeps the SIMD lanes full when the dimension is small (e.g. 22). Immutable.
 */
final class RvqSearch {
    private static final FloatKernels KERNELS = FloatKernels.best();

    private final int size;
    private final int dim;
    /** {@code transposed[d * size + k]} is coordinate {@code d} of entry {@code k}. */
    private final float[] transposed;
    private final float[] halfNorms;

    /** @param codebook {@code size} entries of {@code dim} floats, row-major */
    RvqSearch(float[] codebook, int size, int dim) {
        this.size = size;
        this.dim = dim;
        this.transposed = new float[size * dim];
        this.halfNorms = new float[size];
        for (int k = 0; k < size; k++) {
            int offset = k * dim;
            halfNorms[k] = 0.5f * KERNELS.dot(codebook, offset, codebook, offset, dim);
            for (int d = 0; d < dim; d++) {
                transposed[d * size + k] = codebook[offset + d];
            }
        }
    }

    /**
     * The entry nearest to {@code x[offset, offset + dim)} (the lowest index on ties).
     *
     * @param scores working space: {@code size} floats from {@code scoresOffset} are overwritten
     */
    int nearest(float[] x, int offset, float[] scores, int scoresOffset) {
        System.arraycopy(halfNorms, 0, scores, scoresOffset, size);
        for (int d = 0; d < dim; d++) {
            KERNELS.axpy(-x[offset + d], transposed, d * size, scores, scoresOffset, size);
        }
        int best = 0;
        float bestValue = scores[scoresOffset];
        for (int i = 1; i < size; i++) {
            if (scores[scoresOffset + i] < bestValue) {
                bestValue = scores[scoresOffset + i];
                best = i;
            }
        }
        return best;
    }
}
