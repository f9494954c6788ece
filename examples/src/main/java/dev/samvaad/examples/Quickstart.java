package dev.samvaad.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The whole job on small built-in defaults: Telugu conversation data, a codec trained on it, a
 * tiny conversation model trained on the codes, its evaluation on held-out splits, and an
 * end-of-turn predictor for the agent (questions spoken with pauses, and the predictor trained on
 * them), which {@code agent} and {@code web} then find beside the codec.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = "Generate data, train the codec, train the conversation model, evaluate it, and train the "
                + "agent's end-of-turn predictor.")
public final class Quickstart implements Callable<Integer> {

    @Option(names = {"--output_dir", "--output-dir"}, defaultValue = "runs/quickstart",
            description = "Folder for everything (default: ${DEFAULT-VALUE}).")
    Path outputDir;

    @Option(names = {"--num_pairs", "--num-pairs"}, defaultValue = "800", description = "Pairs (default: ${DEFAULT-VALUE}).")
    int numPairs;

    @Option(names = "--epochs", defaultValue = "40", description = "Model epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    /**
     * Fifteen short exchanges of the built-in Telugu corpus: fourteen with a fixed answer and one
     * whose answer carries over a slot of the question ({@code food_like}: "I like {food}" ->
     * "{food}? I like it too..."), so test-slot, whose food names are never heard in training,
     * asks the model to repeat a word it has not learned. Enough repetitions of each in 800 pairs
     * for a tiny model to learn them in minutes on a laptop. The full recipe in README uses the
     * whole corpus.
     */
    static final String QUICK_INTENTS = "greeting_hello,greeting_afternoon,greeting_night,food_hungry,food_tea,"
            + "food_coffee,dir_temple,dir_market,are_you_human,agree,language_telugu,farewell_tomorrow,help_can_you,"
            + "farewell_bye,food_like";

    @Option(names = "--intents", defaultValue = QUICK_INTENTS, split = ",",
            description = "Intents of the built-in corpus to use, or 'all' (default: 15 short exchanges).")
    java.util.List<String> intents;

    @Option(names = "--size", defaultValue = "tiny", description = "Model size: tiny or small (default: ${DEFAULT-VALUE}).")
    TrainS2SConversation.Size size;

    @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = {"--turn_pairs", "--turn-pairs"}, defaultValue = "2000",
            description = "Questions spoken with pauses for the end-of-turn predictor (generate-data --pauses, then "
                    + "train-turns, while the model trains); 0 leaves the predictor out (default: ${DEFAULT-VALUE}).")
    int turnPairs;

