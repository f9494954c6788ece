package dev.samvaad.eval;

import dev.samvaad.dataset.Split;
import dev.samvaad.infer.GenerationOptions;
import dev.samvaad.metrics.Machine;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link ResponseEvaluator} found: one {@link SplitResult} per split, in report order (val,
 * test-voice, test-paraphrase, test-slot, then any other), and how the answers were made.
 *
 * <pre>{@code
 * EvaluationReport report = evaluator.evaluate(items);
 * System.out.println(report.toTable());
 * new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(file, report.toJson(settings));
 * }</pre>
 *
 * @param splits           the per-split figures
 * @param codecFingerprint the codec that turned codes into audio
 * @param codecBitrate     its bitrate with every codebook, bits/s
 * @param generation       how the model picked codes
 */
public record EvaluationReport(List<SplitResult> splits, String codecFingerprint, double codecBitrate,
                               GenerationOptions generation) {

    /**
     * Copies the split list.
     *
     * @param splits           per-split figures, in report order
     * @param codecFingerprint the codec that turned codes into audio
     * @param codecBitrate     its bitrate with every codebook, bits/s
     * @param generation       how the model picked codes
     */
    public EvaluationReport {
        splits = List.copyOf(splits);
        Objects.requireNonNull(codecFingerprint, "codecFingerprint");
        Objects.requireNonNull(generation, "generation");
    }

    /**
     * The figures of one split.
     *
     * @param split the split
     * @return its figures, or empty when the evaluation had no item of it
     */
    public Optional<SplitResult> split(Split split) {
        return splits.stream().filter(r -> r.split() == split).findFirst();
    }

    /**
     * The report as maps and lists of plain values, ready for Jackson: {@code settings} as given,
     * the machine (cores, JVM, tensor kernels), codec, generation options and per-split figures.
     *
     * @param settings what the caller wants recorded beside the figures (model path, data, ...)
     * @return the report as a JSON tree of maps, lists and plain values
     */
    public Map<String, Object> toJson(Map<String, Object> settings) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("settings", new LinkedHashMap<>(settings));
        json.put("machine", Machine.describe());
        Map<String, Object> codec = new LinkedHashMap<>();
        codec.put("fingerprint", codecFingerprint);
        codec.put("bitrate", codecBitrate);
        json.put("codec", codec);
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("temperature", generation.temperature());
        options.put("topK", generation.topK());
        options.put("seed", generation.seed());
        options.put("maxFrames", generation.maxFrames());
        json.put("generation", options);
        List<Map<String, Object>> results = new ArrayList<>();
        for (SplitResult r : splits) {
            results.add(r.toJson());
        }
        json.put("splits", results);
        return json;
    }

    /** {@return a Markdown table, one row per split, with chance level beside retrieval accuracy} */
    public String toMarkdown() {
        StringBuilder md = new StringBuilder();
        md.append("| split | items | retrieval | 95% interval | candidates | chance | text exact | text CER | encoder intent "
                + "| question CER | code acc. | log-mel (dB) | length ratio | first audio p50 (ms) | first audio p95 (ms) | RTF |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (SplitResult r : splits) {
            md.append("| ").append(r.split().id())
                    .append(" | ").append(r.items())
                    .append(" | ").append(fixed(r.retrievalAccuracy(), 3))
                    .append(" (").append(r.retrievalCorrect()).append('/').append(r.items()).append(')')
                    .append(" | ").append(fixed(r.retrievalLow95(), 2)).append('-').append(fixed(r.retrievalHigh95(), 2))
                    .append(" | ").append(r.distinctAnswers())
                    .append(" | ").append(fixed(r.chance(), 3))
                    .append(" | ").append(fixed(r.textExactMatch(), 3))
                    .append(" | ").append(fixed(r.textCer(), 3))
                    .append(" | ").append(fixed(r.intentAccuracy(), 3))
                    .append(" | ").append(fixed(r.questionCer(), 3))
                    .append(" | ").append(fixed(r.codeAccuracy(), 3))
                    .append(" | ").append(fixed(r.logMelDistance(), 2))
                    .append(" | ").append(fixed(r.lengthRatio(), 2))
                    .append(" | ").append(fixed(r.firstAudioP50Ms(), 1))
                    .append(" | ").append(fixed(r.firstAudioP95Ms(), 1))
                    .append(" | ").append(fixed(r.meanRtf(), 3))
                    .append(" |\n");
        }
        md.append("\nRetrieval per intent (correct/items):\n\n| intent |");
        java.util.SortedSet<String> intents = new java.util.TreeSet<>();
        for (SplitResult r : splits) {
            md.append(' ').append(r.split().id()).append(" |");
            intents.addAll(r.perIntent().keySet());
        }
        md.append("\n|---|").append("---:|".repeat(splits.size())).append('\n');
        for (String intent : intents) {
            md.append("| ").append(intent).append(" |");
            for (SplitResult r : splits) {
                SplitResult.IntentResult i = r.perIntent().get(intent);
                md.append(' ').append(i == null ? "" : i.correct() + "/" + i.items()).append(" |");
            }
            md.append('\n');
        }
        return md.toString();
    }

    /** {@return a short fixed-width table for the console} */
    public String toTable() {
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "%-16s %5s %9s %7s %6s %6s %6s %6s %8s %8s %7s %8s %8s %7s%n", "split", "items", "retrieval", "chance", "text=",
                "CER", "intent", "q-CER", "code-acc", "log-mel", "len", "p50 ms", "p95 ms", "RTF"));
        for (SplitResult r : splits) {
            table.append(String.format(Locale.ROOT, "%-16s %5d %9s %7s %6s %6s %6s %6s %8s %8s %7s %8s %8s %7s%n",
                    r.split().id(), r.items(), fixed(r.retrievalAccuracy(), 3), fixed(r.chance(), 3),
                    fixed(r.textExactMatch(), 2), fixed(r.textCer(), 2), fixed(r.intentAccuracy(), 2),
                    fixed(r.questionCer(), 2),
                    fixed(r.codeAccuracy(), 3), fixed(r.logMelDistance(), 2), fixed(r.lengthRatio(), 2),
                    fixed(r.firstAudioP50Ms(), 1), fixed(r.firstAudioP95Ms(), 1), fixed(r.meanRtf(), 3)));
        }
        return table.toString();
    }

    private static String fixed(double value, int decimals) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%." + decimals + "f", value) : "-";
    }
}
