package dev.samvaad.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The whole job on small built-in defaults: Telugu conversation data, a codec trained on it, a
 * tiny conversation model trained on the codes, and its evaluation on held-out splits.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = "Generate data, train the codec, train the conversation model, evaluate it.")
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
        boolean ok = Steps.run(spec, "1/4 generate data", new GenerateConversationData(), generate.toArray(String[]::new))
                && (Files.exists(codec) ? kept(codec, "2/4 train the codec")
                        : Steps.run(spec, "2/4 train the codec", new TrainCodec(), "--audio_dir", data.toString(),
                                "--split", "train", "--output", codec.toString(), "--codebooks", "4", "--codebook_size",
                                "256", "--seed", s))
                && Steps.run(spec, "3/4 train the conversation model", new TrainS2SConversation(), "--data_dir",
                        data.toString(), "--codec", codec.toString(), "--output", run.toString(), "--epochs",
                        Integer.toString(epochs), "--size", size.name().toLowerCase(java.util.Locale.ROOT), "--seed", s,
                        "--resume_if_any")
                // The run folder: its best/, and the codec train keeps beside it.
                && Steps.run(spec, "4/4 evaluate on held-out splits", new EvaluateModel(), "--model", run.toString(),
                        "--data_dir", data.toString(), "--report", report.toString(), "--overwrite");
        if (ok) {
            spec.commandLine().getOut().printf("%ndone: report %s (and .md), samples %s, model %s (with its codec)%n"
                    + "talk to it: bin/samvaad agent --s2s %s --input-dir %s --split test-voice%n", report,
                    outputDir.resolve("samples"), run, run, data);
        }
        return ok ? 0 : 1;
    }

    /** A step whose output a previous run left (the quickstart is rerun after a stop): kept, not redone. */
    private boolean kept(Path output, String step) {
        spec.commandLine().getOut().printf("== %s: kept %s from an earlier run%n", step, output);
        return true;
    }
}
