package dev.samvaad.spark;

import dev.samvaad.dataset.synth.GenerationRecipe;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The main class that {@code spark-submit} runs: {@code generate} ({@link GenerateJob}) or
 * {@code encode} ({@link EncodeJob}). The master, executors and memory come from
 * {@code spark-submit}; the flags of {@code generate} are those of {@code bin/samvaad generate-data}.
 * Exits with 0 when every pair was made or encoded, 1 when some failed (they are listed), 2 for a
 * bad command line.
 */
@Command(name = "samvaad-spark", mixinStandardHelpOptions = true,
        description = "Samvaad data jobs for Apache Spark (run with spark-submit).",
        subcommands = {SamvaadSpark.Generate.class, SamvaadSpark.Encode.class})
public final class SamvaadSpark implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * Runs a job; {@code spark-submit --class dev.samvaad.spark.SamvaadSpark samvaad-spark-job.jar generate ...}.
     *
     * @param args {@code generate ...} or {@code encode ...}
     */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** {@return the command line, whose {@code execute} runs a job and returns its exit code} */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new SamvaadSpark());
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            line.getErr().println("samvaad-spark " + line.getCommandName() + ": " + e.getMessage());
            return e instanceof IllegalArgumentException ? 2 : 1;
        });
        return cli;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "give a job: generate or encode");
    }

    /** The flags both jobs have: how many tasks, and the master for a run without {@code spark-submit}. */
    static final class SparkFlags {
        @Option(names = "--partitions", defaultValue = "0",
                description = "Tasks the work is spread over (default: Spark's default parallelism).")
        int partitions;

        @Option(names = "--master", description = "Spark master when not run by spark-submit, e.g. local[2].")
        String master;

        /** The Spark context of {@code spark-submit}; {@code --master} on the command line is for a run without it. */
        JavaSparkContext context(String app) {
            SparkConf conf = new SparkConf().setAppName(app);
            if (master != null) {
                conf.setMaster(master);
            }
            return new JavaSparkContext(conf);
        }
    }

    /** {@code generate}: the pairs of {@code generate-data}, made on the cluster. */
    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "Generate synthetic conversation pairs into a folder on any Hadoop file system, "
                    + "byte for byte as bin/samvaad generate-data does.")
    static final class Generate implements Callable<Integer> {
        @Option(names = {"--num_pairs", "--num-pairs"}, defaultValue = "1000",
                description = "Pairs in the data set (default: ${DEFAULT-VALUE}).")
        int numPairs;

        @Option(names = {"--output_dir", "--output-dir"}, required = true,
                description = "Folder for the pairs: hdfs://..., s3a://..., file:///... or a path on the default file system.")
        String outputDir;

        @Option(names = "--seed", defaultValue = "1", description = "Decides every pair and split (default: ${DEFAULT-VALUE}).")
        long seed;

        @CommandLine.Mixin
        SparkFlags spark;

        @Option(names = "--language", defaultValue = "te",
                description = "Language of the built-in corpus and espeak-ng voice (default: ${DEFAULT-VALUE}).")
        String language;

        @Option(names = "--corpus", description = "Your own dialogue corpus file (samvaad-corpus/1 JSON, on the driver).")
        Path corpusFile;

        @Option(names = "--intents", split = ",", description = "Only these intent ids of the corpus.")
        List<String> intents;

        @Option(names = "--questions", description = "A text file of questions (on the driver) for --llm-url to answer.")
        Path questionsFile;

        @Option(names = {"--llm-url", "--llm_url"}, description = "OpenAI-compatible server that answers the questions (reachable from the executors).")
        java.net.URI llmUrl;

        @Option(names = {"--llm-model", "--llm_model"}, description = "Model name for --llm-url.")
        String llmModel;

        @Option(names = {"--tts-command", "--tts_command"},
                description = "External TTS instead of espeak-ng (installed on every executor); placeholders as generate-data's.")
        String ttsCommand;

        @Option(names = {"--user-voices", "--user_voices"}, split = ",", description = "User-side voice names.")
        List<String> userVoices;

        @Option(names = {"--assistant-voice", "--assistant_voice"}, description = "Assistant voice name.")
        String assistantVoice;

        @Option(names = "--pauses", description = "Turn-taking data: the share (0..1) of questions spoken with pauses.")
        Double pauses;

        @Option(names = {"--pause_ms", "--pause-ms"}, split = ",", paramLabel = "MIN,MAX",
                description = "With --pauses: the pause range, ms (default: 150,700).")
        List<Integer> pauseMs;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        GenerateJob.Options options() {
            GenerationRecipe recipe = GenerationRecipe.builtIn(language).withPauses(pauses, pauseMs)
                    .withLlm(llmUrl, llmModel).withTts(ttsCommand, userVoices, assistantVoice).withIntents(intents);
            if (corpusFile != null) {
                recipe = recipe.withCorpusFile(corpusFile);
            }
            if (questionsFile != null) {
                recipe = recipe.withQuestionsFile(questionsFile);
            }
            return new GenerateJob.Options(outputDir, numPairs, seed, spark.partitions, recipe);
        }

        @Override
        public Integer call() {
            GenerateJob.Options options = options();
            // Checked before Spark starts: a bad flag costs no cluster time.
            options.settings(Path.of(System.getProperty("java.io.tmpdir")));
            try (JavaSparkContext sc = spark.context("samvaad-generate")) {
                GenerateJob.Result result = GenerateJob.run(sc, options);
                PrintWriter out = spec.commandLine().getOut();
                out.println(result.describe());
                out.flush();
                return result.complete() ? 0 : 1;
            }
        }
    }

    /** {@code encode}: the code cache of a pair folder, encoded on the cluster. */
    @Command(name = "encode", mixinStandardHelpOptions = true,
            description = "Encode every pair's user.wav and assistant.wav into the code cache that training reads "
                    + "(<pairs>/.codes by default), byte for byte as on one machine.")
    static final class Encode implements Callable<Integer> {
        @Option(names = {"--data_dir", "--data-dir"}, required = true, description = "The folder of pair folders (any Hadoop file system).")
        String dataDir;

        @Option(names = "--codec", required = true, description = "The codec file (codec.smvd from train-codec; any Hadoop file system).")
        String codec;

        @Option(names = {"--cache_dir", "--cache-dir"}, description = "The cache folder (default: <data_dir>/.codes, where training looks).")
        String cacheDir;

        @CommandLine.Mixin
        SparkFlags spark;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            EncodeJob.Options options = cacheDir == null ? EncodeJob.Options.of(dataDir, codec).withPartitions(spark.partitions)
                    : new EncodeJob.Options(dataDir, codec, cacheDir, spark.partitions);
            try (JavaSparkContext sc = spark.context("samvaad-encode")) {
                EncodeJob.Result result = EncodeJob.run(sc, options);
                PrintWriter out = spec.commandLine().getOut();
                out.println(result.describe());
                out.flush();
                return result.failed() == 0 ? 0 : 1;
            }
        }
    }
}
