package dev.samvaad.training;

import java.util.Map;

/**
 * What the metadata says about each pair beyond its audio, by pair id: the answer's text (for the
 * model's monologue) and the intent (for the auxiliary intent loss). A pair missing from a map
 * trains without that part.
 *
 * @param answerTexts answer text by pair id
 * @param intents     intent by pair id
 */
public record PairAnnotations(Map<String, String> answerTexts, Map<String, String> intents) {
    /** No annotations: codes only. */
    public static final PairAnnotations NONE = new PairAnnotations(Map.of(), Map.of());

    /**
     * Copies the maps.
     *
     * @param answerTexts answer text by pair id
     * @param intents     intent by pair id
     */
    public PairAnnotations {
        answerTexts = Map.copyOf(answerTexts);
        intents = Map.copyOf(intents);
    }
}
