package dev.samvaad.dataset.synth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.samvaad.audio.WavReader;
import dev.samvaad.dataset.ConversationPair;
import dev.samvaad.dataset.PairMeta;
import dev.samvaad.dataset.ProgressBar;
import dev.samvaad.dataset.Split;
import dev.samvaad.dataset.TurnMarks;
import dev.samvaad.io.AtomicFiles;
import dev.samvaad.io.JsonKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generates a conversation data set: for each planned pair, the question spoken by a user-side
 * voice ({@code user.wav}), the answer from the {@link ResponseSource} spoken by the assistant
 * voice ({@code assistant.wav}) and {@code meta.json}, in {@code conv_000001/...} folders.
 *
 * <p>Resumable: meta.json is written last, atomically, so a pair folder with a meta.json that
 * matches the plan is complete and a rerun keeps it; any other pair folder is cleared and redone.
 * Killing the process at any point therefore loses at most the pairs in flight. {@code dataset.json}
 * at the top records the settings; a rerun with other settings, or with fewer pairs (the others
 * would stay), is refused rather than mixed in; a rerun with more pairs extends the data set.
 */
public final class ConversationGenerator {
    /** The file at the top of a data set that records its settings. */
    public static final String DATASET_JSON = "dataset.json";
    /** The {@code format} value of {@value #DATASET_JSON}. */
    public static final String FORMAT = "samvaad-conversations/1";
    private static final Logger LOG = LoggerFactory.getLogger(ConversationGenerator.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Salts the seed of the pause plans, so they are independent of the pair plans. */
    private static final long PAUSE_SALT = 0x7A05E5L;

    /**
     * What to generate and with what.
     *
     * @param outputDir where the pair folders go
     * @param numPairs  how many pairs the data set has
     * @param seed      decides every pair: its split, intent, wording, slot values and voice
     * @param workers   pairs made at once
     * @param corpus    the questions
     * @param responses the answers
     * @param tts       the speech engine
     * @param voices    user-side speakers and the assistant voice
     * @param pauses    how questions are spoken with pauses inside and turn-taking marks, or
     *                  {@code null} to speak each question as the TTS does (the default)
     */
    public record Settings(Path outputDir, int numPairs, long seed, int workers, DialogueCorpus corpus,
            ResponseSource responses, SpeechSynthesizer tts, VoiceBank voices, Pauses pauses) {
        /**
         * Checks the settings.
         *
         * @param outputDir where the pair folders go
         * @param numPairs  how many pairs the data set has, at least 1
         * @param seed      decides every pair
         * @param workers   pairs made at once, at least 1
         * @param corpus    the questions
         * @param responses the answers
         * @param tts       the speech engine
         * @param voices    user-side speakers and the assistant voice
         * @param pauses    how questions are spoken with pauses, or {@code null}
         * @throws IllegalArgumentException naming the bad setting
         */
        public Settings {
            Objects.requireNonNull(outputDir, "outputDir");
            Objects.requireNonNull(corpus, "corpus");
            Objects.requireNonNull(responses, "responses");
            Objects.requireNonNull(tts, "tts");
            Objects.requireNonNull(voices, "voices");
            if (numPairs < 1) {
                throw new IllegalArgumentException("--num_pairs must be at least 1, got " + numPairs);
            }
            if (workers < 1) {
                throw new IllegalArgumentException("--workers must be at least 1, got " + workers);
            }
        }

        /**
         * Settings whose questions are spoken as the TTS does, without pauses or marks.
         *
         * @param outputDir where the pair folders go
         * @param numPairs  how many pairs the data set has, at least 1
         * @param seed      decides every pair
         * @param workers   pairs made at once, at least 1
         * @param corpus    the questions
         * @param responses the answers
         * @param tts       the speech engine
         * @param voices    user-side speakers and the assistant voice
         */
        public Settings(Path outputDir, int numPairs, long seed, int workers, DialogueCorpus corpus,
                ResponseSource responses, SpeechSynthesizer tts, VoiceBank voices) {
            this(outputDir, numPairs, seed, workers, corpus, responses, tts, voices, null);
        }
    }

    private final Settings settings;
    private final PairPlanner planner;
    /** Answers spoken in this run, by text, when the engine is deterministic. */
    private final Map<String, byte[]> answers = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_CACHED_ANSWERS = 256;

    /**
     * A generator for one data set; nothing is written until {@link #run}.
     *
     * @param settings what to generate and with what
     */
    public ConversationGenerator(Settings settings) {
        this.settings = settings;
        this.planner = new PairPlanner(settings.corpus(), settings.voices(), settings.seed());
    }

    PairPlanner planner() {
        return planner;
    }

    /**
     * What became of one pair.
     *
     * @param index        the pair's 0-based number
     * @param folderName   its folder under the output folder, e.g. {@code conv_000001}
     * @param split        its evaluation split
     * @param audioSeconds seconds of audio in it, user and assistant sides together
     * @param generated    whether it was synthesised now ({@code false}: found complete and kept)
     */
    public record PairOutcome(int index, String folderName, Split split, double audioSeconds, boolean generated) {}

    /**
     * The folder name of pair {@code index} in every generated data set.
     *
     * @param index the pair's 0-based number
     * @return e.g. {@code conv_000001} for index 0
     */
    public static String folderName(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("pair index must be >= 0, got " + index);
        }
        return PlannedPair.folderName(index);
    }

