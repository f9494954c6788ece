package dev.samvaad.dataset;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.samvaad.io.JsonKeys;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code meta.json} of one conversation pair. Users' own recordings may have none; generated
 * pairs always do.
 *
 * @param question  the user's question text
 * @param answer    the assistant's answer text
 * @param intent    the corpus intent id (or {@code "file"} / {@code "recorded"} outside the corpus)
 * @param voice     the user-side voice, e.g. {@code "espeak:te+m3 s=150 p=40"}
 * @param split     the evaluation split
 * @param slots     slot values carried from question to answer (empty when none)
 * @param generator how the pair was made: TTS, response source, seed, wording index, ..., under
 *                  camelCase keys ({@code userSeconds}); the snake_case keys of files written by
 *                  earlier builds ({@code user_seconds}) read as the same
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record PairMeta(
        String question,
        String answer,
        String intent,
        String voice,
        Split split,
        Map<String, String> slots,
        Map<String, Object> generator) {

    /**
     * Copies the maps; {@code null} maps become empty.
     *
     * @param question  the user's question text
     * @param answer    the assistant's answer text
     * @param intent    the corpus intent id
     * @param voice     the user-side voice
     * @param split     the evaluation split
     * @param slots     slot values carried from question to answer, or {@code null}
     * @param generator how the pair was made, or {@code null}; its keys are put in camelCase
     */
    public PairMeta {
        // Sorted, so meta.json files are stable and diffable.
        slots = slots == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(slots));
        generator = JsonKeys.camelCaseKeys(generator);
    }
}
