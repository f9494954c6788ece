package dev.samvaad.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.samvaad.agent.AgentOptions;
import dev.samvaad.agent.ConversationAgent;
import dev.samvaad.agent.ConversationListener;
import dev.samvaad.agent.ConversationSession;
import dev.samvaad.agent.LatencySummary;
import dev.samvaad.agent.TurnReport;
import dev.samvaad.audio.AudioFileException;
import dev.samvaad.audio.Pcm16;
import dev.samvaad.audio.WavAudio;
import dev.samvaad.audio.WavFiles;
import dev.samvaad.audio.WavReader;
import dev.samvaad.audio.WavWriter;
import dev.samvaad.dataset.ConversationCorpus;
import dev.samvaad.dataset.ConversationPair;
import dev.samvaad.dataset.Split;
import dev.samvaad.io.AtomicFiles;
import dev.samvaad.io.Words;
import dev.samvaad.metrics.Machine;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.SourceDataLine;
import javax.sound.sampled.TargetDataLine;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The realtime conversation agent as a program: a microphone and speaker, one WAV file, or a
 * folder of them, with the latency of every turn (end of the user's speech -> first reply audio).
 *
 * <p>Files are fed in chunks the size a microphone would deliver ({@code --chunk-ms}) but as fast
 * as they can be read, unless {@code --realtime}; the latencies are measured from the moment the
 * agent decides the user has finished, either way, and each turn also shows the latency the user
 * perceives: the silence the agent waited for plus that. The end of the turn is found by the
 * end-of-turn predictor when there is one ({@code train-turns}), else by a fixed hangover.
 */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = "Realtime speech-to-speech agent: listens (microphone or WAV files), answers in speech, "
                + "and reports the latency of every turn (end of speech -> first reply audio) with p50/p95.")
