package dev.samvaad.dataset.synth;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How a data set is generated, as plain values: the corpus (built-in, a corpus file's text, or bare
 * questions), where the answers come from (the corpus or an LLM server), the TTS and its voices,
 * and the pauses. {@link #settings} builds the generator's {@link ConversationGenerator.Settings}
 * from them, so {@code generate-data} and a job that makes the pairs on other machines (the
 * recipe is {@link Serializable}, and carries the files' contents, not their paths) build the
 * same generator. Files are named by path and read when the settings are built, as
 * {@code generate-data} reads them; {@link #withFilesRead} puts their content into the recipe for
 * a job whose executors cannot see the files.
 *
 * @param language        the built-in corpus's and espeak-ng's language
 * @param corpusJson      the text of {@code corpusFile} once read, or null
 * @param corpusFile      a corpus file (samvaad-corpus/1; its path goes into dataset.json and
 *                        messages), or null for the built-in corpus
 * @param intents         only these intents of the corpus, or null for all
 * @param questions       the lines of {@code questionsFile} once read ({@code #} comments and blank
 *                        lines are skipped), or null
 * @param questionsFile   a question file (one a line) for {@code llmUrl} to answer instead of a
 *                        corpus, or null
 * @param llmUrl          an OpenAI-compatible server that answers the questions, or null for the
 *                        corpus's answers
 * @param llmModel        the model name for {@code llmUrl}, or null
 * @param ttsCommand      an external TTS command line ({@link CommandSynthesizer}), or null for espeak-ng
 * @param userVoices      user-side voice names, or null for espeak-ng's variants of {@code language}
 * @param assistantVoice  the assistant's voice name, or null for the plain {@code language} voice
 * @param pauses          the share (0..1) of questions spoken with pauses, or null for none
 * @param pauseMs         with {@code pauses}: the pause range {@code [min, max]} in ms, or null for the default
 * @serial exclude
 */
public record GenerationRecipe(String language, String corpusJson, String corpusFile, List<String> intents,
        List<String> questions, String questionsFile, URI llmUrl, String llmModel, String ttsCommand,
        List<String> userVoices, String assistantVoice, Double pauses, List<Integer> pauseMs) implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * Copies the lists; the rest is checked by {@link #settings}.
     *
     * @param language        the language
     * @param corpusJson      the corpus file's text, or null
     * @param corpusFile      the corpus file's path, or null
     * @param intents         only these intents, or null
     * @param questions       the question file's lines, or null
     * @param questionsFile   the question file's path, or null
     * @param llmUrl          the answer server, or null
     * @param llmModel        its model, or null
     * @param ttsCommand      an external TTS, or null
     * @param userVoices      user-side voices, or null
     * @param assistantVoice  the assistant voice, or null
     * @param pauses          the share of questions with pauses, or null
     * @param pauseMs         the pause range, or null
     * @throws IllegalArgumentException if the language is empty
     */
    public GenerationRecipe {
        if (language == null || language.isBlank()) {
            throw new IllegalArgumentException("--language is empty");
        }
        intents = intents == null ? null : List.copyOf(intents);
        questions = questions == null ? null : List.copyOf(questions);
        userVoices = userVoices == null ? null : List.copyOf(userVoices);
        pauseMs = pauseMs == null ? null : List.copyOf(pauseMs);
    }

    /**
     * {@code generate-data}'s defaults: the built-in corpus and its answers, spoken by espeak-ng.
     *
     * @param language the built-in corpus's and espeak-ng's language, e.g. {@code te}
     * @return the recipe
     */
    public static GenerationRecipe builtIn(String language) {
        return new GenerationRecipe(language, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /**
     * @param json   a corpus file's text (samvaad-corpus/1), or null to read {@code source} when
     *               the settings are built
     * @param source its path, as it goes into dataset.json and messages
     * @return this recipe with that corpus
     */
    public GenerationRecipe withCorpus(String json, String source) {
        return new GenerationRecipe(language, json, source, intents, questions, questionsFile, llmUrl, llmModel,
                ttsCommand, userVoices, assistantVoice, pauses, pauseMs);
    }

    /**
     * @param file a corpus file (samvaad-corpus/1), read when the settings are built
     * @return this recipe with that corpus, named by the file's path
     */
    public GenerationRecipe withCorpusFile(Path file) {
        return withCorpus(null, file.toString());
    }

    /**
     * @param ids only these intents of the corpus
     * @return this recipe with that subset
     */
    public GenerationRecipe withIntents(List<String> ids) {
        return new GenerationRecipe(language, corpusJson, corpusFile, ids, questions, questionsFile, llmUrl,
                llmModel, ttsCommand, userVoices, assistantVoice, pauses, pauseMs);
    }

    /**
     * @param lines  a question file's lines, or null to read {@code source} when the settings are built
     * @param source its path, as it goes into dataset.json and messages
     * @return this recipe with those questions (they need {@link #withLlm})
     */
    public GenerationRecipe withQuestions(List<String> lines, String source) {
        return new GenerationRecipe(language, corpusJson, corpusFile, intents, lines, source, llmUrl, llmModel,
                ttsCommand, userVoices, assistantVoice, pauses, pauseMs);
    }

    /**
     * @param file a question file (UTF-8, one a line), read when the settings are built
     * @return this recipe with its questions, named by the file's path
     */
    public GenerationRecipe withQuestionsFile(Path file) {
        return withQuestions(null, file.toString());
    }

    /**
     * This recipe with the content of its corpus and question files in it, for executors that
     * cannot read the files (the paths stay, as names in dataset.json and messages).
     *
     * @return the recipe with the files read
     * @throws CorpusException naming the file when it cannot be read
     */
    public GenerationRecipe withFilesRead() {
        GenerationRecipe r = this;
        if (corpusFile != null && corpusJson == null) {
            try {
                r = r.withCorpus(new String(Files.readAllBytes(Path.of(corpusFile)), StandardCharsets.UTF_8), corpusFile);
            } catch (IOException e) {
                throw new CorpusException(corpusFile + ": cannot read corpus: " + e.getMessage(), e);
            }
        }
        if (questionsFile != null && questions == null) {
            try {
                r = r.withQuestions(Files.readAllLines(Path.of(questionsFile), StandardCharsets.UTF_8), questionsFile);
            } catch (IOException e) {
                throw new CorpusException(questionsFile + ": cannot read questions: " + e.getMessage(), e);
            }
        }
        return r;
    }

    /**
     * @param url   an OpenAI-compatible server, e.g. {@code http://127.0.0.1:8080/v1}, or null
     * @param model the model name it serves, or null
     * @return this recipe with answers from that server
     */
    public GenerationRecipe withLlm(URI url, String model) {
        return new GenerationRecipe(language, corpusJson, corpusFile, intents, questions, questionsFile, url, model,
                ttsCommand, userVoices, assistantVoice, pauses, pauseMs);
    }

    /**
     * @param command   an external TTS command line, or null for espeak-ng
     * @param users     user-side voice names (at least 2), or null
     * @param assistant the assistant's voice name, or null
     * @return this recipe with that TTS and those voices
     */
    public GenerationRecipe withTts(String command, List<String> users, String assistant) {
        return new GenerationRecipe(language, corpusJson, corpusFile, intents, questions, questionsFile, llmUrl,
                llmModel, command, users, assistant, pauses, pauseMs);
    }

    /**
     * @param share the share (0..1) of questions spoken with pauses, or null for none
     * @param range the pause range {@code [min, max]} in ms, or null for the default
     * @return this recipe making turn-taking data
     */
    public GenerationRecipe withPauses(Double share, List<Integer> range) {
        return new GenerationRecipe(language, corpusJson, corpusFile, intents, questions, questionsFile, llmUrl,
                llmModel, ttsCommand, userVoices, assistantVoice, share, range);
    }

    /**
     * The generator's settings: the pauses, corpus, answer source, TTS and voices built and checked,
     * in that order.
     *
     * @param outputDir where the pair folders go
     * @param numPairs  how many pairs the data set has, at least 1
     * @param seed      decides every pair
     * @param workers   pairs made at once, at least 1
     * @return the settings
     * @throws IllegalArgumentException naming the bad or missing setting
     * @throws CorpusException naming the corpus or question source when it is malformed
     */
    public ConversationGenerator.Settings settings(Path outputDir, int numPairs, long seed, int workers) {
        Pauses paused = pauseSettings();
        DialogueCorpus corpus = corpus();
        return new ConversationGenerator.Settings(outputDir, numPairs, seed, workers, corpus, responses(corpus, seed),
                tts(), voices(corpus.language(), seed), paused);
    }

    /**
     * The pause settings alone, checked (what {@link #settings} checks first; a command line checks
     * them before it reads any file).
     *
     * @return the pauses, or null for a data set without them
     * @throws IllegalArgumentException naming the bad pause flag
     */
    public Pauses pauseSettings() {
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
            if (questions == null) {
                return DialogueCorpus.loadQuestions(Path.of(questionsFile), language);
            }
            // As DialogueCorpus.loadQuestions reads the file.
            List<String> lines = questions.stream().filter(l -> !l.strip().startsWith("#")).toList();
            return DialogueCorpus.ofQuestions(lines, language, questionsFile);
        }
        DialogueCorpus corpus = corpusFile == null ? DialogueCorpus.builtIn(language)
                : corpusJson == null ? DialogueCorpus.load(Path.of(corpusFile))
                : DialogueCorpus.parse(new ByteArrayInputStream(corpusJson.getBytes(StandardCharsets.UTF_8)), corpusFile);
        return intents == null ? corpus : corpus.onlyIntents(intents);
    }

    private ResponseSource responses(DialogueCorpus corpus, long seed) {
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

    private VoiceBank voices(String lang, long seed) {
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
