package dev.samvaad.dataset.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerationRecipeTest {
    @TempDir
    Path dir;

    @Test
    void theDefaultsAreGenerateDatasBuiltInCorpusItsAnswersAndEspeak() {
        ConversationGenerator.Settings s = GenerationRecipe.builtIn("te").settings(dir, 20, 3, 2);
        assertThat(s.corpus().source()).isEqualTo(DialogueCorpus.builtIn("te").source());
        assertThat(s.responses().describe()).isEqualTo(new CorpusResponseSource(s.corpus()).describe());
        assertThat(s.tts()).isInstanceOf(EspeakSynthesizer.class);
        assertThat(s.voices()).isEqualTo(VoiceBank.espeak("te", 3));
        assertThat(s.pauses()).isNull();
        assertThat(List.of(s.outputDir(), s.numPairs(), s.seed(), s.workers())).containsExactly(dir, 20, 3L, 2);
    }

    @Test
    void aRecipeTravelsWithItsFilesContentAndBuildsTheSameSettingsElsewhere() throws Exception {
        Path corpusFile = dir.resolve("mine.json");
        try (var in = DialogueCorpus.class.getResourceAsStream("corpus-te.json")) {
            Files.write(corpusFile, in.readAllBytes());
        }
        GenerationRecipe recipe = GenerationRecipe.builtIn("te").withCorpusFile(corpusFile)
                .withIntents(List.of(DialogueCorpus.builtIn("te").intents().get(0).id()))
                .withTts("mytts --out {out}", List.of("a", "b", "c"), "d").withPauses(0.5, List.of(100, 400))
                .withFilesRead();
        Files.delete(corpusFile);

        GenerationRecipe copy = roundTrip(recipe);

        assertThat(copy).isEqualTo(recipe);
        ConversationGenerator.Settings here = recipe.settings(dir, 10, 1, 1);
        ConversationGenerator.Settings there = copy.settings(dir, 10, 1, 1);
        assertThat(there.corpus().source()).isEqualTo(here.corpus().source()).startsWith(corpusFile.toString());
        assertThat(there.corpus().intents()).hasSize(1);
        assertThat(there.tts().describe()).isEqualTo("command:mytts --out {out}");
        assertThat(there.voices()).isEqualTo(here.voices());
        assertThat(there.pauses()).isEqualTo(here.pauses()).isEqualTo(Pauses.of(0.5).withPauseRange(100, 400));
    }

    @Test
    void questionsAreAnsweredByAServerAndCommentsSkippedAsInAQuestionFile() throws IOException {
        Path file = dir.resolve("q.txt");
        Files.write(file, List.of("# mine", "మీ పేరు ఏమిటి?", "", "ఎక్కడ ఉంటారు?"));
        GenerationRecipe recipe = GenerationRecipe.builtIn("te").withQuestionsFile(file)
                .withLlm(URI.create("http://127.0.0.1:9/v1"), "m");
        for (GenerationRecipe r : List.of(recipe, recipe.withFilesRead())) {
            ConversationGenerator.Settings s = r.settings(dir, 5, 1, 1);
            assertThat(s.corpus().intents()).extracting(Intent::id)
                    .isEqualTo(DialogueCorpus.loadQuestions(file, "te").intents().stream().map(Intent::id).toList())
                    .hasSize(2);
            assertThat(s.corpus().source()).isEqualTo(file.toString());
            assertThat(s.responses()).isInstanceOf(ChatCompletionsResponseSource.class);
        }
    }

    @Test
    void badCombinationsAndFilesAreNamed() {
        GenerationRecipe base = GenerationRecipe.builtIn("te");
        assertThatThrownBy(() -> base.withCorpusFile(dir.resolve("none.json")).withFilesRead())
                .isInstanceOf(CorpusException.class).hasMessageContaining("none.json: cannot read corpus");
        assertThatThrownBy(() -> base.withCorpusFile(dir.resolve("none.json")).settings(dir, 1, 1, 1))
                .isInstanceOf(CorpusException.class).hasMessageContaining("none.json: cannot read corpus");
        assertThatThrownBy(() -> base.withQuestionsFile(dir.resolve("q.txt")).withLlm(URI.create("http://127.0.0.1:9"), "m")
                .withFilesRead()).isInstanceOf(CorpusException.class).hasMessageContaining("q.txt: cannot read questions");
        assertThatThrownBy(() -> base.withQuestions(List.of("x?"), "q.txt").withIntents(List.of("a")).settings(dir, 1, 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--questions cannot be combined");
        assertThatThrownBy(() -> base.withQuestions(List.of("x?"), "q.txt").settings(dir, 1, 1, 1))
                .hasMessageContaining("add --llm-url and --llm-model");
        assertThatThrownBy(() -> base.withTts("t {out}", null, null).settings(dir, 1, 1, 1))
                .hasMessageContaining("--tts-command needs --user-voices and --assistant-voice");
        assertThatThrownBy(() -> base.withPauses(null, List.of(100, 200)).pauseSettings())
                .hasMessageContaining("--pause_ms goes with --pauses");
        assertThatThrownBy(() -> base.withLlm(null, "m").settings(dir, 1, 1, 1)).hasMessageContaining("--llm-model needs --llm-url");
        assertThatThrownBy(() -> GenerationRecipe.builtIn(" ")).hasMessageContaining("--language is empty");
    }

    private static GenerationRecipe roundTrip(GenerationRecipe recipe) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(recipe);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (GenerationRecipe) in.readObject();
        }
    }
}
