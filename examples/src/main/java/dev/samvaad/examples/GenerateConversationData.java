package dev.samvaad.examples;

import dev.samvaad.dataset.ProgressBar;
import dev.samvaad.dataset.synth.ChatCompletionsResponseSource;
import dev.samvaad.dataset.synth.CommandSynthesizer;
import dev.samvaad.dataset.synth.ConversationGenerator;
import dev.samvaad.dataset.synth.CorpusResponseSource;
import dev.samvaad.dataset.synth.DialogueCorpus;
import dev.samvaad.dataset.synth.EspeakSynthesizer;
import dev.samvaad.dataset.synth.GenerationSummary;
import dev.samvaad.dataset.synth.Pauses;
import dev.samvaad.dataset.synth.ResponseSource;
import dev.samvaad.dataset.synth.SpeechSynthesizer;
import dev.samvaad.dataset.synth.Voice;
import dev.samvaad.dataset.synth.VoiceBank;
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
        Pauses paused = pauses();
        DialogueCorpus corpus = corpus();
        ConversationGenerator.Settings settings = new ConversationGenerator.Settings(outputDir, numPairs, seed,
                workers != null ? workers : Runtime.getRuntime().availableProcessors(), corpus, responses(corpus),
                tts(), voices(corpus.language()), paused);
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

    /** What {@code generate-data} prints when it is stopped (Ctrl-C): the same command continues. */
    String stopMessage() {
        return "generate-data: stopped; the finished pairs in " + outputDir + " are kept. Run the same command "
                + "again to continue: " + StopNotice.commandLine(spec, java.util.Set.of());
    }

    /** The --pauses settings, checked before anything else is loaded; null without --pauses. */
    private Pauses pauses() {
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
        if (questionsFile != null) {
            if (corpusFile != null || intents != null) {
                throw new IllegalArgumentException("--questions cannot be combined with --corpus or --intents");
            }
            if (llmUrl == null) {
                throw new IllegalArgumentException("--questions has no answers of its own: add --llm-url and --llm-model");
            }
            return DialogueCorpus.loadQuestions(questionsFile, language);
        }
        DialogueCorpus corpus = corpusFile != null ? DialogueCorpus.load(corpusFile) : DialogueCorpus.builtIn(language);
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
        return new ChatCompletionsResponseSource(
                ChatCompletionsResponseSource.Options.builder().baseUrl(llmUrl).model(llmModel).seed(seed).build());
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
