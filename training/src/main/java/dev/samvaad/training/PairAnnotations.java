package dev.samvaad.training;

import java.util.Map;

/**
 * What the metadata says about each pair beyond its audio, by pair id: the answer's text (for the
 * model's monologue), the intent (for the auxiliary intent loss) and the question's text (for the
 * encoder's CTC loss). A pair missing from a map trains without that part.
 *
 * @param answerTexts   answer text by pair id
 * @param intents       intent by pair id
 * @param questionTexts question text by pair id
 */
public record PairAnnotations(Map<String, String> answerTexts, Map<String, String> intents,
        Map<String, String> questionTexts) {
    /** No annotations: codes only. */
    public static final PairAnnotations NONE = new PairAnnotations(Map.of(), Map.of(), Map.of());

    /**
     * Copies the maps.
     *
     * @param answerTexts   answer text by pair id
     * @param intents       intent by pair id
     * @param questionTexts question text by pair id
     */
    public PairAnnotations {
        answerTexts = Map.copyOf(answerTexts);
        intents = Map.copyOf(intents);
        questionTexts = Map.copyOf(questionTexts);
    }

    /**
     * Answer texts and intents, no question texts.
     *
     * @param answerTexts answer text by pair id
     * @param intents     intent by pair id
     */
    public PairAnnotations(Map<String, String> answerTexts, Map<String, String> intents) {
        this(answerTexts, intents, Map.of());
    }
}
