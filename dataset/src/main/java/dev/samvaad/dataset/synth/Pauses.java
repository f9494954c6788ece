package dev.samvaad.dataset.synth;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a generated data set speaks its questions when they are to carry turn-taking marks
 * ({@code generate-data --pauses}): every question is assembled from its trimmed speech with
 * silence before and after and a low noise floor; a share of them (those of two or more words)
 * is cut at word boundaries into two or three phrases, spoken one by one and joined by pauses.
 * A phrase that is not the last is spoken ending in a comma (a TTS then gives it the intonation
 * of an unfinished sentence), the last one as the question is written. Some long pauses hold a
 * breath. Where the turn really ends, and where the pauses are, goes to meta.json
 * ({@link dev.samvaad.dataset.TurnMarks}). Nothing in this depends on the language beyond
 * words being separated by spaces; a question without spaces is spoken whole.
 *
 * @param share        the share of questions of two or more words spoken in phrases, 0..1
 * @param minPauseMs   shortest pause between phrases, ms
 * @param maxPauseMs   longest pause between phrases, ms
 * @param maxPhrases   most phrases per question, 2 or 3
 * @param breathShare  the share of pauses of at least {@value #BREATH_MIN_PAUSE_MS} ms that hold a breath, 0..1
 * @param trailMs      silence after the question, ms (longer than any end-of-turn wait)
 */
public record Pauses(double share, int minPauseMs, int maxPauseMs, int maxPhrases, double breathShare, int trailMs) {

    /** The shortest pause that may hold a breath, ms. */
    public static final int BREATH_MIN_PAUSE_MS = 350;

    /**
     * Checks the settings.
     *
     * @param share       the share of questions spoken in phrases, 0..1
     * @param minPauseMs  shortest pause, 20..5000 ms
     * @param maxPauseMs  longest pause, {@code minPauseMs}..5000 ms
     * @param maxPhrases  most phrases per question, 2 or 3
     * @param breathShare the share of long pauses that hold a breath, 0..1
     * @param trailMs     silence after the question, 0..10000 ms
     * @throws IllegalArgumentException naming the setting out of range
     */
    public Pauses {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException("--pauses must be 0..1 (the share of questions spoken with pauses), got "
                    + share);
        }
        if (minPauseMs < 20 || maxPauseMs > 5000 || maxPauseMs < minPauseMs) {
            throw new IllegalArgumentException("pauses must be 20..5000 ms with the shortest first, got " + minPauseMs
                    + "-" + maxPauseMs + " ms");
        }
        if (maxPhrases < 2 || maxPhrases > 3) {
            throw new IllegalArgumentException("a question is spoken in at most 2 or 3 phrases, got " + maxPhrases);
        }
        if (!(breathShare >= 0 && breathShare <= 1)) {
            throw new IllegalArgumentException("the share of pauses with a breath must be 0..1, got " + breathShare);
        }
        if (trailMs < 0 || trailMs > 10_000) {
            throw new IllegalArgumentException("the silence after a question must be 0..10000 ms, got " + trailMs);
        }
    }

    /**
     * The recipe: pauses of 150-700 ms, up to three phrases, a breath in a third of the
     * long pauses, 1.5 s of silence after the question.
     *
     * @param share the share of questions spoken in phrases, 0..1
     * @return the settings
     */
    public static Pauses of(double share) {
        return new Pauses(share, 150, 700, 3, 1.0 / 3, 1500);
    }

    /**
     * The same settings with another pause range.
     *
     * @param minMs shortest pause, ms
     * @param maxMs longest pause, ms
     * @return the settings
     */
    public Pauses withPauseRange(int minMs, int maxMs) {
        return new Pauses(share, minMs, maxMs, maxPhrases, breathShare, trailMs);
    }

    /** {@return the settings as dataset.json records them} */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("share", share);
        m.put("pauseMs", java.util.List.of(minPauseMs, maxPauseMs));
        m.put("maxPhrases", maxPhrases);
        m.put("breathShare", breathShare);
        m.put("trailMs", trailMs);
        m.put("assembly", PausedQuestion.VERSION);
        return m;
    }
}
