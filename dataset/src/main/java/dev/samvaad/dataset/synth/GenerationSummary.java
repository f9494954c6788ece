package dev.samvaad.dataset.synth;

import dev.samvaad.dataset.Split;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a generation run produced.
 *
 * @param pairsPerSplit   pairs in the data set per split (made now or found complete)
 * @param audioSeconds    seconds of audio in those pairs, user and assistant sides together
 * @param generated       pairs synthesised in this run
 * @param reused          pairs found complete from an earlier run and kept
 * @param elapsed         wall time of this run
 */
public record GenerationSummary(Map<Split, Integer> pairsPerSplit, double audioSeconds, int generated, int reused,
        Duration elapsed) {

    /**
     * Copies the counts.
     *
     * @param pairsPerSplit pairs in the data set per split
     * @param audioSeconds  seconds of audio in those pairs
     * @param generated     pairs synthesised in this run
     * @param reused        pairs found complete and kept
     * @param elapsed       wall time of this run
     */
    public GenerationSummary {
        pairsPerSplit = Map.copyOf(pairsPerSplit);
    }

    /** {@return the pairs synthesised per second of wall time in this run} */
    public double pairsPerSecond() {
        double s = elapsed.toNanos() / 1e9;
        return s > 0 ? generated / s : 0;
    }

    /** {@return the hours of audio in the data set} */
    public double audioHours() {
        return audioSeconds / 3600.0;
    }

    /** {@return a few lines for the console} */
    public String describe() {
        String splits = pairsPerSplit.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> String.format("  %-16s %6d", e.getKey().id(), e.getValue()))
                .collect(Collectors.joining(System.lineSeparator()));
        return String.format("pairs per split:%n%s%naudio: %.2f h (user + assistant)%n"
                        + "this run: %d generated, %d already complete, %.1f s, %.1f pairs/s",
                splits, audioHours(), generated, reused, elapsed.toMillis() / 1000.0, pairsPerSecond());
    }
}
