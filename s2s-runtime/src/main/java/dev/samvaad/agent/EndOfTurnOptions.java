package dev.samvaad.agent;

/**
 * When an agent with an {@link EndOfTurnPredictor} ends the user's turn: at the first frame of
 * silence, from {@code minSilenceMs} on, at which the predictor's probability that the user has
 * finished reaches {@code threshold}; and in any case after {@code maxSilenceMs} of silence.
 * Without a predictor the detector's fixed hangover ({@link VadOptions#hangoverMs()}) decides and
 * these options are not used.
 *
 * @param minSilenceMs silence before the predictor is asked, ms; 0 for the predictor's own (as trained)
 * @param maxSilenceMs silence that ends the turn whatever the predictor says, ms
 * @param threshold    the probability that ends the turn; {@code NaN} for the predictor's calibrated one
 */
public record EndOfTurnOptions(int minSilenceMs, int maxSilenceMs, double threshold) {

    /**
     * Checks the options.
     *
     * @param minSilenceMs silence before the predictor is asked, {@code >= 0} ms (0: the predictor's own)
     * @param maxSilenceMs silence that ends the turn anyway, ms, more than {@code minSilenceMs}
     * @param threshold    in (0, 1), or {@code NaN} for the predictor's own
     * @throws IllegalArgumentException naming the bad option
     */
    public EndOfTurnOptions {
        if (minSilenceMs < 0 || maxSilenceMs <= minSilenceMs) {
            throw new IllegalArgumentException("need 0 <= minSilenceMs < maxSilenceMs, got " + minSilenceMs + " and "
                    + maxSilenceMs);
        }
        if (!Double.isNaN(threshold) && !(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("threshold must be in (0, 1) (NaN: the predictor's own), got " + threshold);
        }
    }

    /** {@return the predictor's own minimum silence and threshold, at most 1 s of silence} */
    public static EndOfTurnOptions defaults() {
        return new EndOfTurnOptions(0, 1000, Double.NaN);
    }
}
