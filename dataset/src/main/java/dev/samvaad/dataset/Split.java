package dev.samvaad.dataset;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The evaluation splits of ../shared/DESIGN.md. Each test split holds out one thing the model
 * never saw in training.
 */
public enum Split {
    /** Training pairs. */
    TRAIN("train"),
    /** Pairs like the training ones (seen wordings, voices and slot values), kept for validation. */
    VAL("val"),
    /** Seen questions spoken by voices and at rates never used in training. */
    TEST_VOICE("test-voice"),
    /** Question wordings never used in training, of intents that were. */
    TEST_PARAPHRASE("test-paraphrase"),
    /** Slot values (names, cities, numbers) never used in training that the answer must carry. */
    TEST_SLOT("test-slot");

    private final String id;

    Split(String id) {
        this.id = id;
    }

    /** {@return the name used on disk and in reports, e.g. {@code "test-voice"}} */
    @JsonValue
    public String id() {
        return id;
    }

    /**
     * Parses an on-disk split name.
     *
     * @param id e.g. {@code "test-voice"}
     * @return the split
     * @throws IllegalArgumentException naming the known splits if {@code id} is none of them
     */
    @JsonCreator
    public static Split fromId(String id) {
        for (Split s : values()) {
            if (s.id.equals(id)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown split '" + id + "' (known: "
                + Arrays.stream(values()).map(Split::id).collect(Collectors.joining(", ")) + ")");
    }

    @Override
    public String toString() {
        return id;
    }
}
