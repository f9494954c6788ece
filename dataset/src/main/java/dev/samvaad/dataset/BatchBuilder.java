package dev.samvaad.dataset;

import dev.samvaad.codec.CodeLayout;
import dev.samvaad.io.Words;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts the pairs of one split of a {@link PairDataset} into padded {@link Batch}es, epoch by
 * epoch.
 *
 * <p>Pairs longer than the limits are truncated or skipped once, at construction
 * ({@link OverLength}). Each {@link #epoch(int)} holds every kept pair exactly once, in an order
 * that depends only on the seed and the epoch number, so a resumed run sees the same batches.
 * With bucketing, the shuffled pairs are taken in chunks of {@link Options#BUCKET_BATCHES}
 * batches; each chunk is sorted by target length (then input length) and cut into batches, so a
 * batch holds pairs of similar lengths and little padding; the batches are then shuffled, so
 * lengths do not rise steadily through an epoch.
 *
 * <pre>{@code
 * BatchBuilder batches = new BatchBuilder(data, Split.TRAIN, BatchBuilder.Options.builder()
 *         .batchSize(32).maxTargetFrames(400).seed(7).build());
 * for (int epoch = 0; epoch < epochs; epoch++) {
 *     for (Batch batch : batches.epoch(epoch)) { ... }
 * }
 * }</pre>
 *
 * Immutable and thread-safe.
 */
public final class BatchBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(BatchBuilder.class);

    /** What to do with a pair longer than the limits. */
    public enum OverLength {
        /**
         * Keep the first {@code maxInputFrames} input frames and the first
         * {@code maxTargetFrames - 1} target frames; the target still ends in EOS.
         */
        TRUNCATE,
        /** Leave the pair out. */
        SKIP
    }

    /**
     * How batches are made; {@link #builder()} starts from the defaults.
     *
     * @param batchSize       pairs per batch (the last batch of an epoch may hold fewer); default 16
     * @param maxInputFrames  most encoder frames per row; default 250
     * @param maxTargetFrames most decoder frames per row, EOS included: a target of {@code n}
     *                        frames fits when {@code n + 1 <= maxTargetFrames}; default 250
     * @param overLength      what to do with longer pairs; default {@link OverLength#TRUNCATE}
     * @param bucketing       batch pairs of similar target length; default true
     * @param seed            decides every epoch's order together with the epoch number; default 0
     */
    public record Options(int batchSize, int maxInputFrames, int maxTargetFrames, OverLength overLength,
            boolean bucketing, long seed) {
        /** Batches per bucketing chunk: more gives closer lengths within batches, less randomness. */
        public static final int BUCKET_BATCHES = 50;

        /**
         * Checks the options.
         *
         * @param batchSize       pairs per batch, at least 1
         * @param maxInputFrames  most encoder frames per row, at least 2
         * @param maxTargetFrames most decoder frames per row, EOS included, at least 2
         * @param overLength      what to do with longer pairs
         * @param bucketing       batch pairs of similar target length
         * @param seed            decides every epoch's order together with the epoch number
         * @throws IllegalArgumentException naming the bad option
         */
        public Options {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
            }
            // A truncated target must keep one real frame besides its EOS; inputs get the same floor.
            if (maxInputFrames < 2) {
                throw new IllegalArgumentException("maxInputFrames must be at least 2, got " + maxInputFrames);
            }
            if (maxTargetFrames < 2) {
                throw new IllegalArgumentException("maxTargetFrames must be at least 2 (one frame and EOS), got "
                        + maxTargetFrames);
            }
            Objects.requireNonNull(overLength, "overLength");
        }

        /** {@return all defaults} */
        public static Options defaults() {
            return builder().build();
        }

        /** {@return a builder holding the defaults} */
        public static Builder builder() {
            return new Builder();
        }

        /** {@return a builder holding these options} */
        public Builder toBuilder() {
            return new Builder().batchSize(batchSize).maxInputFrames(maxInputFrames).maxTargetFrames(maxTargetFrames)
                    .overLength(overLength).bucketing(bucketing).seed(seed);
        }

        /** Builds {@link Options}; each setter returns the builder. Not thread-safe. */
        public static final class Builder {
            private int batchSize = 16;
            private int maxInputFrames = 250;
            private int maxTargetFrames = 250;
            private OverLength overLength = OverLength.TRUNCATE;
            private boolean bucketing = true;
            private long seed;

            private Builder() {}

            /**
             * Sets the pairs per batch.
             *
             * @param value pairs per batch
             * @return this builder
             */
            public Builder batchSize(int value) {
                batchSize = value;
                return this;
            }

            /**
             * Sets the most encoder frames per row.
             *
             * @param value frames
             * @return this builder
             */
            public Builder maxInputFrames(int value) {
                maxInputFrames = value;
                return this;
            }

            /**
             * Sets the most decoder frames per row, EOS included.
             *
             * @param value frames
             * @return this builder
             */
            public Builder maxTargetFrames(int value) {
                maxTargetFrames = value;
                return this;
            }

            /**
             * Sets what to do with longer pairs.
             *
             * @param value truncate or skip
             * @return this builder
             */
            public Builder overLength(OverLength value) {
                overLength = value;
                return this;
            }

            /**
             * Sets whether to batch pairs of similar target length.
             *
             * @param value bucket or not
             * @return this builder
             */
            public Builder bucketing(boolean value) {
                bucketing = value;
                return this;
            }

            /**
             * Sets the seed of the epoch orders.
             *
             * @param value the seed
             * @return this builder
             */
            public Builder seed(long value) {
                seed = value;
                return this;
            }

            /**
             * Builds the options.
             *
             * @return the options
             * @throws IllegalArgumentException naming the bad option
             */
            public Options build() {
                return new Options(batchSize, maxInputFrames, maxTargetFrames, overLength, bucketing, seed);
            }
        }
    }

    private final Options options;
    private final CodeLayout layout;
    /** The kept pairs, truncated where needed, in dataset order. */
    private final List<CodePair> pairs;
    private final int truncated;
    private final int skipped;

    /**
     * Batches of the pairs of {@code split} in {@code data}; over-long pairs are truncated or
     * skipped here, once.
     *
     * @param data    the dataset
     * @param split   the split to batch
     * @param options batch size, limits, bucketing and seed
     */
    public BatchBuilder(PairDataset data, Split split, Options options) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(split, "split");
        this.options = Objects.requireNonNull(options, "options");
        this.layout = data.layout();
        List<CodePair> all = data.pairs(split);
        List<CodePair> kept = new ArrayList<>(all.size());
        int cut = 0;
        int left = 0;
        for (CodePair pair : all) {
            if (fits(pair)) {
                kept.add(pair);
            } else if (options.overLength() == OverLength.SKIP) {
                left++;
            } else {
                kept.add(truncate(pair));
                cut++;
            }
        }
        this.pairs = List.copyOf(kept);
        this.truncated = cut;
        this.skipped = left;
        if (cut + left > 0) {
            LOG.info("{} of {} longer than {} input frames or {} target frames (+ EOS) {} {}", cut + left,
                    Words.count(all.size(), split + " pair"), options.maxInputFrames(), options.maxTargetFrames() - 1,
                    cut + left == 1 ? "was" : "were", cut > 0 ? "truncated" : "skipped");
        }
    }

    /** {@return the options these batches follow} */
    public Options options() {
        return options;
    }

    /** {@return the pairs in every epoch} */
    public int size() {
        return pairs.size();
    }

    /** {@return the batches in every epoch: {@code ceil(size() / batchSize)}} */
    public int batchesPerEpoch() {
        return (int) ((pairs.size() + (long) options.batchSize() - 1) / options.batchSize());
    }

    /** {@return the pairs cut to the limits ({@link OverLength#TRUNCATE})} */
    public int truncated() {
        return truncated;
    }

    /** {@return the pairs left out for their length ({@link OverLength#SKIP})} */
    public int skipped() {
        return skipped;
    }

    /**
     * The batches of one epoch: every kept pair exactly once, in an order decided by the seed
     * and {@code epoch} alone. The list is lazy: each batch's arrays are made when it is read (so
     * an epoch's padded arrays never all sit in memory at once), fresh at every read.
     *
     * @param epoch the epoch number, from 0
     * @return the epoch's batches
     */
    public List<Batch> epoch(int epoch) {
        SplittableRandom random = new SplittableRandom(mix(options.seed() ^ mix(epoch)));
        int[] order = shuffled(pairs.size(), random);
        List<int[]> batches = new ArrayList<>(batchesPerEpoch());
        if (options.bucketing()) {
            int chunk = (int) Math.min(pairs.size(), (long) Options.BUCKET_BATCHES * options.batchSize());
            Comparator<Integer> byLength = Comparator.<Integer>comparingInt(i -> pairs.get(i).targetFrames())
                    .thenComparingInt(i -> pairs.get(i).inputFrames());
            for (int start = 0; start < order.length; start += chunk) {
                // A stable sort: pairs of equal lengths stay in their shuffled order.
                Integer[] part = Arrays.stream(order, start, Math.min(order.length, start + chunk)).boxed()
                        .sorted(byLength).toArray(Integer[]::new);
                cut(Arrays.stream(part).mapToInt(Integer::intValue).toArray(), batches);
            }
            shuffle(batches, random);
        } else {
            cut(order, batches);
        }
        return new LazyBatches(batches);
    }

    private boolean fits(CodePair pair) {
        return pair.inputFrames() <= options.maxInputFrames() && pair.targetFrames() + 1 <= options.maxTargetFrames();
    }

    private CodePair truncate(CodePair pair) {
        return new CodePair(pair.id(), pair.split(), head(pair.input(), options.maxInputFrames()),
                head(pair.target(), options.maxTargetFrames() - 1));
    }

    private static int[][] head(int[][] codes, int frames) {
        if (codes[0].length <= frames) {
            return codes;
        }
        int[][] cut = new int[codes.length][];
        for (int q = 0; q < codes.length; q++) {
            cut[q] = Arrays.copyOf(codes[q], frames);
        }
        return cut;
    }

    private void cut(int[] order, List<int[]> batches) {
        for (int start = 0; start < order.length; start += options.batchSize()) {
            batches.add(Arrays.copyOfRange(order, start, Math.min(order.length, start + options.batchSize())));
        }
    }

    /** The padded arrays of the pairs at {@code rows}, laid out as {@link Batch} describes. */
    private Batch assemble(int[] rows) {
        int pad = layout.pad();
        int bos = layout.bos();
        int eos = layout.eos();
        int sourceFrames = 0;
        int decoderFrames = 0;
        for (int row : rows) {
            sourceFrames = Math.max(sourceFrames, pairs.get(row).inputFrames());
            decoderFrames = Math.max(decoderFrames, pairs.get(row).targetFrames() + 1);
        }
        int b = rows.length;
        int q = pairs.get(rows[0]).input().length;
        List<String> ids = new ArrayList<>(b);
        int[][][] encoderInput = new int[b][q][sourceFrames];
        float[][] encoderMask = new float[b][sourceFrames];
        int[][][] decoderInput = new int[b][q][decoderFrames];
        int[][][] labels = new int[b][q][decoderFrames];
        float[][] labelMask = new float[b][decoderFrames];
        for (int i = 0; i < b; i++) {
            CodePair pair = pairs.get(rows[i]);
            ids.add(pair.id());
            int m = pair.inputFrames();
            int n = pair.targetFrames();
            for (int c = 0; c < q; c++) {
                System.arraycopy(pair.input()[c], 0, encoderInput[i][c], 0, m);
                Arrays.fill(encoderInput[i][c], m, sourceFrames, pad);
                decoderInput[i][c][0] = bos;
                System.arraycopy(pair.target()[c], 0, decoderInput[i][c], 1, n);
                Arrays.fill(decoderInput[i][c], n + 1, decoderFrames, pad);
                System.arraycopy(pair.target()[c], 0, labels[i][c], 0, n);
                labels[i][c][n] = eos;
                Arrays.fill(labels[i][c], n + 1, decoderFrames, pad);
            }
            Arrays.fill(encoderMask[i], 0, m, 1f);
            Arrays.fill(labelMask[i], 0, n + 1, 1f);
        }
        return new Batch(ids, encoderInput, encoderMask, decoderInput, labels, labelMask);
    }

    /** An epoch's batches as row numbers; each is assembled when read. */
    private final class LazyBatches extends AbstractList<Batch> implements RandomAccess {
        private final List<int[]> rows;

        LazyBatches(List<int[]> rows) {
            this.rows = rows;
        }

        @Override
        public Batch get(int index) {
            return assemble(rows.get(index));
        }

        @Override
        public int size() {
            return rows.size();
        }
    }

    private static int[] shuffled(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    private static <T> void shuffle(List<T> list, SplittableRandom random) {
        for (int i = list.size() - 1; i > 0; i--) {
            list.set(i, list.set(random.nextInt(i + 1), list.get(i)));
        }
    }

    /**
     * Stafford's mix13 finaliser: nearby (seed, epoch) values give unrelated generators (seeding
     * SplittableRandom with {@code seed + epoch * gamma} would make epochs shifted copies).
     */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
