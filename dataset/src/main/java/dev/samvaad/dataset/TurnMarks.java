package dev.samvaad.dataset;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.samvaad.io.JsonKeys;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a question's speech really is: when the user starts, where they pause inside the turn and
 * where the turn ends (the last speech sample). Generated questions with pauses carry it in their
 * meta.json as {@code generator.turn} (see {@code generate-data --pauses}); end-of-turn training
 * and the turn-taking evaluation read it.
 *
 * <pre>{@code
 * "turn": { "speechStartS": 0.412, "speechEndS": 2.903, "tailEndS": 2.981,
 *           "pausesS": [[1.204, 1.731]], "phrases": ["...,", "..."] }
 * }</pre>
 *
 * @param speechStartSeconds the first speech sample, seconds from the start of {@code user.wav}
 * @param speechEndSeconds   one past the last speech sample: the true end of the turn
 * @param tailEndSeconds     one past the last sample of the speech's faint decay (at or after
 *                           {@code speechEndSeconds}; the same when none was marked)
 * @param pauses             the silences inside the turn, in order
 * @param phrases            the text of each phrase, as it was spoken
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TurnMarks(@JsonProperty("speechStartS") double speechStartSeconds,
                        @JsonProperty("speechEndS") double speechEndSeconds,
                        @JsonProperty("tailEndS") Double tailEndSeconds,
                        @JsonProperty("pausesS") List<Pause> pauses,
                        @JsonProperty("phrases") List<String> phrases) {

    /** The key of {@code meta.json}'s {@code generator} map that holds the marks. */
    public static final String KEY = "turn";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One silence inside a turn.
     *
     * @param startSeconds one past the last speech sample before it
     * @param endSeconds   the first speech sample after it
     */
    public record Pause(double startSeconds, double endSeconds) {
        /**
         * Checks the pause.
         *
         * @param startSeconds one past the last speech sample before it
         * @param endSeconds   the first speech sample after it, after {@code startSeconds}
         * @throws IllegalArgumentException if it is empty or not finite
         */
        public Pause {
            if (!Double.isFinite(startSeconds) || !Double.isFinite(endSeconds) || !(endSeconds > startSeconds)) {
                throw new IllegalArgumentException("a pause must end after it starts, got " + startSeconds + " to "
                        + endSeconds + " s");
            }
        }

        /** {@return the pause's length, ms} */
        public double millis() {
            return (endSeconds - startSeconds) * 1000;
        }

        /** JSON form: {@code [start, end]}. */
        @com.fasterxml.jackson.annotation.JsonValue
        List<Double> json() {
            return List.of(startSeconds, endSeconds);
        }

        @com.fasterxml.jackson.annotation.JsonCreator
        static Pause fromJson(List<Double> startEnd) {
            if (startEnd == null || startEnd.size() != 2 || startEnd.contains(null)) {
                throw new IllegalArgumentException("a pause is [start, end] in seconds, got " + startEnd);
            }
            return new Pause(startEnd.get(0), startEnd.get(1));
        }
    }

    /**
     * Copies the lists and checks that the marks are in order: start, pauses, end.
     *
     * @param speechStartSeconds the first speech sample, seconds
     * @param speechEndSeconds   one past the last speech sample
     * @param tailEndSeconds     one past the faint decay's last sample; {@code null} for {@code speechEndSeconds}
     * @param pauses             the silences inside the turn, in order; {@code null} for none
     * @param phrases            the text of each phrase; {@code null} for none recorded
     * @throws IllegalArgumentException if a mark is out of order or not finite
     */
    public TurnMarks {
        tailEndSeconds = tailEndSeconds == null ? Double.valueOf(speechEndSeconds) : tailEndSeconds;
        if (!Double.isFinite(tailEndSeconds) || tailEndSeconds < speechEndSeconds) {
            throw new IllegalArgumentException("the faint decay must end at or after the speech (" + speechEndSeconds
                    + " s), got " + tailEndSeconds + " s");
        }
        pauses = pauses == null ? List.of() : List.copyOf(pauses);
        phrases = phrases == null ? List.of() : List.copyOf(phrases);
        if (!Double.isFinite(speechStartSeconds) || !Double.isFinite(speechEndSeconds) || speechStartSeconds < 0
                || !(speechEndSeconds > speechStartSeconds)) {
            throw new IllegalArgumentException("speech must end after it starts, at or after 0 s; got "
                    + speechStartSeconds + " to " + speechEndSeconds + " s");
        }
        double at = speechStartSeconds;
        for (Pause p : pauses) {
            if (p.startSeconds() <= at || p.endSeconds() >= speechEndSeconds) {
                throw new IllegalArgumentException("pause " + p.startSeconds() + "-" + p.endSeconds()
                        + " s is not inside the speech (" + speechStartSeconds + "-" + speechEndSeconds
                        + " s) after the previous one");
            }
            at = p.endSeconds();
        }
    }

    /**
     * The marks of a pair's meta.json, if it has them.
     *
     * @param meta the pair's metadata
     * @return the marks, or empty when the question was not generated with them
     * @throws IllegalArgumentException when {@code generator.turn} is there but malformed
     */
    public static Optional<TurnMarks> of(PairMeta meta) {
        Object turn = meta.generator().get(KEY);
        if (turn == null) {
            return Optional.empty();
        }
        if (turn instanceof Map<?, ?> map) {
            // Marks written by earlier builds have snake_case keys ("speech_end_s").
            @SuppressWarnings("unchecked")
            Map<String, Object> keys = (Map<String, Object>) map;
            turn = JsonKeys.camelCaseKeys(keys);
        }
        try {
            return Optional.of(JSON.convertValue(turn, TurnMarks.class));
        } catch (IllegalArgumentException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : e;
            throw new IllegalArgumentException("generator." + KEY + " is malformed: " + cause.getMessage(), e);
        }
    }

    /** {@return the longest pause inside the turn, ms; 0 when there is none} */
    public double longestPauseMs() {
        return pauses.stream().mapToDouble(Pause::millis).max().orElse(0);
    }

    /** {@return the marks as meta.json holds them, seconds rounded to the millisecond} */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("speechStartS", round(speechStartSeconds));
        m.put("speechEndS", round(speechEndSeconds));
        m.put("tailEndS", round(tailEndSeconds));
        List<List<Double>> p = new ArrayList<>();
        for (Pause pause : pauses) {
            p.add(List.of(round(pause.startSeconds()), round(pause.endSeconds())));
        }
        m.put("pausesS", p);
        m.put("phrases", phrases);
        return m;
    }

    private static double round(double seconds) {
        return Math.round(seconds * 1e6) / 1e6;
    }
}
