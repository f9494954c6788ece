package dev.samvaad.dataset.synth;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One thing a user may say, in several wordings, and the one answer to it.
 *
 * @param id        unique id, e.g. {@code "weather_city"}
 * @param category  coarse topic, e.g. {@code "weather"}
 * @param slots     placeholder name -> slot kind (a key of the corpus' slot lists); empty when none
 * @param questions the question wordings (templates when the intent has slots)
 * @param answer    the answer (a template when the intent has slots)
 * @param negativeWord how a negative arithmetic result is spoken (the corpus' {@code negativeWord},
 *                  e.g. {@code "మైనస్"}); {@code "-"} writes a minus sign
 */
public record Intent(String id, String category, Map<String, String> slots, List<Template> questions,
        Template answer, String negativeWord) {

    /**
     * Copies the slots and wordings; a blank {@code negativeWord} becomes {@code "-"}.
     *
     * @param id           unique id
     * @param category     coarse topic
     * @param slots        placeholder name -> slot kind
     * @param questions    the question wordings
     * @param answer       the answer
     * @param negativeWord how a negative arithmetic result is spoken
     */
    public Intent {
        // Declaration order, not Map.copyOf's per-JVM order: slot values are drawn in this order,
        // and a rerun must draw the same ones.
        slots = Collections.unmodifiableMap(new LinkedHashMap<>(slots));
        questions = List.copyOf(questions);
        negativeWord = negativeWord == null || negativeWord.isBlank() ? "-" : negativeWord.strip();
    }

    /** {@return whether the answer carries values taken from the question} */
    public boolean hasSlots() {
        return !slots.isEmpty();
    }

    /**
     * Fills in one wording.
     *
     * @param wording index into {@link #questions()}
     * @param values  a value for every slot
     * @return the question and answer texts for those values
     */
    public QaPair pair(int wording, Map<String, String> values) {
        return new QaPair(id, wording, Map.copyOf(values),
                questions.get(wording).fill(values, negativeWord), answer.fill(values, negativeWord));
    }
}
