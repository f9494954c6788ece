package dev.samvaad.codec;

import dev.samvaad.io.Words;
import dev.samvaad.tensor.FloatKernels;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a {@link ResidualVQ} with k-means, one stage after another: stage {@code s} is fitted to
 * the residuals the stages before it leave on the training data.
 *
 * <p>Each stage is seeded with k-means++ (on a seeded sample of at most {@code 20 * K} vectors)
 * and refined by Lloyd iterations. After every assignment step an entry that no vector chose is
 * moved onto a training vector drawn in proportion to its squared error, so entries are not
 * wasted. The assignment step runs across {@link Options#threads()} threads; everything else is
 * sequential, so the same data and options give bit-identical codebooks on any thread count.
 */
final class RvqTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(RvqTrainer.class);

    private RvqTrainer() {}

    /** Receives progress as each stage finishes; called on the thread that called {@code train}. */
    @FunctionalInterface
    public interface Listener {
        /**
         * @param stage      the stage just trained, from 0
         * @param iterations the Lloyd iterations it ran (fewer than asked if it converged)
         * @param mse        the mean squared residual norm per training vector after this stage
         * @param restarts   how many times an unused entry was re-seeded
         */
        void stageDone(int stage, int iterations, double mse, int restarts);
    }

    /**
     * Training options; build with {@link #builder()}.
     *
     * @param stages             codebooks {@code Q} (default 6)
     * @param size               entries per codebook {@code K} (default 1024)
     * @param iterations         maximum Lloyd iterations per stage (default 20)
     * @param maxTrainingVectors larger data sets are cut to a seeded random sample of this many
     *                           vectors (default 200,000)
     * @param seed               seeds every random choice (default 1)
     * @param threads            threads for the assignment step (default: available processors)
     * @param tolerance          a stage stops early once an iteration improves its mean squared
     *                           error by less than this fraction (default 1e-4; 0 runs every
     *                           iteration that improves at all)
     */
    public record Options(int stages, int size, int iterations, int maxTrainingVectors, long seed,
            int threads, double tolerance) {

        /** @throws IllegalArgumentException if a value is out of range */
        public Options {
            requireAtLeast("stages", stages, 1);
            requireAtLeast("size", size, 1);
            requireAtLeast("iterations", iterations, 1);
            requireAtLeast("threads", threads, 1);
            if (maxTrainingVectors < size) {
                throw new IllegalArgumentException("maxTrainingVectors (" + maxTrainingVectors
                        + ") must be at least size (" + size + ")");
            }
            if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
                throw new IllegalArgumentException(
                        "tolerance must be finite and >= 0, got " + tolerance);
            }
        }

        /** The defaults listed on {@link Options}. */
        public static Options defaults() {
            return builder().build();
        }

        /** A builder starting from the defaults. */
        public static Builder builder() {
            return new Builder();
        }

        private static void requireAtLeast(String name, int value, int minimum) {
            if (value < minimum) {
                throw new IllegalArgumentException(name + " must be >= " + minimum + ", got " + value);
            }
        }

        /** Builds {@link Options}; values are checked by {@link #build()}. */
        public static final class Builder {
            private int stages = 6;
            private int size = 1024;
            private int iterations = 20;
            private int maxTrainingVectors = 200_000;
            private long seed = 1;
            private int threads = Runtime.getRuntime().availableProcessors();
            private double tolerance = 1e-4;

            private Builder() {}

            /** Sets the number of codebooks {@code Q}. */
            public Builder stages(int stages) {
                this.stages = stages;
                return this;
            }

            /** Sets the entries per codebook {@code K}. */
            public Builder size(int size) {
                this.size = size;
                return this;
            }

            /** Sets the maximum Lloyd iterations per stage. */
            public Builder iterations(int iterations) {
                this.iterations = iterations;
                return this;
            }

            /** Sets the subsample cap on training vectors. */
            public Builder maxTrainingVectors(int maxTrainingVectors) {
                this.maxTrainingVectors = maxTrainingVectors;
                return this;
            }

            /** Sets the random seed. */
            public Builder seed(long seed) {
                this.seed = seed;
                return this;
            }

            /** Sets the threads for the assignment step. */
            public Builder threads(int threads) {
                this.threads = threads;
                return this;
            }

            /** Sets the relative MSE improvement below which a stage stops early. */
            public Builder tolerance(double tolerance) {
                this.tolerance = tolerance;
                return this;
            }

            /** @throws IllegalArgumentException if a value is out of range */
            public Options build() {
                return new Options(stages, size, iterations, maxTrainingVectors, seed, threads, tolerance);
            }
        }
    }

    /**
     * Trains a quantiser on {@code data[vector][coordinate]}.
     *
     * @throws IllegalArgumentException if {@code data} is empty, ragged or not finite, or has
     *     fewer vectors than {@link Options#size()}
     */
    public static ResidualVQ train(float[][] data, Options options) {
        return train(data, options, null);
    }

    /**
     * Trains a quantiser on {@code data[vector][coordinate]}, reporting each finished stage to
     * {@code listener} (which may be null).
     *
     * @throws IllegalArgumentException as {@link #train(float[][], Options)}
     */
    public static ResidualVQ train(float[][] data, Options options, Listener listener) {
        Objects.requireNonNull(options, "options");
        int dim = RvqVectors.requireFiniteMatrix(data, "data");
        int size = options.size();
        if (data.length < size) {
            throw new IllegalArgumentException("need at least " + size + " training vectors to train "
                    + size + " entries per stage, got " + data.length + "; add data or lower size");
        }
        SplittableRandom random = new SplittableRandom(options.seed());
        float[] residuals = trainingSample(data, dim, options.maxTrainingVectors(), random);
        int count = residuals.length / dim;
        LOG.info("Training RVQ: {} x {} entries, dim {}, on {} of {}, {}, {} kernels",
                Words.count(options.stages(), "stage"), size, dim, count, Words.count(data.length, "vector"),
                Words.count(options.threads(), "thread"), FloatKernels.best().name());

        ForkJoinPool pool = options.threads() > 1 ? new ForkJoinPool(options.threads()) : null;
        try {
            KMeansAssignment assignment = new KMeansAssignment(residuals, count, dim, pool);
            float[][] codebooks = new float[options.stages()][];
            for (int stage = 0; stage < options.stages(); stage++) {
                long start = System.nanoTime();
                KMeansStage.Result result = KMeansStage.train(residuals, count, dim, size,
                        options.iterations(), options.tolerance(), assignment, random.split());
                subtractChosenEntries(residuals, dim, result);
                codebooks[stage] = result.codebook();
                LOG.info("RVQ stage {}/{}: {}, mse {}, {}, {} ms", stage + 1, options.stages(),
                        Words.count(result.iterations(), "iteration"), String.format("%.6g", result.mse()),
                        Words.count(result.restarts(), "restart"), (System.nanoTime() - start) / 1_000_000);
                if (listener != null) {
                    listener.stageDone(stage, result.iterations(), result.mse(), result.restarts());
                }
            }
            return ResidualVQ.ofTrusted(codebooks, size, dim);
        } finally {
            if (pool != null) {
                pool.shutdown();
            }
        }
    }

    /** Copies the training vectors, row-major: all of them, or a seeded sample of {@code max}. */
    private static float[] trainingSample(float[][] data, int dim, int max, SplittableRandom random) {
        int count = Math.min(data.length, max);
        float[] flat = new float[RvqVectors.flatLength(count, dim, "the training sample")];
        int[] rows = count == data.length ? null : KMeansSampling.subsample(data.length, count, random);
        for (int i = 0; i < count; i++) {
            System.arraycopy(data[rows == null ? i : rows[i]], 0, flat, i * dim, dim);
        }
        return flat;
    }

    private static void subtractChosenEntries(float[] residuals, int dim, KMeansStage.Result result) {
        int[] codes = result.codes();
        float[] codebook = result.codebook();
        for (int n = 0; n < codes.length; n++) {
            int entryOffset = codes[n] * dim;
            int offset = n * dim;
            for (int d = 0; d < dim; d++) {
                residuals[offset + d] -= codebook[entryOffset + d];
            }
        }
    }
}
