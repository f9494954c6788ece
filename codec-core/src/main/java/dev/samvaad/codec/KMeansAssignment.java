package dev.samvaad.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * The assignment step of Lloyd's algorithm: the nearest codebook entry of every training vector
 * (by {@link RvqSearch}). Each vector's result depends only on that vector, so splitting the work
 * across threads cannot change it.
 */
final class KMeansAssignment {

    /** Vectors per parallel task: enough to amortise a task, few enough to balance the threads. */
    private static final int VECTORS_PER_TASK = 1024;
    private final float[] data;
    private final int count;
    private final int dim;
    private final ForkJoinPool pool;

    /**
     * @param data  {@code count} vectors of {@code dim} floats, row-major
     * @param pool  the pool to split the work across, or null to run on the calling thread
     */
    KMeansAssignment(float[] data, int count, int dim, ForkJoinPool pool) {
        this.data = data;
        this.count = count;
        this.dim = dim;
        this.pool = pool;
    }

    /**
     * Writes into {@code codes[n]} the nearest of the {@code size} entries of {@code codebook} to
     * vector {@code n} (the lowest index on ties), and into {@code errors[n]} its squared distance.
     */
    void assign(float[] codebook, int size, int[] codes, float[] errors) {
        Pass pass = new Pass(codebook, size, codes, errors);
        if (pool == null) {
            pass.assignRange(0, count);
            return;
        }
        List<ForkJoinTask<?>> tasks = new ArrayList<>();
        for (int from = 0; from < count; from += VECTORS_PER_TASK) {
            int start = from;
            int end = Math.min(count, from + VECTORS_PER_TASK);
            tasks.add(pool.submit(() -> pass.assignRange(start, end)));
        }
        tasks.forEach(ForkJoinTask::join);
    }

    /** One assignment over one codebook. */
    private final class Pass {
        private final float[] codebook;
        private final int size;
        private final int[] codes;
        private final float[] errors;
        private final RvqSearch search;

        Pass(float[] codebook, int size, int[] codes, float[] errors) {
            this.codebook = codebook;
            this.size = size;
            this.codes = codes;
            this.errors = errors;
            this.search = new RvqSearch(codebook, size, dim);
        }

        void assignRange(int from, int to) {
            float[] scores = new float[size];
            for (int n = from; n < to; n++) {
                int offset = n * dim;
                int best = search.nearest(data, offset, scores, 0);
                codes[n] = best;
                // The exact distance, not the score: the score loses precision to cancellation.
                errors[n] = RvqVectors.squaredDistance(data, offset, codebook, best * dim, dim);
            }
        }
    }
}