    /**
     * Checks the output folder's {@value #DATASET_JSON} against these settings, or writes it: what
     * {@link #run} does first. A job that makes the pairs one at a time ({@link #makePair}) calls it
     * once before them.
     *
     * @throws IllegalArgumentException if the folder holds a data set made with other settings, or
     *     with more pairs
     * @throws UncheckedIOException naming the file when it cannot be read or written
     */
    public void prepareOutput() {
        checkOrWriteDatasetJson();
    }

    /**
     * Makes pair {@code index} in the output folder exactly as {@link #run} does (the same bytes), or
     * keeps it when the folder already holds it complete and made to this plan. The pair's
     * {@value ConversationPair#META_JSON} is written last, atomically.
     *
     * @param index the pair's 0-based number, below the settings' {@code numPairs}
     * @return what became of it
     * @throws IllegalArgumentException if {@code index} is outside the data set
     * @throws TtsException if the speech engine fails on it
     * @throws ResponseSourceException if the answer cannot be had
     * @throws UncheckedIOException naming the pair folder when it cannot be written
     */
    public PairOutcome makePair(int index) {
        if (index < 0 || index >= settings.numPairs()) {
            throw new IllegalArgumentException("pair index " + index + " is outside the data set of "
                    + settings.numPairs() + " pairs");
        }
        PlannedPair plan = planner.plan(index);
        try {
            PairResult r = makeOrKeep(plan);
            return new PairOutcome(index, plan.folderName(), r.split(), r.audioSeconds(), r.generated());
        } catch (IOException e) {
            throw new UncheckedIOException(settings.outputDir().resolve(plan.folderName()) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether a pair folder that holds {@code user.wav}, {@code assistant.wav} and this
     * {@value ConversationPair#META_JSON} would be kept by {@link #makePair} (made to this plan), for
     * a job that keeps the pairs somewhere else than a local folder.
     *
     * @param index the pair's 0-based number
     * @param meta  the folder's meta.json
     * @return the pair, as kept, or empty when it must be made again
     */
    public Optional<PairOutcome> keptPair(int index, PairMeta meta) {
        PlannedPair plan = planner.plan(index);
        return matchesPlan(meta, plan)
                ? Optional.of(new PairOutcome(index, plan.folderName(), plan.split(), seconds(meta), false))
                : Optional.empty();
    }

    /**
     * Makes every missing pair and returns the summary.
     *
     * Failures are not caught: the first pair that fails ends the run with its
     * {@link TtsException}, {@link ResponseSourceException} or {@link java.io.UncheckedIOException};
     * the pairs finished before it stay on disk for the next run.
     *
     * @param progress counts pairs as they finish (made or kept); may be null
     * @return what the run made and found
     */
    public GenerationSummary run(ProgressBar progress) {
        long start = System.nanoTime();
        checkOrWriteDatasetJson();
        ExecutorService pool = Executors.newFixedThreadPool(settings.workers(), r -> {
            Thread t = new Thread(r, "generate-pairs");
            t.setDaemon(true);
            return t;
        });
        List<Future<PairResult>> results = new ArrayList<>();
        try {
            for (int i = 0; i < settings.numPairs(); i++) {
                PlannedPair plan = planner.plan(i);
                results.add(pool.submit(() -> {
                    PairResult r = makeOrKeep(plan);
                    if (progress != null) {
                        progress.advance();
                    }
                    return r;
                }));
            }
            Map<Split, Integer> perSplit = new EnumMap<>(Split.class);
            for (Split s : Split.values()) {
                perSplit.put(s, 0);
            }
            double seconds = 0;
            int generated = 0, reused = 0;
            for (Future<PairResult> f : results) {
                PairResult r = await(f);
                perSplit.merge(r.split(), 1, Integer::sum);
                seconds += r.audioSeconds();
                if (r.generated()) {
                    generated++;
                } else {
                    reused++;
                }
            }
            if (progress != null) {
                progress.finish();
            }
            return new GenerationSummary(perSplit, seconds, generated, reused,
                    Duration.ofNanos(System.nanoTime() - start));
        } finally {
            pool.shutdownNow();
        }
    }

    private record PairResult(Split split, double audioSeconds, boolean generated) {}

    private static PairResult await(Future<PairResult> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while generating pairs", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private PairResult makeOrKeep(PlannedPair plan) throws IOException {
        Path folder = settings.outputDir().resolve(plan.folderName());
        PairMeta existing = completeMeta(folder, plan);
        if (existing != null) {
            return new PairResult(plan.split(), seconds(existing), false);
        }
        clear(folder);
        Files.createDirectories(folder);
        String question = plan.text().question();
        String answer = settings.responses().answer(question);
        PausedQuestion.Spoken paused = null;
        double userSeconds;
        if (settings.pauses() == null) {
            userSeconds = speak(question, plan.userVoice(), folder.resolve(ConversationPair.USER_WAV));
        } else {
            // Its own random stream: the pair's plan (split, intent, voice) is the same with or without pauses.
            SplittableRandom rng = new SplittableRandom(PairPlanner.mix(settings.seed() ^ PAUSE_SALT, plan.index()));
            paused = PausedQuestion.speak(settings.tts(), plan.userVoice(),
                    PausedQuestion.plan(question, settings.pauses(), rng), settings.pauses(),
                    folder.resolve(ConversationPair.USER_WAV));
            userSeconds = paused.seconds();
        }
        double assistantSeconds = speakAnswer(answer, folder.resolve(ConversationPair.ASSISTANT_WAV));
        Map<String, Object> generator = new LinkedHashMap<>();
        generator.put("seed", settings.seed());
        generator.put("index", plan.index());
        generator.put("wording", plan.text().wording());
        generator.put("tts", settings.tts().describe());
        generator.put("responses", settings.responses().describe());
        if (!plan.text().answer().isEmpty()) {
            generator.put("corpusAnswer", plan.text().answer());
        }
        generator.put("assistantVoice", settings.voices().assistant().describe());
        generator.put("userSeconds", round(userSeconds));
        generator.put("assistantSeconds", round(assistantSeconds));
        if (paused != null) {
            Map<String, Object> turn = new LinkedHashMap<>(paused.marks().toJson());
            turn.putAll(paused.details());
            generator.put(TurnMarks.KEY, turn);
        }
        PairMeta meta = new PairMeta(question, answer, plan.text().intent(), plan.userVoice().describe(),
                plan.split(), plan.text().slots(), generator);
        // Written last: its presence marks the pair complete.
        AtomicFiles.write(folder.resolve(ConversationPair.META_JSON), JSON.writeValueAsBytes(meta));
        return new PairResult(plan.split(), userSeconds + assistantSeconds, true);
    }

    /** The pair's meta.json when the folder holds a complete pair made to this plan, else null. */
    private PairMeta completeMeta(Path folder, PlannedPair plan) {
        Path metaFile = folder.resolve(ConversationPair.META_JSON);
        if (!Files.isRegularFile(metaFile) || !Files.isRegularFile(folder.resolve(ConversationPair.USER_WAV))
                || !Files.isRegularFile(folder.resolve(ConversationPair.ASSISTANT_WAV))) {
            return null;
        }
        try {
            PairMeta meta = JSON.readValue(metaFile.toFile(), PairMeta.class);
            boolean same = matchesPlan(meta, plan);
            if (!same) {
                LOG.info("{}: made to another plan; regenerating", folder);
            }
            return same ? meta : null;
        } catch (IOException e) {
            LOG.warn("{}: unreadable meta.json ({}); regenerating", folder, e.getMessage());
            return null;
        }
    }

    /** Whether a complete pair's meta.json was made to this plan with these settings. */
    private boolean matchesPlan(PairMeta meta, PlannedPair plan) {
        return meta != null && plan.text().question().equals(meta.question()) && plan.split() == meta.split()
                && plan.userVoice().describe().equals(meta.voice())
                && meta.generator().containsKey(TurnMarks.KEY) == (settings.pauses() != null);
    }

    /**
     * The answer in the assistant's one voice: with a deterministic engine a text already spoken
     * in this run is copied (the same bytes the engine would write again), not spoken again.
     */
    private double speakAnswer(String text, Path wav) throws IOException {
        byte[] known = settings.tts().deterministic() ? answers.get(text) : null;
        if (known != null) {
            AtomicFiles.write(wav, known);
            return WavReader.read(known, wav.toString()).durationSeconds();
        }
        double seconds = speak(text, settings.voices().assistant(), wav);
        if (settings.tts().deterministic() && answers.size() < MAX_CACHED_ANSWERS) {
            answers.putIfAbsent(text, Files.readAllBytes(wav));
        }
        return seconds;
    }

    private double speak(String text, Voice voice, Path wav) throws IOException {
        Path partial = wav.resolveSibling("." + wav.getFileName() + ".partial");
        settings.tts().synthesize(text, voice, partial);
        double seconds = WavReader.read(partial).durationSeconds();
        AtomicFiles.moveIntoPlace(partial, wav);
        return seconds;
    }

    private static void clear(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.toList()) {
                if (Files.isRegularFile(f)) {
                    Files.delete(f);
                }
            }
        }
    }

    private static double seconds(PairMeta meta) {
        Object u = meta.generator().get("userSeconds"), a = meta.generator().get("assistantSeconds");
        return (u instanceof Number n ? n.doubleValue() : 0) + (a instanceof Number n ? n.doubleValue() : 0);
    }

    private static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }

    /** Records the settings, or checks a rerun uses the same ones (other settings = another data set). */
    private void checkOrWriteDatasetJson() {
        Map<String, Object> identity = new LinkedHashMap<>();
        identity.put("format", FORMAT);
        identity.put("seed", settings.seed());
        identity.put("language", settings.corpus().language());
        identity.put("corpus", settings.corpus().source());
        identity.put("tts", settings.tts().describe());
        identity.put("responses", settings.responses().describe());
        identity.put("assistantVoice", settings.voices().assistant().describe());
        identity.put("userVoices", settings.voices().userVoices());
        // null (a data set without pauses) is compared too, and left out of the file.
        identity.put("pauses", settings.pauses() == null ? null : settings.pauses().describe());
        Path file = settings.outputDir().resolve(DATASET_JSON);
        // A run killed while writing dataset.json leaves its temporary file; nothing else writes it.
        AtomicFiles.deleteLeftoverTemporaries(file);
        try {
            if (Files.exists(file)) {
                @SuppressWarnings("unchecked")
                Map<String, Object> read = JSON.readValue(file.toFile(), Map.class);
                // Earlier builds wrote snake_case keys ("num_pairs"): the same data set.
                Map<String, Object> previous = JsonKeys.camelCaseKeys(read);
                for (Map.Entry<String, Object> e : identity.entrySet()) {
                    Object before = previous.get(e.getKey());
                    if (!String.valueOf(JSON.valueToTree(e.getValue())).equals(String.valueOf(JSON.valueToTree(before)))) {
                        throw new IllegalArgumentException(settings.outputDir() + " holds a data set made with "
                                + e.getKey() + " = " + (before == null ? "none" : before) + ", not "
                                + (e.getValue() == null ? "none" : e.getValue())
                                + "; use another --output_dir or the same settings");
                    }
                }
                if (previous.get("numPairs") instanceof Number n && n.intValue() > settings.numPairs()) {
                    // Pairs past the new count would stay in the folder and be read as part of it.
                    throw new IllegalArgumentException(settings.outputDir() + " holds a data set of " + n.intValue()
                            + " pairs; a smaller --num_pairs (" + settings.numPairs() + ") would leave pairs "
                            + (settings.numPairs() + 1) + "-" + n.intValue() + " in it: use another --output_dir "
                            + "(a larger --num_pairs extends the data set)");
                }
            }
            Map<String, Object> record = new LinkedHashMap<>(identity);
            record.values().removeIf(java.util.Objects::isNull);
            record.put("numPairs", settings.numPairs());
            record.put("heldOutVoices", settings.voices().heldOutVoices());
            record.put("heldOutRates", settings.voices().heldOutRates());
            record.put("heldOutWordings", planner.heldOutWordings());
            record.put("heldOutSlotValues", planner.heldOutSlotValues());
            AtomicFiles.write(file, JSON.writeValueAsBytes(record));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(file + ": unreadable (" + e.getOriginalMessage().replace('\n', ' ')
                    + "); delete it only if the folder holds no data set you want to keep", e);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }
}
