package dev.samvaad.agent;

import java.util.Arrays;
import java.util.Collection;

/**
 * Nearest-rank percentiles of the timings of many turns (only turns with reply audio count).
 *
 * @param turns          turns summarised
 * @param withAudio      turns whose reply had audio
 * @param firstAudioP50Ms end of speech -> first audio, median
 * @param firstAudioP95Ms end of speech -> first audio, 95th percentile
 * @param totalP50Ms     end of speech -> end of reply, median
 * @param totalP95Ms     end of speech -> end of reply, 95th percentile
 * @param rtfP50         real-time factor, median
 * @param rtfP95         real-time factor, 95th percentile
 * @param perceivedP50Ms the user's wait ({@link TurnReport#perceivedLatencyMs()}: silence waited + first audio), median
 * @param perceivedP95Ms the user's wait, 95th percentile
 */
public record LatencySummary(int turns, int withAudio, double firstAudioP50Ms, double firstAudioP95Ms,
                             double totalP50Ms, double totalP95Ms, double rtfP50, double rtfP95, double perceivedP50Ms,
                             double perceivedP95Ms) {

    /**
     * Summarises turns.
     *
     * @param reports the turns' reports
     * @return the percentiles over the turns with reply audio ({@code NaN} when there are none)
     */
    public static LatencySummary of(Collection<TurnReport> reports) {
        double[] first = reports.stream().filter(TurnReport::hasAudio).mapToDouble(TurnReport::firstAudioMs).toArray();
        double[] total = reports.stream().filter(TurnReport::hasAudio).mapToDouble(TurnReport::totalMs).toArray();
        double[] rtf = reports.stream().filter(TurnReport::hasAudio).mapToDouble(TurnReport::rtf).toArray();
        double[] perceived = reports.stream().filter(TurnReport::hasAudio).mapToDouble(TurnReport::perceivedLatencyMs)
                .toArray();
        return new LatencySummary(reports.size(), first.length, percentile(first, 50), percentile(first, 95),
                percentile(total, 50), percentile(total, 95), percentile(rtf, 50), percentile(rtf, 95),
                percentile(perceived, 50), percentile(perceived, 95));
    }

    /**
     * Nearest-rank percentile: the value at rank {@code ceil(p / 100 * n)} of the sorted values,
     * so always one of them; {@code NaN} when there are none.
     *
     * @param values the values, in any order (not modified)
     * @param p      percentile in {@code (0, 100]}
     * @return the percentile
     */
    public static double percentile(double[] values, double p) {
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], got " + p);
        }
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        // p * n first: 95 * 20 / 100 is exactly 19, 0.95 * 20 need not be.
        int rank = (int) Math.ceil(p * sorted.length / 100.0);
        return sorted[Math.max(rank, 1) - 1];
    }
}