    /** --quiet, --log-level and the version (every command has them). */
    @CommandLine.Mixin
    CommonFlags common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(Samvaad.configure(new CommandLine(new Quickstart())).execute(args));
    }

    @Override
    public Integer call() {
        // The steps' own notices (train's --resume) are not installed inside this one.
        try (StopNotice notice = StopNotice.install(spec, () -> "quickstart: stopped; the finished steps in "
                + outputDir + " are kept. Run the same command again to continue: "
                + StopNotice.commandLine(spec, java.util.Set.of()))) {
            return steps();
        }
    }

    private int steps() {
        if (turnPairs < 0) {
            throw new IllegalArgumentException("--turn_pairs must be >= 0 (0: no end-of-turn predictor), got " + turnPairs);
        }
        String total = turnPairs > 0 ? "5" : "4";
        Path data = outputDir.resolve("conversations");
        Path codec = outputDir.resolve("codec.smvd");
        Path run = outputDir.resolve("model");
        Path report = outputDir.resolve("report.json");
        String s = Long.toString(seed);
        // A smaller codec than the default (4 x 256): the model's vocabulary, and so its training
        // time, shrinks with it.
        List<String> generate = new ArrayList<>(List.of("--num_pairs", Integer.toString(numPairs), "--output_dir",
                data.toString(), "--seed", s));
        if (!intents.equals(List.of("all"))) {
            generate.addAll(List.of("--intents", String.join(",", intents)));
        }
        boolean ok = Steps.run(spec, "1/" + total + " generate data", new GenerateConversationData(), generate.toArray(String[]::new))
                && (Files.exists(codec) ? kept(codec, "2/" + total + " train the codec")
                        : Steps.run(spec, "2/" + total + " train the codec", new TrainCodec(), "--audio_dir", data.toString(),
                                "--split", "train", "--output", codec.toString(), "--codebooks", "4", "--codebook_size",
                                "256", "--seed", s));
        CompletableFuture<Steps.Captured> endOfTurn = ok && turnPairs > 0 ? startEndOfTurn(codec, generate) : null;
        ok = ok && Steps.run(spec, "3/" + total + " train the conversation model", new TrainS2SConversation(), "--data_dir",
                        data.toString(), "--codec", codec.toString(), "--output", run.toString(), "--epochs",
                        Integer.toString(epochs), "--size", size.name().toLowerCase(java.util.Locale.ROOT), "--seed", s,
                        "--resume_if_any")
                // The run folder: its best/, and the codec train keeps beside it.
                && Steps.run(spec, "4/" + total + " evaluate on held-out splits", new EvaluateModel(), "--model",
                        run.toString(), "--data_dir", data.toString(), "--report", report.toString(), "--overwrite")
                && (turnPairs == 0 || finishEndOfTurn(codec, endOfTurn));
        if (!ok && endOfTurn != null) {
            endOfTurn.cancel(true);
        }
        if (ok) {
            spec.commandLine().getOut().printf("%ndone: report %s (and .md), samples %s, model %s (with its codec)%s%n"
                    + "talk to it: bin/samvaad agent --s2s %s --input-dir %s --split test-voice%n", report,
                    outputDir.resolve("samples"), run, turnPairs == 0 ? ""
                            : ", end-of-turn predictor " + TrainTurns.defaultOutput(codec), run, data);
        }
        return ok ? 0 : 1;
    }

    /**
     * Step 5, started before step 3: questions of the same intents spoken with pauses, then the
     * end-of-turn predictor trained on them, beside the codec where {@code agent} and {@code web}
     * look for it. It runs on its own thread while the conversation model trains (which keeps one
     * core busy on a 2-core machine, see bin/samvaad's OMP_NUM_THREADS), and its output is printed
     * as step 5. Null when the predictor is already there.
     */
    private CompletableFuture<Steps.Captured> startEndOfTurn(Path codec, List<String> dataFlags) {
        if (Files.exists(TrainTurns.defaultOutput(codec))) {
            return null;
        }
        Path turns = outputDir.resolve("turns");
        List<String> generate = new ArrayList<>(List.of("--num_pairs", Integer.toString(turnPairs), "--output_dir",
                turns.toString(), "--seed", Long.toString(seed), "--pauses", "0.75", "--workers", "2"));
        int intentsAt = dataFlags.indexOf("--intents");
        if (intentsAt >= 0) {
            generate.addAll(dataFlags.subList(intentsAt, intentsAt + 2));
        }
        return CompletableFuture.supplyAsync(() -> {
            GenerateConversationData data = new GenerateConversationData();
            data.progress = false;
            Steps.Captured made = Steps.capture(spec, data, generate.toArray(String[]::new));
            if (!made.ok()) {
                return made;
            }
            Steps.Captured trained = Steps.capture(spec, new TrainTurns(), "--data_dir", turns.toString(), "--codec",
                    codec.toString(), "--seed", Long.toString(seed));
            return new Steps.Captured(trained.ok(), made.output() + trained.output());
        }, r -> {
            Thread t = new Thread(r, "quickstart-end-of-turn");
            t.setDaemon(true);
            t.start();
        });
    }

    /** Step 5's end: waits for the predictor made beside steps 3 and 4 and prints what it printed. */
    private boolean finishEndOfTurn(Path codec, CompletableFuture<Steps.Captured> job) {
        String title = "5/5 the end-of-turn predictor (" + turnPairs + " questions spoken with pauses, made while the "
                + "model trained)";
        if (job == null) {
            return kept(TrainTurns.defaultOutput(codec), title);
        }
        spec.commandLine().getOut().println("== " + title);
        Steps.Captured result = job.join();
        spec.commandLine().getOut().print(result.output());
        spec.commandLine().getOut().flush();
        return result.ok();
    }

    /** A step whose output a previous run left (the quickstart is rerun after a stop): kept, not redone. */
    private boolean kept(Path output, String step) {
        spec.commandLine().getOut().printf("== %s: kept %s from an earlier run%n", step, output);
        return true;
    }
}
