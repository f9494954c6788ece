package dev.samvaad.examples;

import dev.samvaad.agent.AgentOptions;
import dev.samvaad.agent.EndOfTurnOptions;
import dev.samvaad.agent.EndOfTurnPredictor;
import dev.samvaad.agent.VadOptions;
import dev.samvaad.infer.GenerationOptions;
import dev.samvaad.infer.ModelFolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** How the agent listens and answers: the flags {@code agent} and {@code web} share (a picocli mixin). */
final class AgentFlags {

    @Option(names = {"--max_reply_seconds", "--max-reply-seconds"}, defaultValue = "20", description = "Reply length cap, s (default: ${DEFAULT-VALUE}).")
    double maxReplySeconds;

    /** How the end of the user's turn is found. */
    enum EndOfTurn {
        /** The predictor when one is found, else the fixed hangover. */
        AUTO,
        /** The end-of-turn predictor; an error when there is none. */
        PREDICTOR,
        /** The energy detector's fixed hangover. */
        HANGOVER
    }

    @Option(names = {"--end_of_turn", "--end-of-turn"}, defaultValue = "auto",
            description = "How the user's turn ends: predictor (an end-of-turn predictor, see train-turns), hangover "
                    + "(a fixed silence, --hangover_ms) or auto: the predictor when one is found (default: ${DEFAULT-VALUE}).")
    EndOfTurn endOfTurn;

    @Option(names = {"--end_of_turn_model", "--end-of-turn-model"},
            description = "The end-of-turn predictor (default: " + EndOfTurnPredictor.FILE_NAME + " beside the codec, "
                    + "else in the model folder or its run folder).")
    Path endOfTurnModel;

    @Option(names = {"--hangover_ms", "--hangover-ms"}, defaultValue = "300",
            description = "Without a predictor: the silence that ends the user's turn, ms (default: ${DEFAULT-VALUE}).")
    int hangoverMs;

    @Option(names = {"--min_silence_ms", "--min-silence-ms"}, defaultValue = "0",
            description = "With a predictor: the silence before it is asked, ms; 0 for the predictor's own (default: ${DEFAULT-VALUE}).")
    int minSilenceMs;

    @Option(names = {"--max_silence_ms", "--max-silence-ms"}, defaultValue = "1000",
            description = "With a predictor: the silence that ends the turn whatever it says, ms (default: ${DEFAULT-VALUE}).")
    int maxSilenceMs;

    @Option(names = {"--turn_threshold", "--turn-threshold"},
            description = "With a predictor: the probability that ends the turn (default: the predictor's calibrated one).")
    Double turnThreshold;

    @Option(names = {"--min_speech_ms", "--min-speech-ms"}, defaultValue = "120", description = "Voiced audio that starts a turn, ms (default: ${DEFAULT-VALUE}).")
    int minSpeechMs;

    @Option(names = {"--threshold_db", "--threshold-db"}, defaultValue = "-45", description = "Quietest speech, dBFS (default: ${DEFAULT-VALUE}).")
    double thresholdDb;

    @Option(names = {"--no_barge_in", "--no-barge-in"},
            description = "Do not stop a reply when the user speaks (for a speaker the microphone hears without echo cancellation).")
    boolean noBargeIn;

    @Option(names = "--temperature", defaultValue = "0", description = "0 for greedy decoding (default: ${DEFAULT-VALUE}).")
    float temperature;

    @Option(names = {"--top_k", "--top-k"}, defaultValue = "0", description = "Sample among the k likeliest codes; 0 for all (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--seed", defaultValue = "1", description = "Sampling seed (default: ${DEFAULT-VALUE}, as for every command).")
    long seed;

    /**
     * The agent's options, every flag checked first and refused by the name the user typed
     * ({@code --max-reply-seconds must be > 0, got 0}), before anything is loaded.
     */
    AgentOptions options(CommandSpec spec) {
        int frameMs = VadOptions.defaults().frameMs();
        Flags flags = new Flags(spec).positive("--max_reply_seconds", maxReplySeconds).finite("--max_reply_seconds", maxReplySeconds)
                .atLeast("--hangover_ms", hangoverMs, frameMs).atLeast("--min_speech_ms", minSpeechMs, frameMs)
                .finite("--threshold_db", thresholdDb).atLeast("--temperature", temperature, 0)
                .atLeast("--top_k", topK, 0).atLeast("--min_silence_ms", minSilenceMs, 0)
                .atLeast("--max_silence_ms", maxSilenceMs, Math.max(frameMs, minSilenceMs + 1));
        if (turnThreshold != null && !(turnThreshold > 0 && turnThreshold < 1)) {
            throw new IllegalArgumentException(flags.typed("--turn_threshold") + " must be in (0, 1), got " + turnThreshold);
        }
        VadOptions vad = VadOptions.builder().hangoverMs(hangoverMs).minSpeechMs(minSpeechMs).thresholdDb(thresholdDb).build();
        EndOfTurnOptions eot = new EndOfTurnOptions(minSilenceMs, maxSilenceMs,
                turnThreshold == null ? Double.NaN : turnThreshold);
        return AgentOptions.builder().vad(vad).maxReplySeconds(maxReplySeconds).bargeIn(!noBargeIn).endOfTurn(eot)
                .generation(GenerationOptions.builder().temperature(temperature).topK(topK).seed(seed).build()).build();
    }

