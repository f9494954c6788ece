package dev.samvaad.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.samvaad.dataset.ConversationPair;
import dev.samvaad.dataset.PairMeta;
import dev.samvaad.dataset.Split;
import dev.samvaad.dataset.synth.ChatCompletionsResponseSource;
import dev.samvaad.dataset.synth.CommandSynthesizer;
import dev.samvaad.dataset.synth.ConversationGenerator;
import dev.samvaad.dataset.synth.ConversationGenerator.PairOutcome;
import dev.samvaad.dataset.synth.CorpusResponseSource;
import dev.samvaad.dataset.synth.DialogueCorpus;
import dev.samvaad.dataset.synth.EspeakSynthesizer;
import dev.samvaad.dataset.synth.GenerationSummary;
import dev.samvaad.dataset.synth.Pauses;
import dev.samvaad.dataset.synth.ResponseSource;
import dev.samvaad.dataset.synth.SpeechSynthesizer;
import dev.samvaad.dataset.synth.Voice;
import dev.samvaad.dataset.synth.VoiceBank;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
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
    /** Failures kept in a result with their reasons; the rest are counted. */
    static final int MAX_LISTED_FAILURES = 1000;

    private GenerateJob() {
    }

    /**
     * What to generate: the settings of {@code generate-data}, as plain values that travel to the
     * executors, which build the corpus, the TTS and the answer source from them.
     *
     * @param output         the data set folder: a URI ({@code hdfs://nn/data/conv}, {@code s3a://bucket/conv},
     *                       {@code file:///data/conv}) or a local path
     * @param numPairs       pairs in the data set, at least 1
     * @param seed           decides every pair
     * @param partitions     Spark partitions (tasks) the pairs are spread over; 0 for the context's default
     *                       parallelism
     * @param language       the built-in corpus's and espeak-ng's language
     * @param corpusJson     a corpus file's text (samvaad-corpus/1), or null for the built-in corpus
     * @param corpusSource   where {@code corpusJson} came from (its path: it goes into dataset.json and
     *                       messages), or null
     * @param intents        only these intents of the corpus, or null for all
     * @param questions      bare questions for {@code llmUrl} to answer instead of a corpus, or null
     * @param questionsSource where {@code questions} came from (its path), or null
     * @param llmUrl         an OpenAI-compatible server that answers the questions, or null for the corpus's answers
     * @param llmModel       the model name for {@code llmUrl}, or null
     * @param ttsCommand     an external TTS command line (placeholders as {@code generate-data --tts-command}),
     *                       or null for espeak-ng
     * @param userVoices     user-side voice names, or null for espeak-ng's variants of {@code language}
     * @param assistantVoice the assistant's voice name, or null for the plain {@code language} voice
     * @param pauses         the share of questions spoken with pauses (turn-taking data), or null for none
     * @param pauseMs        with {@code pauses}: the pause range {@code [min, max]} in ms, or null for the default
     * @serial exclude
     */
    public record Options(String output, int numPairs, long seed, int partitions, String language, String corpusJson,
            String corpusSource, List<String> intents, List<String> questions, String questionsSource, String llmUrl,
            String llmModel, String ttsCommand, List<String> userVoices, String assistantVoice, Double pauses,
            List<Integer> pauseMs) implements Serializable {
        private static final long serialVersionUID = 1L;

        /**
         * Checks what can be checked without building anything; the rest is checked by
         * {@link #settings} on the driver before any pair is made.
         *
         * @param output         the data set folder
         * @param numPairs       pairs in the data set
         * @param seed           decides every pair
         * @param partitions     Spark partitions, 0 for the default
         * @param language       the language
         * @param corpusJson     a corpus file's text, or null
         * @param corpusSource   its path, or null
         * @param intents        only these intents, or null
         * @param questions      bare questions, or null
         * @param questionsSource their file's path, or null
         * @param llmUrl         the answer server, or null
         * @param llmModel       its model, or null
         * @param ttsCommand     an external TTS, or null
         * @param userVoices     user-side voices, or null
         * @param assistantVoice the assistant voice, or null
         * @param pauses         the share of questions with pauses, or null
         * @param pauseMs        the pause range, or null
         * @throws IllegalArgumentException naming the bad setting
         */
        public Options {
            HadoopFiles.path(output);
            if (numPairs < 1) {
                throw new IllegalArgumentException("--num_pairs must be at least 1, got " + numPairs);
            }
            if (partitions < 0) {
                throw new IllegalArgumentException("--partitions must be at least 1 (0: Spark's default), got "
                        + partitions);
            }
            if (language == null || language.isBlank()) {
                throw new IllegalArgumentException("--language is empty");
            }
            intents = intents == null ? null : List.copyOf(intents);
            questions = questions == null ? null : List.copyOf(questions);
            userVoices = userVoices == null ? null : List.copyOf(userVoices);
            pauseMs = pauseMs == null ? null : List.copyOf(pauseMs);
        }

        /**
         * {@code generate-data}'s defaults: the built-in Telugu corpus and its answers, spoken by espeak-ng.
         *
         * @param output   the data set folder (URI or local path)
         * @param numPairs pairs in the data set
         * @param seed     decides every pair
         * @return the options
         */
        public static Options of(String output, int numPairs, long seed) {
            return new Options(output, numPairs, seed, 0, "te", null, null, null, null, null, null, null, null, null,
                    null, null, null);
        }

        /**
         * @param n Spark partitions the pairs are spread over (0: the context's default parallelism)
         * @return these options with {@code n} partitions
         */
        public Options withPartitions(int n) {
            return new Options(output, numPairs, seed, n, language, corpusJson, corpusSource, intents, questions,
                    questionsSource, llmUrl, llmModel, ttsCommand, userVoices, assistantVoice, pauses, pauseMs);
        }

        /**
         * @param lang the built-in corpus's and espeak-ng's language
         * @return these options in {@code lang}
         */
        public Options withLanguage(String lang) {
            return new Options(output, numPairs, seed, partitions, lang, corpusJson, corpusSource, intents, questions,
                    questionsSource, llmUrl, llmModel, ttsCommand, userVoices, assistantVoice, pauses, pauseMs);
        }

        /**
         * @param json   a corpus file's text (samvaad-corpus/1)
         * @param source its path, as {@code generate-data --corpus} was given it
         * @return these options with that corpus
         */
        public Options withCorpus(String json, String source) {
            return new Options(output, numPairs, seed, partitions, language, json, source, intents, questions,
                    questionsSource, llmUrl, llmModel, ttsCommand, userVoices, assistantVoice, pauses, pauseMs);
        }

        /**
         * @param ids only these intents of the corpus
         * @return these options with that subset
         */
        public Options withIntents(List<String> ids) {
            return new Options(output, numPairs, seed, partitions, language, corpusJson, corpusSource, ids, questions,
                    questionsSource, llmUrl, llmModel, ttsCommand, userVoices, assistantVoice, pauses, pauseMs);
        }

        /**
         * @param lines  a question file's lines
         * @param source its path, as {@code generate-data --questions} was given it
         * @return these options with those questions (they need {@link #withLlm})
         */
        public Options withQuestions(List<String> lines, String source) {
            return new Options(output, numPairs, seed, partitions, language, corpusJson, corpusSource, intents, lines,
                    source, llmUrl, llmModel, ttsCommand, userVoices, assistantVoice, pauses, pauseMs);
        }

        /**
         * @param url   an OpenAI-compatible server, e.g. {@code http://llm:8080/v1}
         * @param model the model name it serves
         * @return these options with answers from that server
         */
        public Options withLlm(String url, String model) {
            return new Options(output, numPairs, seed, partitions, language, corpusJson, corpusSource, intents, questions,
                    questionsSource, url, model, ttsCommand, userVoices, assistantVoice, pauses, pauseMs);
        }

        /**
         * @param command   an external TTS command line ({@code {out} {text} {text_file} {voice} {rate} {pitch}})
         * @param users     user-side voice names (at least 2)
         * @param assistant the assistant's voice name
         * @return these options with that TTS
         */
        public Options withTts(String command, List<String> users, String assistant) {
            return new Options(output, numPairs, seed, partitions, language, corpusJson, corpusSource, intents, questions,
                    questionsSource, llmUrl, llmModel, command, users, assistant, pauses, pauseMs);
        }

        /**
         * @param share the share (0..1) of questions spoken with pauses, or null for none
         * @param range the pause range {@code [min, max]} in ms, or null for the default
         * @return these options making turn-taking data
         */
        public Options withPauses(Double share, List<Integer> range) {
            return new Options(output, numPairs, seed, partitions, language, corpusJson, corpusSource, intents, questions,
                    questionsSource, llmUrl, llmModel, ttsCommand, userVoices, assistantVoice, share, range);
        }

        /**
         * The single-machine generator's settings for these options, writing into a local folder:
         * the corpus, answer source, TTS and voices built as {@code generate-data} builds them.
         *
         * @param localDir the local folder the pairs are made in
         * @return the settings (one worker: a task makes one pair at a time)
         * @throws IllegalArgumentException naming the bad or missing setting
         */
        public ConversationGenerator.Settings settings(java.nio.file.Path localDir) {
            Pauses paused = pausesSetting();
            DialogueCorpus corpus = corpus();
            return new ConversationGenerator.Settings(localDir, numPairs, seed, 1, corpus, responses(corpus), tts(),
                    voices(corpus.language()), paused);
        }

        private Pauses pausesSetting() {
            if (pauses == null) {
                if (pauseMs != null) {
                    throw new IllegalArgumentException("--pause_ms goes with --pauses");
                }
                return null;
            }
            if (!(pauses >= 0 && pauses <= 1)) {
                throw new IllegalArgumentException("--pauses must be 0..1 (the share of questions spoken with pauses), got "
                        + pauses);
            }
            Pauses p = Pauses.of(pauses);
            if (pauseMs != null) {
                if (pauseMs.size() != 2) {
                    throw new IllegalArgumentException("--pause_ms is MIN,MAX in ms (e.g. 150,700), got " + pauseMs);
                }
                if (pauseMs.get(0) < 20 || pauseMs.get(1) > 5000 || pauseMs.get(1) < pauseMs.get(0)) {
                    throw new IllegalArgumentException("--pause_ms must be MIN,MAX within 20..5000 ms, MIN first, got "
                            + pauseMs.get(0) + "," + pauseMs.get(1));
                }
                p = p.withPauseRange(pauseMs.get(0), pauseMs.get(1));
            }
            return p;
        }

        private DialogueCorpus corpus() {
            if (questions != null) {
                if (corpusJson != null || intents != null) {
                    throw new IllegalArgumentException("--questions cannot be combined with --corpus or --intents");
                }
                if (llmUrl == null) {
                    throw new IllegalArgumentException("--questions has no answers of its own: add --llm-url and --llm-model");
                }
                List<String> lines = questions.stream().filter(l -> !l.strip().startsWith("#")).toList();
                return DialogueCorpus.ofQuestions(lines, language, String.valueOf(questionsSource));
            }
            DialogueCorpus corpus = corpusJson != null
                    ? DialogueCorpus.parse(new ByteArrayInputStream(corpusJson.getBytes(StandardCharsets.UTF_8)),
                            String.valueOf(corpusSource))
                    : DialogueCorpus.builtIn(language);
            return intents == null ? corpus : corpus.onlyIntents(intents);
        }

        private ResponseSource responses(DialogueCorpus corpus) {
            if (llmUrl == null) {
                if (llmModel != null) {
                    throw new IllegalArgumentException("--llm-model needs --llm-url");
                }
                return new CorpusResponseSource(corpus);
            }
            if (llmModel == null) {
                throw new IllegalArgumentException("--llm-url needs --llm-model (the model name the server serves)");
            }
            return new ChatCompletionsResponseSource(ChatCompletionsResponseSource.Options.builder()
                    .baseUrl(URI.create(llmUrl)).model(llmModel).seed(seed).build());
        }

        private SpeechSynthesizer tts() {
            return ttsCommand != null ? new CommandSynthesizer(ttsCommand) : new EspeakSynthesizer();
        }

        private VoiceBank voices(String lang) {
            if (userVoices == null && assistantVoice == null) {
                if (ttsCommand != null) {
                    throw new IllegalArgumentException("--tts-command needs --user-voices and --assistant-voice "
                            + "(voice names your engine knows: at least 2 user voices, since some are held out for test-voice)");
                }
                return VoiceBank.espeak(lang, seed);
            }
            if (userVoices == null || assistantVoice == null) {
                throw new IllegalArgumentException("give --user-voices and --assistant-voice together");
            }
            return VoiceBank.withHoldOut(userVoices, VoiceBank.DEFAULT_RATES, VoiceBank.DEFAULT_PITCHES,
                    new Voice(assistantVoice, 160, 50), seed);
        }
    }

    /**
     * What a generation job produced.
     *
     * @param summary  the pairs per split, audio, made and kept counts and wall time, as
     *                 {@code generate-data} reports them (failed pairs are in neither count)
     * @param failed   pairs that could not be made in this run
     * @param failures the first {@value GenerateJob#MAX_LISTED_FAILURES} of them with their reasons, by index
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
            StringBuilder out = new StringBuilder(summary.describe());
            out.append(String.format("%nfailed: %d", failed));
            for (PairFailure f : failures) {
                out.append(System.lineSeparator()).append("  ").append(f);
            }
            if (failed > failures.size()) {
                out.append(String.format("%n  ... and %d more", failed - failures.size()));
            }
            if (failed > 0) {
                out.append(String.format("%nrun the same job again to make the failed pairs; the others are kept"));
            }
            return out.toString();
        }
    }

    /**
     * Makes every missing pair of the data set and returns what was made, kept and failed.
     *
     * @param sc      the Spark context
     * @param options what to generate
     * @return the result; pairs that failed are listed in it, not thrown
     * @throws IllegalArgumentException if the settings are bad, or the output folder holds a data
     *     set made with other settings or more pairs (nothing is made then)
     * @throws UncheckedIOException naming the file when dataset.json cannot be read or written
     */
    public static Result run(JavaSparkContext sc, Options options) {
        long start = System.nanoTime();
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
        List<PairFailure> failures = total.failures.stream()
                .sorted(java.util.Comparator.comparingInt(PairFailure::index)).toList();
        Result result = new Result(summary, total.failed, failures);
        LOG.info("generated {}: {} made, {} kept, {} failed", output, total.made, total.kept, total.failed);
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
                    tally.fail(new PairFailure(name, index, reason));
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
                tally.fail(new PairFailure(ConversationGenerator.folderName(index), index, reason));
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
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (java.nio.file.Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("cannot delete scratch folder {}: {}", dir, e.getMessage());
        }
    }

    /** What one task (or, added up, the job) made, kept and failed. */
    static final class Tally implements Serializable {
        private static final long serialVersionUID = 1L;
        int made;
        int kept;
        int failed;
        double audioSeconds;
        final Map<Split, Integer> perSplit = new EnumMap<>(Split.class);
        final List<PairFailure> failures = new ArrayList<>();

        void add(PairOutcome outcome) {
            if (outcome.generated()) {
                made++;
            } else {
                kept++;
            }
            audioSeconds += outcome.audioSeconds();
            perSplit.merge(outcome.split(), 1, Integer::sum);
        }

        void fail(PairFailure failure) {
            failed++;
            if (failures.size() < MAX_LISTED_FAILURES) {
                failures.add(failure);
            }
        }

        void add(Tally other) {
            made += other.made;
            kept += other.kept;
            failed += other.failed;
            audioSeconds += other.audioSeconds;
            other.perSplit.forEach((s, n) -> perSplit.merge(s, n, Integer::sum));
            for (PairFailure f : other.failures) {
                if (failures.size() < MAX_LISTED_FAILURES) {
                    failures.add(f);
                }
            }
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
