package dev.samvaad.dataset.synth;

import java.util.Map;

/**
 * A concrete question and its answer, as text.
 *
 * @param intent   the intent id
 * @param wording  index of the question wording within the intent
 * @param slots    the slot values used (empty for intents without slots)
 * @param question the question text
 * @param answer   the answer text
 */
public record QaPair(String intent, int wording, Map<String, String> slots, String question, String answer) {}