    /**
     * The end-of-turn predictor the flags ask for: {@code --end_of_turn_model}, else
     * {@value EndOfTurnPredictor#FILE_NAME} beside the codec, in the model folder or in its run
     * folder; {@code null} for the fixed hangover ({@code --end_of_turn hangover}, or {@code auto}
     * with none found, which {@code notice} hears about).
     *
     * @param codecFile the codec
     * @param modelDir  the model folder (or run folder) given
     * @param notice    told, in one line, when {@code auto} falls back to the fixed hangover
     * @return the predictor file, or {@code null}
     * @throws IllegalArgumentException when {@code --end_of_turn predictor} finds none, or the file given is missing
     */
    Path predictorFile(Path codecFile, Path modelDir, java.util.function.Consumer<String> notice) {
        if (endOfTurn == EndOfTurn.HANGOVER) {
            return null;
        }
        if (endOfTurnModel != null) {
            if (!Files.isRegularFile(endOfTurnModel)) {
                throw new IllegalArgumentException("--end_of_turn_model " + endOfTurnModel + ": no such file");
            }
            return endOfTurnModel;
        }
        List<Path> candidates = candidates(codecFile, modelDir);
        for (Path p : candidates) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        String looked = String.join(", ", candidates.stream().map(Path::toString).toList());
        if (endOfTurn == EndOfTurn.PREDICTOR) {
            throw new IllegalArgumentException("--end_of_turn predictor: no end-of-turn predictor at " + looked
                    + "; train one with bin/samvaad train-turns, or give --end_of_turn_model");
        }
        notice.accept("no end-of-turn predictor (looked at " + looked + "): the turn ends after a fixed " + hangoverMs
                + " ms of silence; bin/samvaad train-turns makes one");
        return null;
    }

    /**
     * Where a predictor is looked for: beside the codec, in the model folder, in its run folder
     * (the parent of a checkpoint folder such as {@code RUN/best}), and in the folder that holds
     * the run (where {@code quickstart} writes it, beside the codec it trained).
     */
    static List<Path> candidates(Path codecFile, Path modelDir) {
        List<Path> out = new ArrayList<>();
        Path codecDir = codecFile.toAbsolutePath().normalize().getParent();
        if (codecDir != null) {
            out.add(codecDir.resolve(EndOfTurnPredictor.FILE_NAME));
        }
        Path model = modelDir.toAbsolutePath().normalize();
        out.add(model.resolve(EndOfTurnPredictor.FILE_NAME));
        // A checkpoint folder (it holds model.json) lies in its run folder; a run folder is its own.
        Path run = ModelFolder.isCheckpointFolder(model) && model.getParent() != null ? model.getParent() : model;
        out.add(run.resolve(EndOfTurnPredictor.FILE_NAME));
        if (run.getParent() != null) {
            out.add(run.getParent().resolve(EndOfTurnPredictor.FILE_NAME));
        }
        return out.stream().distinct().toList();
    }

    /** The settings as a report records them. */
    void record(Map<String, Object> settings) {
        settings.put("maxReplySeconds", maxReplySeconds);
        settings.put("endOfTurn", endOfTurn.name().toLowerCase(java.util.Locale.ROOT));
        settings.put("hangoverMs", hangoverMs);
        settings.put("minSilenceMs", minSilenceMs);
        settings.put("maxSilenceMs", maxSilenceMs);
        settings.put("turnThreshold", turnThreshold);
        settings.put("minSpeechMs", minSpeechMs);
        settings.put("thresholdDb", thresholdDb);
        settings.put("bargeIn", !noBargeIn);
        settings.put("temperature", temperature);
        settings.put("topK", topK);
        settings.put("seed", seed);
    }
}
