package dev.samvaad.examples;

import dev.samvaad.dataset.ProgressBar;
import dev.samvaad.dataset.synth.ConversationGenerator;
import dev.samvaad.dataset.synth.DialogueCorpus;
import dev.samvaad.dataset.synth.GenerationRecipe;
import dev.samvaad.dataset.synth.GenerationSummary;
import dev.samvaad.io.Words;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Synthetic conversation data: corpus (or LLM) text, spoken by TTS, written as
 * {@code conv_000001/user.wav + assistant.wav + meta.json}. Offline by default (built-in corpus,
 * espeak-ng); resumable (rerun the same command after a crash).
 */
@Command(name = "generate-data", mixinStandardHelpOptions = true,
        description = "Generate synthetic conversation pairs (question/answer speech) for training.")
public final class GenerateConversationData implements Callable<Integer> {

    @Option(names = {"--num_pairs", "--num-pairs"}, defaultValue = "1000",
            description = "Pairs in the data set (default: ${DEFAULT-VALUE}).")
    int numPairs;

    @Option(names = {"--output_dir", "--output-dir"}, defaultValue = "data/conversations",
            description = "Folder for the pairs (default: ${DEFAULT-VALUE}).")
    Path outputDir;

    @Option(names = "--seed", defaultValue = "1", description = "Decides every pair and split (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--workers", description = "Pairs made at once (default: the number of cores).")
    Integer workers;

    @Option(names = "--language", defaultValue = "te",
            description = "Language of the built-in corpus and espeak-ng voice (default: ${DEFAULT-VALUE}).")
    String language;

    @Option(names = "--corpus", description = "Your own dialogue corpus file (samvaad-corpus/1 JSON) instead of the built-in one.")
    Path corpusFile;

    @Option(names = "--intents", split = ",",
            description = "Only these intent ids of the corpus (e.g. a few short exchanges for a quick run).")
    List<String> intents;

    @Option(names = "--questions",
            description = "A text file of questions (UTF-8, one a line) for --llm-url to answer, instead of a corpus.")
    Path questionsFile;

    @Option(names = {"--llm-url", "--llm_url"},
            description = "OpenAI-compatible server (llama.cpp, Ollama, vLLM) that answers the questions, e.g. http://127.0.0.1:8080/v1.")
    URI llmUrl;

    @Option(names = {"--llm-model", "--llm_model"}, description = "Model name for --llm-url.")
    String llmModel;

    @Option(names = {"--tts-command", "--tts_command"},
            description = "External TTS instead of espeak-ng, e.g. \"piper --model te.onnx --output_file {out}\" "
                    + "(placeholders {out} {text} {text_file} {voice} {rate} {pitch}; without {text} the text goes to stdin).")
    String ttsCommand;

    @Option(names = {"--user-voices", "--user_voices"}, split = ",",
            description = "User-side voice names (default: espeak-ng variants of --language).")
    List<String> userVoices;

    @Option(names = {"--assistant-voice", "--assistant_voice"},
            description = "Assistant voice name (default: the plain --language espeak-ng voice).")
    String assistantVoice;

    @Option(names = "--pauses",
            description = "Turn-taking data: the share (0..1) of questions of two or more words spoken in 2-3 phrases "
                    + "joined by pauses (with breaths, a noise floor and silence after); meta.json marks where the "
                    + "pauses are and where the turn really ends (default: none, questions as the TTS speaks them).")
    Double pauses;

    @Option(names = {"--pause_ms", "--pause-ms"}, split = ",", paramLabel = "MIN,MAX",
            description = "With --pauses: the pause range, ms (default: 150,700).")
    List<Integer> pauseMs;

    /** Whether a progress bar goes to standard error (off when the quickstart generates beside another step). */
    boolean progress = true;

    /** --quiet, --log-level and the version (every command has them). */
    @CommandLine.Mixin
    CommonFlags common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(Samvaad.configure(new CommandLine(new GenerateConversationData())).execute(args));
    }

    @Override
    public Integer call() {
        ConversationGenerator.Settings settings = recipe().settings(outputDir, numPairs, seed,
                workers != null ? workers : Runtime.getRuntime().availableProcessors());
        DialogueCorpus corpus = settings.corpus();
        var out = spec.commandLine().getOut();
        out.printf("generating %s into %s (corpus %s, %s; TTS %s; answers %s)%n", Words.count(numPairs, "pair"), outputDir,
                corpus.source(), Words.count(corpus.intents().size(), "intent"), settings.tts().describe(), settings.responses().describe());
        out.flush();
        try (StopNotice notice = StopNotice.install(spec, this::stopMessage)) {
            GenerationSummary summary = new ConversationGenerator(settings).run(
                    progress ? ProgressBar.onStderr("pairs", numPairs) : null);
            out.println(summary.describe());
        }
        return 0;
    }

    /** The flags as a recipe, which builds (and checks) the generator's settings. */
    GenerationRecipe recipe() {
        GenerationRecipe recipe = GenerationRecipe.builtIn(language).withPauses(pauses, pauseMs)
                .withLlm(llmUrl, llmModel).withTts(ttsCommand, userVoices, assistantVoice).withIntents(intents);
        if (corpusFile != null) {
            recipe = recipe.withCorpusFile(corpusFile);
        }
        return questionsFile != null ? recipe.withQuestionsFile(questionsFile) : recipe;
    }

    /** What {@code generate-data} prints when it is stopped (Ctrl-C): the same command continues. */
    String stopMessage() {
        return "generate-data: stopped; the finished pairs in " + outputDir + " are kept. Run the same command "
                + "again to continue: " + StopNotice.commandLine(spec, java.util.Set.of());
    }
}
