package dev.samvaad.infer;

import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TextTokensTest {

    @Test
    void theInventoryIsTheDistinctCodePointsInOrderAndTextRoundTrips() {
        List<String> symbols = TextTokens.inventory(List.of("నమస్కారం!", "సరే, సరే"));
        assertThat(symbols).doesNotHaveDuplicates().isSortedAccordingTo((a, b) -> a.codePointAt(0) - b.codePointAt(0));
        assertThat(symbols).contains("న", "్", "ం", "!", ",", " ");
        ModelConfig config = new ModelConfig(1, 4, 8, 1, 1, 1, 8, 16).withText(symbols);
        TextTokens tokens = new TextTokens(config);
        int[] encoded = tokens.encode("సరే నమస్కారం");
        assertThat(java.util.Arrays.stream(encoded).boxed().toList())
                .allSatisfy(t -> assertThat(t).isBetween(ModelConfig.TEXT_SYMBOLS, config.textVocabulary() - 1));
        assertThat(tokens.decode(encoded, encoded.length)).isEqualTo("సరే నమస్కారం");
    }

    @Test
    void unknownSymbolsAndSpecialsDecodeAsTheySay() {
        ModelConfig config = new ModelConfig(1, 4, 8, 1, 1, 1, 8, 16).withText(List.of("a", "b"));
        TextTokens tokens = new TextTokens(config);
        assertThat(tokens.encode("abz")).containsExactly(ModelConfig.TEXT_SYMBOLS, ModelConfig.TEXT_SYMBOLS + 1,
                ModelConfig.TEXT_UNKNOWN);
        assertThat(tokens.decode(new int[] {ModelConfig.TEXT_BOS, ModelConfig.TEXT_SYMBOLS, ModelConfig.TEXT_UNKNOWN}, 3))
                .isEqualTo("a\uFFFD");
        assertThatThrownBy(() -> new TextTokens(new ModelConfig(1, 4, 8, 1, 1, 1, 8, 16)))
                .hasMessageContaining("no text monologue");
        assertThatThrownBy(() -> config.withText(List.of("a", "a"))).hasMessageContaining("duplicates");
    }

    @Test
    void aTranscriptThenAnswerMonologueIsScoredOnItsAnswer() {
        String monologue = TextTokens.transcriptThenAnswer("నాకు దోశ అంటే ఇష్టం", "దోశ అంటే నాకు కూడా ఇష్టమే");
        assertThat(TextTokens.answerPart(monologue)).isEqualTo("దోశ అంటే నాకు కూడా ఇష్టమే");
        assertThat(TextTokens.answerPart("సరే")).isEqualTo("సరే");
        assertThat(TextTokens.answerPart("a" + TextTokens.QUESTION_END)).isEmpty();
    }

    @Test
    void aQuestionIsRecognisedAsItsSpokenWordsAndItsSymbolsAreCtcClassesFromOne() {
        assertThat(TextTokens.spoken("  హలో, ఎవరైనా ఉన్నారా?! ")).isEqualTo("హలో ఎవరైనా ఉన్నారా");
        assertThat(TextTokens.spoken("What's 2+2?")).isEqualTo("What s 2 2");
        java.util.List<String> symbols = TextTokens.inventory(java.util.List.of(TextTokens.spoken("ab, ba")));
        assertThat(symbols).containsExactly(" ", "a", "b");
        assertThat(TextTokens.ctcClasses(symbols, "ab? bz")).containsExactly(2, 3, 1, 3); // z is not a symbol
        assertThat(TextTokens.ctcClasses(symbols, "?!")).isEmpty();
    }
}
