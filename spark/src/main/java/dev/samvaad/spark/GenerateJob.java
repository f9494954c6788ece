package dev.samvaad.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.samvaad.dataset.ConversationPair;
import dev.samvaad.dataset.PairMeta;
import dev.samvaad.dataset.Split;
import dev.samvaad.dataset.synth.ConversationGenerator;
import dev.samvaad.dataset.synth.ConversationGenerator.PairOutcome;
import dev.samvaad.dataset.synth.GenerationRecipe;
import dev.samvaad.dataset.synth.GenerationSummary;
import dev.samvaad.io.AtomicFiles;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.IntStream;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generates a conversation data set on a Spark cluster: the pairs {@code [0, numPairs)} are spread
 * over partitions, and each executor makes its pairs with the single-machine generator
 * ({@link ConversationGenerator#makePair}) in a scratch folder of its own, then copies them to the
 * output folder on any Hadoop file system. The output is byte for byte what {@code bin/samvaad
 * generate-data} writes with the same settings: {@code dataset.json} and {@code conv_000001/user.wav,
 * assistant.wav, meta.json}, ....
 *
 * <p>Atomic per pair, as on one machine: each file is written to a temporary name and renamed, and
 * a pair's {@code meta.json} goes last, so a task that dies mid-pair (an executor lost, a TTS
 * crash that kills the JVM) leaves a folder without meta.json, which the retried task (or a
 * rerun) clears and makes again. A rerun keeps every pair that is complete and made to the same
 * plan. A pair that fails (the TTS or the answer source throws) is reported with its index in the
 * {@link Result} and costs no other pair.
 *
 * <pre>{@code
 * try (JavaSparkContext sc = new JavaSparkContext(new SparkConf().setAppName("samvaad-generate"))) {
 *     GenerateJob.Result result = GenerateJob.run(sc, GenerateJob.Options.of("hdfs:///data/conversations", 100_000, 1));
 *     System.out.println(result.describe());
 * }
 * }</pre>
 */
public final class GenerateJob {
    private static final Logger LOG = LoggerFactory.getLogger(GenerateJob.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private GenerateJob() {
    }

    /**
     * What to generate and where: the output folder on any Hadoop file system, the count and seed,
     * and the recipe of {@code generate-data} (corpus, answers, TTS, voices, pauses) as plain
     * values that travel to the executors, which build the generator from them.
     *
     * @param output     the data set folder: a URI ({@code hdfs://nn/data/conv}, {@code s3a://bucket/conv},
     *                   {@code file:///data/conv}) or a path on the default file system
     * @param numPairs   pairs in the data set, at least 1
     * @param seed       decides every pair
     * @param partitions Spark partitions (tasks) the pairs are spread over, each a contiguous range of
     *                   pair indices; 0 for the context's default parallelism
     * @param recipe     how the pairs are made
     * @serial exclude
     */
    public record Options(String output, int numPairs, long seed, int partitions, GenerationRecipe recipe)
            implements Serializable {
        private static final long serialVersionUID = 1L;

        /**
         * Checks what can be checked without building anything; the rest is checked by
         * {@link GenerationRecipe#settings} on the driver before any pair is made.
         *
         * @param output     the data set folder
         * @param numPairs   pairs in the data set
         * @param seed       decides every pair
         * @param partitions Spark partitions, 0 for the default
         * @param recipe     how the pairs are made
         * @throws IllegalArgumentException naming the bad setting
         */
        public Options {
            HadoopFiles.path(output);
            Objects.requireNonNull(recipe, "recipe");
            if (numPairs < 1) {
                throw new IllegalArgumentException("--num_pairs must be at least 1, got " + numPairs);
            }
            if (partitions < 0) {
                throw new IllegalArgumentException("--partitions must be at least 1 (0: Spark's default), got "
                        + partitions);
            }
        }

        /**
         * {@code generate-data}'s defaults: the built-in Telugu corpus and its answers, spoken by espeak-ng.
         *
         * @param output   the data set folder (URI or path)
         * @param numPairs pairs in the data set
         * @param seed     decides every pair
         * @return the options
         */
        public static Options of(String output, int numPairs, long seed) {
            return new Options(output, numPairs, seed, 0, GenerationRecipe.builtIn("te"));
        }

        /**
         * @param n Spark partitions the pairs are spread over (0: the context's default parallelism)
         * @return these options with {@code n} partitions
         */
        public Options withPartitions(int n) {
            return new Options(output, numPairs, seed, n, recipe);
        }

        /**
         * @param r how the pairs are made
         * @return these options with that recipe
         */
        public Options withRecipe(GenerationRecipe r) {
            return new Options(output, numPairs, seed, partitions, r);
        }

        /**
         * The single-machine generator's settings for these options, writing into a local folder.
         *
         * @param localDir the local folder the pairs are made in
         * @return the settings (one worker: a task makes one pair at a time)
         * @throws IllegalArgumentException naming the bad or missing setting
         */
        public ConversationGenerator.Settings settings(java.nio.file.Path localDir) {
            return recipe.settings(localDir, numPairs, seed, 1);
        }
    }

    /**
     * What a generation job produced.
     *
     * @param summary  the pairs per split, audio, made and kept counts and wall time, as
     *                 {@code generate-data} reports them (failed pairs are in neither count)
     * @param failed   pairs that could not be made in this run
     * @param failures the first 1000 of them with their reasons, by index
     */
    public record Result(GenerationSummary summary, int failed, List<PairFailure> failures) {
        /**
         * Copies the list.
         *
         * @param summary  what was made and kept
         * @param failed   pairs that failed
         * @param failures those listed, by index
         */
        public Result {
            failures = List.copyOf(failures);
        }

        /** {@return whether every pair of the data set is there} */
        public boolean complete() {
            return failed == 0;
        }

        /** {@return a few lines for the console: the summary, the failures and how to retry them} */
        public String describe() {
            StringBuilder out = new StringBuilder(summary.describe()).append(System.lineSeparator())
                    .append(Failures.lines(failed, failures));
            if (failed > 0) {
                out.append(String.format("%nrun the same job again to make the failed pairs; the others are kept"));
            }
            return out.toString();
        }
    }

    /**
     * Makes every missing pair of the data set and returns what was made, kept and failed.
     *
     * @param sc    the Spark context
     * @param given what to generate; its corpus and question files are read on the driver
     * @return the result; pairs that failed are listed in it, not thrown
     * @throws IllegalArgumentException if the settings are bad, or the output folder holds a data
     *     set made with other settings or more pairs (nothing is made then)
     * @throws UncheckedIOException naming the file when dataset.json cannot be read or written
     */
    public static Result run(JavaSparkContext sc, Options given) {
        long start = System.nanoTime();
        // Checked as generate-data checks it, then with the corpus and question files' content
        // in it: the executors need not see the driver's files.
        given.settings(java.nio.file.Path.of(System.getProperty("java.io.tmpdir")));
        Options options = given.withRecipe(given.recipe().withFilesRead());
        HadoopFiles files = new HadoopFiles(sc.hadoopConfiguration());
        Path output = files.qualify(HadoopFiles.path(options.output()));
        prepareOutput(files, output, options);
        int partitions = Math.min(options.numPairs(),
                options.partitions() > 0 ? options.partitions() : sc.defaultParallelism());
        // One contiguous range of pair indices a partition (the driver holds the ranges, not the pairs).
        List<int[]> ranges = new ArrayList<>(partitions);
        for (int p = 0; p < partitions; p++) {
            ranges.add(new int[] {(int) ((long) options.numPairs() * p / partitions),
                (int) ((long) options.numPairs() * (p + 1) / partitions)});
        }
        LOG.info("generating {} pairs into {} over {} partitions", options.numPairs(), output, partitions);
        String outputUri = output.toString();
        List<Tally> tallies = sc.parallelize(ranges, partitions)
                .mapPartitions((Iterator<int[]> it) -> {
                    IntStream indices = IntStream.empty();
                    while (it.hasNext()) {
                        int[] range = it.next();
                        indices = IntStream.concat(indices, IntStream.range(range[0], range[1]));
                    }
                    return List.of(makePairs(files, outputUri, options, indices.iterator())).iterator();
                })
                .collect();
        Tally total = new Tally();
        tallies.forEach(total::add);
        GenerationSummary summary = new GenerationSummary(total.perSplit(), total.audioSeconds, total.made, total.kept,
                Duration.ofNanos(System.nanoTime() - start));
        List<PairFailure> failures = total.failures.listed().stream()
                .sorted(java.util.Comparator.comparingInt(PairFailure::index)).toList();
        Result result = new Result(summary, total.failures.count(), failures);
        LOG.info("generated {}: {} made, {} kept, {} failed", output, total.made, total.kept, total.failures.count());
        return result;
    }

    /** Checks or writes dataset.json exactly as the single-machine generator does, through a local copy. */
    private static void prepareOutput(HadoopFiles files, Path output, Options options) {
        java.nio.file.Path scratch = null;
        try {
            scratch = Files.createTempDirectory("samvaad-generate-");
            Path remote = new Path(output, ConversationGenerator.DATASET_JSON);
            java.nio.file.Path local = scratch.resolve(ConversationGenerator.DATASET_JSON);
            Optional<byte[]> existing = files.readIfPresent(remote);
            if (existing.isPresent()) {
                Files.write(local, existing.get());
            }
            new ConversationGenerator(options.settings(scratch)).prepareOutput();
            byte[] written = Files.readAllBytes(local);
            if (existing.isEmpty() || !java.util.Arrays.equals(existing.get(), written)) {
                files.writeAtomically(remote, written);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(output + "/" + ConversationGenerator.DATASET_JSON + ": " + e.getMessage(), e);
        } finally {
            deleteTree(scratch);
        }
    }

    /** One task: its pairs, made in a local scratch folder and copied out, or kept. */
    private static Tally makePairs(HadoopFiles files, String outputUri, Options options, Iterator<Integer> indices)
            throws IOException {
        Tally tally = new Tally();
        if (!indices.hasNext()) {
            return tally;
        }
        Path output = new Path(outputUri);
        Optional<java.nio.file.Path> localOutput = files.local(output);
        if (localOutput.isPresent()) {
            return makeLocalPairs(localOutput.get(), options, indices);
        }
        java.nio.file.Path scratch = Files.createTempDirectory("samvaad-generate-");
        try {
            ConversationGenerator generator = new ConversationGenerator(options.settings(scratch));
            while (indices.hasNext()) {
                int index = indices.next();
                String name = ConversationGenerator.folderName(index);
                Path folder = new Path(output, name);
                try {
                    Optional<PairOutcome> kept = kept(files, folder, generator, index);
                    if (kept.isPresent()) {
                        tally.add(kept.get());
                        continue;
                    }
                    files.clearFiles(folder);
                    PairOutcome made = generator.makePair(index);
                    java.nio.file.Path local = scratch.resolve(name);
                    files.upload(local.resolve(ConversationPair.USER_WAV), new Path(folder, ConversationPair.USER_WAV));
                    files.upload(local.resolve(ConversationPair.ASSISTANT_WAV),
                            new Path(folder, ConversationPair.ASSISTANT_WAV));
                    // Last: its presence marks the pair complete.
                    files.upload(local.resolve(ConversationPair.META_JSON), new Path(folder, ConversationPair.META_JSON));
                    tally.add(made);
                } catch (RuntimeException | IOException e) {
                    String reason = e.getMessage() != null ? e.getMessage() : e.toString();
                    LOG.warn("pair {} ({}) failed: {}", index, folder, reason);
                    tally.failures.add(new PairFailure(name, index, reason));
                } finally {
                    deleteTree(scratch.resolve(name));
                }
            }
        } finally {
            deleteTree(scratch);
        }
        return tally;
    }

    /**
     * One task writing to a local folder (local mode, or a folder every executor shares): the
     * single-machine generator makes or keeps each pair in place, exactly as {@code generate-data} does.
     */
    private static Tally makeLocalPairs(java.nio.file.Path output, Options options, Iterator<Integer> indices) {
        Tally tally = new Tally();
        ConversationGenerator generator = new ConversationGenerator(options.settings(output));
        while (indices.hasNext()) {
            int index = indices.next();
            java.nio.file.Path folder = output.resolve(ConversationGenerator.folderName(index));
            try {
                tally.add(generator.makePair(index));
            } catch (RuntimeException e) {
                String reason = e.getMessage() != null ? e.getMessage() : e.toString();
                LOG.warn("pair {} ({}) failed: {}", index, folder, reason);
                tally.failures.add(new PairFailure(ConversationGenerator.folderName(index), index, reason));
                // What the failed pair wrote (a question without its answer) goes, as on other file systems.
                deleteTree(folder);
            }
        }
        return tally;
    }

    /** The pair as kept, when the folder holds both WAVs and a meta.json made to this pair's plan. */
    private static Optional<PairOutcome> kept(HadoopFiles files, Path folder, ConversationGenerator generator, int index)
            throws IOException {
        Optional<byte[]> meta = files.readIfPresent(new Path(folder, ConversationPair.META_JSON));
        if (meta.isEmpty() || !files.isFile(new Path(folder, ConversationPair.USER_WAV))
                || !files.isFile(new Path(folder, ConversationPair.ASSISTANT_WAV))) {
            return Optional.empty();
        }
        try {
            return generator.keptPair(index, JSON.readValue(meta.get(), PairMeta.class));
        } catch (IOException e) {
            LOG.warn("{}: unreadable meta.json ({}); regenerating", folder, e.getMessage());
            return Optional.empty();
        }
    }

    private static void deleteTree(java.nio.file.Path dir) {
        if (dir == null) {
            return;
        }
        try {
            AtomicFiles.deleteTree(dir);
        } catch (IOException e) {
            LOG.warn("cannot delete scratch folder {}: {}", dir, e.getMessage());
        }
    }

    /** What one task (or, added up, the job) made, kept and failed. */
    static final class Tally implements Serializable {
        private static final long serialVersionUID = 1L;
        int made;
        int kept;
        double audioSeconds;
        final Map<Split, Integer> perSplit = new EnumMap<>(Split.class);
        final Failures failures = new Failures();

        void add(PairOutcome outcome) {
            if (outcome.generated()) {
                made++;
            } else {
                kept++;
            }
            audioSeconds += outcome.audioSeconds();
            perSplit.merge(outcome.split(), 1, Integer::sum);
        }

        void add(Tally other) {
            made += other.made;
            kept += other.kept;
            audioSeconds += other.audioSeconds;
            other.perSplit.forEach((s, n) -> perSplit.merge(s, n, Integer::sum));
            failures.addAll(other.failures);
        }

        Map<Split, Integer> perSplit() {
            Map<Split, Integer> all = new EnumMap<>(Split.class);
            for (Split s : Split.values()) {
                all.put(s, perSplit.getOrDefault(s, 0));
            }
            return all;
        }
    }
}
