package dev.samvaad.examples;

import dev.samvaad.agent.EndOfTurnPredictor;
import dev.samvaad.codec.RvqCodec;
import dev.samvaad.dataset.ConversationCorpus;
import dev.samvaad.training.EndOfTurnTrainer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Trains the agent's end-of-turn predictor on questions spoken with pauses ({@code generate-data
 * --pauses}) and saves it beside the codec, where {@code agent} and {@code web} find it.
 */
@Command(name = "train-turns", mixinStandardHelpOptions = true,
        description = "Train the end-of-turn predictor (is the user done at this silence?) on a data set made with "
                + "generate-data --pauses, and calibrate its threshold on questions it did not learn from.")
public final class TrainTurns implements Callable<Integer> {

    @Option(names = {"--data_dir", "--data-dir"}, required = true,
            description = "A conversation folder made with generate-data --pauses (its train and val splits are used).")
    Path dataDir;

    @Option(names = "--codec", required = true, description = "The codec the agent uses.")
    Path codecFile;

    @Option(names = {"--output", "-o"},
            description = "Predictor checkpoint to write (default: " + EndOfTurnPredictor.FILE_NAME
                    + " beside the codec, where agent and web look for it).")
    Path output;

    @Option(names = "--overwrite", description = "Replace an existing --output.")
    boolean overwrite;

    @Option(names = {"--min_silence_ms", "--min-silence-ms"}, defaultValue = "100",
            description = "Silence before the predictor is first asked, ms (default: ${DEFAULT-VALUE}).")
    int minSilenceMs;

    @Option(names = {"--max_silence_ms", "--max-silence-ms"}, defaultValue = "1000",
            description = "Silence that ends a turn whatever the predictor says, ms (default: ${DEFAULT-VALUE}).")
    int maxSilenceMs;

    @Option(names = "--hidden", defaultValue = "32", description = "Hidden units; 0 for a logistic regression (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--epochs", defaultValue = "40", description = "Passes over the examples (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = {"--learning_rate", "--learning-rate"}, defaultValue = "0.003", description = "Adam's step size (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = {"--target_cut_ins", "--target-cut-ins"}, defaultValue = "0.03",
            description = "Calibrate the threshold so that at most this share of the turns whose pauses are all at "
                    + "most 500 ms is cut into, replayed by folds (default: ${DEFAULT-VALUE}).")
    double targetCutIns;

    @Option(names = {"--tempo_copies", "--tempo-copies"}, defaultValue = "3",
            description = "Copies of each silence's speech at other tempos (0.67-1.49x) learned beside it, so "
                    + "slower and faster speakers are recognised (default: ${DEFAULT-VALUE}).")
    int tempoCopies;

    @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    /** --quiet, --log-level and the version (every command has them). */
    @CommandLine.Mixin
    CommonFlags common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(Samvaad.configure(new CommandLine(new TrainTurns())).execute(args));
    }

    @Override
    public Integer call() {
        new Flags(spec).atLeast("--min_silence_ms", minSilenceMs, 20).atLeast("--max_silence_ms", maxSilenceMs, minSilenceMs + 20)
                .between("--hidden", hidden, 0, 256).atLeast("--epochs", epochs, 1).positive("--learning_rate", learningRate)
                .finite("--learning_rate", learningRate).between("--target_cut_ins", targetCutIns, 0, 1)
                .between("--tempo_copies", tempoCopies, 0, 16);
        Path out = output != null ? output : defaultOutput(codecFile);
        if (Files.exists(out) && !overwrite) {
            throw new IllegalArgumentException(out + " exists; use another --output, or --overwrite to replace it");
        }
        EndOfTurnTrainer.Options d = EndOfTurnTrainer.Options.defaults();
        EndOfTurnTrainer.Options options = new EndOfTurnTrainer.Options(minSilenceMs, maxSilenceMs, hidden, epochs,
                learningRate, d.weightDecay(), seed, targetCutIns, d.prerollMs(), tempoCopies, d.tempo(), d.folds());
        RvqCodec codec = RvqCodec.load(codecFile);
        ConversationCorpus corpus = ConversationCorpus.open(dataDir);
        long start = System.nanoTime();
        EndOfTurnTrainer.Result result = new EndOfTurnTrainer(codec, options).train(corpus);
        result.predictor().save(out);
        PrintWriter o = spec.commandLine().getOut();
        Map<String, Object> r = result.record();
        o.printf(Locale.ROOT, "learned from %s questions (%s silences, %s of them ends; %s rows with the tempo copies);"
                        + " %.1f s%n", r.get("questions"), r.get("silences"), r.get("ends"), r.get("rows"),
                (System.nanoTime() - start) / 1e9);
        o.printf(Locale.ROOT, "calibration over %s folds (the agent's rule replayed on each question with a network that did"
                + " not learn from it; cut-ins: share of the turns with pauses, all at most 500 ms, and of all turns with"
                + " silences inside):%n", r.get("folds"));
        o.println("  threshold  cut-ins <= 500 ms  all  latency p50  p95 ms");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> table = (List<Map<String, Object>>) r.get("calibration");
        for (Map<String, Object> row : table) {
            o.printf(Locale.ROOT, "  %9s  %17s  %6s  %11s  %6s%s%n", row.get("threshold"),
                    row.get("cutInsPausesUpTo500ms"), row.get("cutIns"), row.get("latencyP50Ms"),
                    row.get("latencyP95Ms"),
                    row.get("threshold").equals(r.get("threshold")) ? "  <- chosen" : "");
        }
        o.printf(Locale.ROOT, "per frame of silence: features p50 %s us (p95 %s), network p50 %s us (p95 %s)%n",
                r.get("featuresUsP50"), r.get("featuresUsP95"), r.get("networkUsP50"), r.get("networkUsP95"));
        o.printf(Locale.ROOT, "saved %s (threshold %s, asked from %d ms of silence, codec %s)%n", out, r.get("threshold"),
                minSilenceMs, codec.fingerprint());
        o.flush();
        return 0;
    }

    /** {@value EndOfTurnPredictor#FILE_NAME} in the codec's folder. */
    static Path defaultOutput(Path codecFile) {
        Path parent = codecFile.toAbsolutePath().getParent();
        return parent == null ? Path.of(EndOfTurnPredictor.FILE_NAME) : parent.resolve(EndOfTurnPredictor.FILE_NAME);
    }
}