public final class RealtimeS2SAgent implements Callable<Integer> {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RealtimeS2SAgent.class);

    /** --s2s and --codec (shared with web). */
    @CommandLine.Mixin
    AgentModel model;

    /** Where the questions come from: exactly one of the three. */
    @CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
    Questions questions;

    /** {@code --mic | --input FILE | --input-dir DIR}, which picocli refuses together or all missing. */
    static final class Questions {
        @Option(names = "--mic", required = true, description = "Live: microphone in, speaker out (javax.sound.sampled). Ctrl-C ends.")
        boolean mic;

        @Option(names = "--input", required = true, paramLabel = "FILE", description = "A question WAV (any rate, mono or stereo).")
        Path input;

        // Kebab case first: picocli names an option in its refusals by its first name.
        @Option(names = {"--input-dir", "--input_dir"}, required = true, paramLabel = "DIR",
                description = "Every *.wav under DIR, or the user.wav of each pair of a conversation folder (see --split).")
        Path inputDir;
    }

    @Option(names = "--output", description = "With --input: the reply WAV to write (codec rate; replies of several turns one after another).")
    Path output;

    @Option(names = "--split", split = ",", description = "With --input-dir on a conversation folder: only these splits (e.g. test-voice,test-slot).")
    List<String> splits;

    @Option(names = {"--output_dir", "--output-dir"}, description = "With --input-dir: write each reply as <name>-reply.wav here.")
    Path outputDir;

    @Option(names = {"--max_files", "--max-files"}, description = "With --input-dir: at most N files (the first, sorted).")
    Integer maxFiles;

    @Option(names = "--report", description = "JSON report: every turn's timings, p50/p95, settings and machine.")
    Path report;

    @Option(names = {"--chunk_ms", "--chunk-ms"}, defaultValue = "20", description = "Audio pushed per call, ms (default: ${DEFAULT-VALUE}).")
    int chunkMs;

    @Option(names = "--realtime", description = "Feed files at the speed of real time instead of as fast as possible.")
    boolean realtime;

    @Option(names = "--warmup", defaultValue = "1",
            description = "Answer the first input this many times before measuring, so the JIT has compiled the decode path (default: ${DEFAULT-VALUE}).")
    int warmup;

    @CommandLine.Mixin
    AgentFlags agentFlags;

    @Option(names = "--seconds", defaultValue = "0", description = "With --mic: stop after this many seconds; 0 runs until Ctrl-C (default: ${DEFAULT-VALUE}).")
    double seconds;

    /** --quiet, --log-level and the version (every command has them). */
    @CommandLine.Mixin
    CommonFlags common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The end-of-turn predictor loaded, for the report; null with the fixed hangover. */
    private Path predictorUsed;

    /** Every turn measured, with the file it came from. */
    private final List<Measured> measured = new CopyOnWriteArrayList<>();

    private record Measured(String input, TurnReport report) {}

    public static void main(String[] args) {
        System.exit(Samvaad.configure(new CommandLine(new RealtimeS2SAgent())).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (output != null && questions.input == null) {
            throw new IllegalArgumentException("--output goes with --input");
        }
        Flags flags = new Flags(spec).atLeast("--chunk_ms", chunkMs, 1).atLeast("--warmup", warmup, 0)
                .atLeast("--seconds", seconds, 0);
        if (maxFiles != null) {
            flags.atLeast("--max_files", maxFiles, 1);
        }
        AgentOptions options = agentFlags.options(spec);
        Path predictor = agentFlags.predictorFile(model.codec(), model.modelDir, this::notice);
        predictorUsed = predictor;
        if (questions.mic) {
            return runMicrophone(options, predictor);
        }
        List<Path> inputs = questions.input != null ? List.of(questions.input) : selectInputs();
        try (ConversationAgent agent = model.load(options, predictor)) {
            return runFiles(agent, inputs);
        }
    }

    private void notice(String line) {
        LOG.info(line);
    }

    /** The user.wav of each pair of a conversation folder (optionally of some splits), else every WAV. */
    private List<Path> selectInputs() {
        ConversationCorpus corpus = ConversationCorpus.open(questions.inputDir);
        List<Path> files = new ArrayList<>();
        if (!corpus.pairs().isEmpty()) {
            List<Split> wanted = splits == null ? null : splits.stream().map(Split::fromId).toList();
            for (ConversationPair pair : corpus.pairs()) {
                if (wanted == null || wanted.contains(pair.split())) {
                    files.add(pair.userWav());
                }
            }
            if (files.isEmpty()) {
                throw new IllegalArgumentException(questions.inputDir + ": no conversation pairs in split(s) " + splits);
            }
        } else if (splits != null) {
            throw new IllegalArgumentException(questions.inputDir + ": --split needs a conversation folder (conv_*/user.wav + meta.json)");
        } else {
            files.addAll(WavFiles.under(questions.inputDir));
            if (files.isEmpty()) {
                throw new IllegalArgumentException(questions.inputDir + ": no .wav files to answer (and no "
                        + "conversation pairs, conv_*/user.wav + meta.json)");
            }
        }
        return maxFiles == null ? files : files.subList(0, Math.min(maxFiles, files.size()));
    }

    private int runFiles(ConversationAgent agent, List<Path> inputs) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        warmUp(agent, inputs);
        int silent = 0;
        Map<String, String> failed = new LinkedHashMap<>();
        for (Path file : inputs) {
            String name = displayName(file);
            FileAnswer answer;
            try {
                answer = answer(agent, file, name);
            } catch (AudioFileException | UncheckedIOException | IllegalArgumentException e) {
                if (questions.input != null) {
                    throw e;
                }
                // One bad file in a folder: named, and the others are still answered.
                String why = e.getMessage() != null ? e.getMessage() : e.toString();
                failed.put(name, why);
                err.printf("%s: %s: failed: %s%n", spec.name(), name, why);
                err.flush();
                continue;
            }
            if (answer.reports.isEmpty()) {
                if (questions.input != null) {
                    throw new IllegalArgumentException(questions.input + ": no speech found (threshold " + agentFlags.thresholdDb
                            + " dBFS); nothing to answer");
                }
                silent++;
                out.printf("%s: no speech found (threshold %.0f dBFS)%n", name, agentFlags.thresholdDb);
                continue;
            }
            for (TurnReport r : answer.reports) {
                out.println(turnLine(name, r));
            }
            if (output != null) {
                WavWriter.writePcm16(output, answer.audio(), agent.sampleRate());
                out.printf("reply written to %s%n", output);
            }
            if (outputDir != null) {
                WavWriter.writePcm16(outputDir.resolve(replyFileName(name)), answer.audio(), agent.sampleRate());
            }
        }
        List<TurnReport> reports = measured.stream().map(Measured::report).toList();
        LatencySummary summary = LatencySummary.of(reports);
        out.println(summaryLine(summary, inputs.size(), silent, failed.size()));
        if (report != null) {
            writeReport(summary, inputs.size(), silent, failed);
            out.printf("report %s%n", report);
        }
        out.flush();
        if (!failed.isEmpty()) {
            err.printf("%s: %d of %s failed: %s%n", spec.name(), failed.size(), Words.count(inputs.size(), "file"),
                    String.join(", ", failed.keySet()));
            err.flush();
            return 1;
        }
        return 0;
    }

    /**
     * Answers the first input that can be read {@code --warmup} times, unmeasured. In a folder a
     * file that cannot be read is skipped here and reported when its turn comes.
     */
    private void warmUp(ConversationAgent agent, List<Path> inputs) {
        if (warmup == 0) {
            return;
        }
        for (Path file : inputs) {
            try {
                for (int i = 0; i < warmup; i++) {
                    answer(agent, file, null);
                }
                return;
            } catch (AudioFileException | UncheckedIOException | IllegalArgumentException e) {
                if (questions.input != null) {
                    throw e;
                }
            }
        }
    }

    /** Turns and reply audio of one file. */
    private record FileAnswer(List<TurnReport> reports, List<float[]> chunks) {
        float[] audio() {
            int n = chunks.stream().mapToInt(c -> c.length).sum();
            float[] pcm = new float[n];
            int at = 0;
            for (float[] c : chunks) {
                System.arraycopy(c, 0, pcm, at, c.length);
                at += c.length;
            }
            return pcm;
        }
    }

    /** Feeds one file into a fresh session in chunks; {@code name} null for a warm-up run (not recorded). */
    private FileAnswer answer(ConversationAgent agent, Path file, String name) {
        WavAudio wav = WavReader.read(file);
        float[] pcm = wav.toMono();
        int rate = wav.sampleRate();
        List<TurnReport> reports = new CopyOnWriteArrayList<>();
        List<float[]> chunks = new CopyOnWriteArrayList<>();
        ConversationSession session = agent.newSession(rate, new ConversationListener() {
            @Override
            public void onAudio(int turn, float[] audio) {
                chunks.add(audio);
            }

            @Override
            public void onError(int turn, RuntimeException error) {
                spec.commandLine().getErr().printf("%s turn %d: the reply failed: %s%n", file, turn,
                        error.getMessage() != null ? error.getMessage() : error.toString());
            }

            @Override
            public void onReply(TurnReport r) {
                reports.add(r);
                if (name != null) {
                    measured.add(new Measured(name, r));
                }
            }
        });
        int chunk = Math.max(1, (int) Math.round((double) rate * chunkMs / 1000));
        long start = System.nanoTime();
        for (int at = 0; at < pcm.length; at += chunk) {
            if (realtime) {
                sleepUntil(start + (long) (at * 1e9 / rate));
            }
            session.push(Arrays.copyOfRange(pcm, at, Math.min(pcm.length, at + chunk)));
        }
        session.finish();
        session.awaitReplies();
        return new FileAnswer(reports, chunks);
    }

    private static void sleepUntil(long nanoTime) {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private String displayName(Path file) {
        if (questions.inputDir == null) {
            return file.getFileName().toString();
        }
        Path rel = questions.inputDir.relativize(file);
        // conv_000001/user.wav -> conv_000001
        return rel.getNameCount() > 1 && rel.getFileName().toString().equals(ConversationPair.USER_WAV)
                ? rel.getParent().toString() : rel.toString();
    }

    /**
     * The file {@code --output-dir} gets for the reply to the input shown as {@code name}: {@code a.wav}
     * -> {@code a-reply.wav}, {@code conv_000001} -> {@code conv_000001-reply.wav}, {@code sub/b.WAV}
     * -> {@code sub_b-reply.wav} (one folder, so a path's separators become {@code _}).
     */
    static String replyFileName(String name) {
        String stem = name.regionMatches(true, name.length() - 4, ".wav", 0, 4) ? name.substring(0, name.length() - 4) : name;
        return stem.replaceAll("[^A-Za-z0-9._-]", "_") + "-reply.wav";
    }

    static String turnLine(String name, TurnReport r) {
        return String.format(Locale.ROOT,
                "%s turn %d: question %.2f s, reply %.2f s (%d frames, %s); first audio %s ms, total %.1f ms, RTF %s;"
                        + " turn ended %s after %.0f ms of silence: %s ms perceived",
                name, r.turn(), r.questionSeconds(), r.replySeconds(), r.replyFrames(),
                r.outcome().name().toLowerCase(Locale.ROOT).replace('_', ' '), fmt(r.firstAudioMs(), "%.1f"), r.totalMs(),
                fmt(r.rtf(), "%.4f"), endOfTurn(r), r.hangoverMs(), fmt(r.perceivedLatencyMs(), "%.0f"));
    }

    /** {@code predicted (p 0.93)}, {@code by the hangover}, ... */
    static String endOfTurn(TurnReport r) {
        return switch (r.endOfTurn()) {
            case PREDICTED -> String.format(Locale.ROOT, "predicted (p %.2f)", r.endProbability());
            case HANGOVER -> "by the hangover";
            case INPUT_END -> "at the end of the input";
            case LONGEST_QUESTION -> "at the longest question";
        };
    }

    private static String summaryLine(LatencySummary s, int files, int silent, int failed) {
        List<String> notes = new ArrayList<>();
        if (silent > 0) {
            notes.add(silent + " without speech");
        }
        if (failed > 0) {
            notes.add(failed + " failed");
        }
        return String.format(Locale.ROOT, "%s from %s%s: first audio p50 %s ms, p95 %s ms; "
                        + "total p50 %s ms, p95 %s ms; RTF p50 %s, p95 %s; perceived (silence waited + first audio) "
                        + "p50 %s ms, p95 %s ms",
                Words.count(s.turns(), "turn"), Words.count(files, "file"), notes.isEmpty() ? "" : " (" + String.join(", ", notes) + ")", fmt(s.firstAudioP50Ms(), "%.1f"),
                fmt(s.firstAudioP95Ms(), "%.1f"), fmt(s.totalP50Ms(), "%.1f"), fmt(s.totalP95Ms(), "%.1f"),
                fmt(s.rtfP50(), "%.4f"), fmt(s.rtfP95(), "%.4f"), fmt(s.perceivedP50Ms(), "%.0f"),
                fmt(s.perceivedP95Ms(), "%.0f"));
    }

    private static String fmt(double v, String pattern) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, pattern, v);
    }

    private void writeReport(LatencySummary summary, int files, int silent, Map<String, String> failed) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("codec", model.codec().toString());
        settings.put("s2s", model.modelDir.toString());
        settings.put("input", questions.input != null ? questions.input.toString() : questions.inputDir.toString());
        settings.put("split", splits);
        settings.put("files", files);
        settings.put("filesWithoutSpeech", silent);
        settings.put("filesFailed", failed.size());
        settings.put("chunkMs", chunkMs);
        settings.put("realtime", realtime);
        settings.put("warmup", warmup);
        agentFlags.record(settings);
        settings.put("endOfTurnModel", predictorUsed == null ? null : predictorUsed.toString());
        settings.put("latencyFrom", "end of speech: the moment the agent decided the turn was over (after the silence"
                + " it waited for, hangoverMs); perceivedLatencyMs adds that silence");
        Map<String, Object> sum = new LinkedHashMap<>();
        sum.put("turns", summary.turns());
        sum.put("turnsWithAudio", summary.withAudio());
        sum.put("firstAudioP50Ms", number(summary.firstAudioP50Ms()));
        sum.put("firstAudioP95Ms", number(summary.firstAudioP95Ms()));
        sum.put("totalP50Ms", number(summary.totalP50Ms()));
        sum.put("totalP95Ms", number(summary.totalP95Ms()));
        sum.put("rtfP50", number(summary.rtfP50()));
        sum.put("rtfP95", number(summary.rtfP95()));
        sum.put("perceivedP50Ms", number(summary.perceivedP50Ms()));
        sum.put("perceivedP95Ms", number(summary.perceivedP95Ms()));
        List<Map<String, Object>> turns = new ArrayList<>();
        for (Measured m : measured) {
            TurnReport r = m.report();
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("input", m.input());
            t.put("turn", r.turn());
            t.put("outcome", r.outcome().name().toLowerCase(Locale.ROOT));
            t.put("questionSeconds", r.questionSeconds());
            t.put("questionFrames", r.questionFrames());
            t.put("hangoverMs", r.hangoverMs());
            t.put("endOfTurn", r.endOfTurn().name().toLowerCase(Locale.ROOT));
            t.put("endProbability", number(r.endProbability()));
            t.put("perceivedLatencyMs", number(r.perceivedLatencyMs()));
            t.put("replyFrames", r.replyFrames());
            t.put("replySeconds", r.replySeconds());
            t.put("queueMs", r.queueMs());
            t.put("encodeMs", r.encodeMs());
            t.put("firstAudioMs", number(r.firstAudioMs()));
            t.put("totalMs", r.totalMs());
            t.put("computeMs", r.computeMs());
            t.put("rtf", number(r.rtf()));
            turns.add(t);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("settings", settings);
        json.put("machine", Machine.describe());
        json.put("summary", sum);
        json.put("turns", turns);
        List<Map<String, Object>> failures = new ArrayList<>();
        failed.forEach((name, error) -> failures.add(Map.of("input", name, "error", error)));
        json.put("failed", failures);
        try {
            AtomicFiles.write(report, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(json));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write the report: " + e.getMessage(), e);
        }
    }

    private static Double number(double v) {
        return Double.isNaN(v) ? null : v;
    }

    // ---------------------------------------------------------------- microphone

    private int runMicrophone(AgentOptions options, Path predictor) throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        // Check the devices before the (slower) model load, so a server without audio fails at once.
        TargetDataLine micLine;
        SourceDataLine speaker;
        try {
            micLine = openLine(TargetDataLine.class);
        } catch (IllegalArgumentException | LineUnavailableException | SecurityException e) {
            return noDevice(err, "microphone", e);
        }
        try {
            speaker = openLine(SourceDataLine.class);
        } catch (IllegalArgumentException | LineUnavailableException | SecurityException e) {
            micLine.close();
            return noDevice(err, "speaker", e);
        }
        int inRate = (int) micLine.getFormat().getSampleRate();
        int outRate = (int) speaker.getFormat().getSampleRate();
        try (ConversationAgent agent = model.load(options, predictor)) {
            ConversationSession session = agent.newSession(inRate, outRate, new ConversationListener() {
                @Override
                public void onAudio(int turn, float[] pcm) {
                    // A blocking write: the speaker's buffer paces the reply to real time.
                    byte[] bytes = Pcm16.toBytes(pcm);
                    speaker.write(bytes, 0, bytes.length);
                }

                @Override
                public void onSpeechStart(int turn) {
                    // Whatever is still queued for the speaker belongs to an old reply.
                    speaker.flush();
                    out.printf("[listening: turn %d]%n", turn);
                    out.flush();
                }

                @Override
                public void onBargeIn(int turn) {
                    speaker.flush();
                    out.printf("[barge-in: reply %d stopped]%n", turn);
                }

                @Override
                public void onReply(TurnReport r) {
                    measured.add(new Measured("mic", r));
                    out.println(turnLine("mic", r));
                    out.flush();
                }
            });
            micLine.start();
            speaker.start();
            out.printf("listening at %d Hz, speaking at %d Hz; Ctrl-C ends%n", inRate, outRate);
            out.flush();
            Thread main = Thread.currentThread();
            Thread hook = new Thread(main::interrupt);
            Runtime.getRuntime().addShutdownHook(hook);
            byte[] buffer = new byte[2 * Math.max(1, inRate * chunkMs / 1000)];
            long end = seconds > 0 ? System.nanoTime() + (long) (seconds * 1e9) : Long.MAX_VALUE;
            try {
                while (!Thread.currentThread().isInterrupted() && System.nanoTime() < end) {
                    int n = micLine.read(buffer, 0, buffer.length);
                    session.push(Pcm16.fromBytes(buffer, n));
                }
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // Ctrl-C: the JVM is already on its way out.
                }
                session.close();
                micLine.close();
                speaker.drain();
                speaker.close();
            }
            if (report != null && !measured.isEmpty()) {
                LatencySummary summary = LatencySummary.of(measured.stream().map(Measured::report).toList());
                out.println(summaryLine(summary, 0, 0, 0));
                writeReport(summary, 0, 0, Map.of());
            }
        }
        return 0;
    }

    private int noDevice(PrintWriter err, String what, Exception e) {
        String why = e instanceof IllegalArgumentException
                ? "javax.sound.sampled offers no 16-bit mono line at 16, 48 or 44.1 kHz"
                : "javax.sound.sampled: " + e.getMessage();
        err.println(spec.name() + ": no " + what + " found (" + why + "); on a machine without audio devices use"
                + " --input q.wav --output a.wav or --input-dir DIR");
        return 1;
    }

    /** A line of the given kind at the first rate the device takes: 16, 48, 44.1 kHz mono 16-bit. */
    private static <L extends javax.sound.sampled.DataLine> L openLine(Class<L> kind) throws LineUnavailableException {
        IllegalArgumentException last = null;
        for (int rate : new int[] {16_000, 48_000, 44_100}) {
            AudioFormat format = new AudioFormat(rate, 16, 1, true, false);
            try {
                javax.sound.sampled.Line line = AudioSystem.getLine(new javax.sound.sampled.DataLine.Info(kind, format));
                L data = kind.cast(line);
                if (data instanceof TargetDataLine t) {
                    t.open(format, rate / 5 * 2);
                } else if (data instanceof SourceDataLine s) {
                    s.open(format, rate / 5 * 2);
                }
                return data;
            } catch (IllegalArgumentException e) {
                last = e;
            }
        }
        throw last;
    }
}
