package dev.samvaad.eval;

import dev.samvaad.dataset.Split;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The figures of one split. A figure that no item could give (e.g. latency when every answer was
 * empty) is {@code NaN}.
 *
 * @param split             the split
 * @param items             items evaluated
 * @param distinctAnswers   distinct answer texts of the whole data set, i.e. the candidates of retrieval
 * @param emptyAnswers      items for which the model generated no frame at all
 * @param retrievalCorrect  items whose generated audio was nearest to their own reference answer
 * @param retrievalAccuracy {@code retrievalCorrect / items}
 * @param chance            retrieval accuracy of a random pick, {@code 1 / distinctAnswers}
 * @param codeAccuracy      mean over items of the length-penalised code accuracy
 * @param logMelDistance    mean log-mel distance of generated from reference audio, dB, over non-empty answers
 * @param lengthRatio       mean over items of generated frames / reference frames
 * @param firstAudioP50Ms   median time from the start of the encoder run to the first answer audio, ms
 * @param firstAudioP95Ms   95th percentile of the same, ms
 * @param meanRtf           mean real-time factor: processing time / generated audio duration
 * @param meanProcessingMs  mean time of encoding, generating and decoding one answer, ms
 * @param retrievalLow95    lower end of the 95% Wilson score interval of the retrieval accuracy
 * @param retrievalHigh95   upper end of the same
 * @param perIntent         retrieval per intent: items and correct ones, by intent, sorted
 * @param textExactMatch    share of answers whose monologue text equals the reference text ({@code NaN}
 *                          for a model without a monologue)
 * @param textCer           mean character (code point) error rate of the monologue: edit distance over
 *                          the reference text's length ({@code NaN} without a monologue)
 * @param intentAccuracy    share of the items whose intent the encoder's auxiliary intent head names
 *                          ({@code FastDecoder.intentLogits}): whether the question was recognised,
 *                          apart from whether the answer was then generated right ({@code NaN} for a
 *                          model without the head, or items of intents it was not trained on)
 * @param questionCer       mean character error rate of what the encoder's CTC head hears in the
 *                          question ({@code FastDecoder.recognisedQuestion}) against its spoken text:
 *                          whether the encoder heard the words ({@code NaN} for a model without the
 *                          head or items without a question text)
 */
public record SplitResult(Split split, int items, int distinctAnswers, int emptyAnswers, int retrievalCorrect,
                          double retrievalAccuracy, double chance, double codeAccuracy, double logMelDistance,
                          double lengthRatio, double firstAudioP50Ms, double firstAudioP95Ms, double meanRtf,
                          double meanProcessingMs, double retrievalLow95, double retrievalHigh95,
                          java.util.SortedMap<String, IntentResult> perIntent, double textExactMatch,
                          double textCer, double intentAccuracy, double questionCer) {

    /**
     * Checks nothing but copies the per-intent map (sorted, unmodifiable); the figures are as the record describes them.
     *
     * @param split see the record
     * @param items see the record
     * @param distinctAnswers see the record
     * @param emptyAnswers see the record
     * @param retrievalCorrect see the record
     * @param retrievalAccuracy see the record
     * @param chance see the record
     * @param codeAccuracy see the record
     * @param logMelDistance see the record
     * @param lengthRatio see the record
     * @param firstAudioP50Ms see the record
     * @param firstAudioP95Ms see the record
     * @param meanRtf see the record
     * @param meanProcessingMs see the record
     * @param retrievalLow95 see the record
     * @param retrievalHigh95 see the record
     * @param perIntent see the record
     * @param textExactMatch see the record
     * @param textCer see the record
     * @param intentAccuracy see the record
     * @param questionCer see the record
     */
    public SplitResult {
        perIntent = java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(perIntent));
    }

    /**
     * Retrieval of one intent's items.
     *
     * @param items   items of the intent
     * @param correct of them, answered nearest their own reference
     */
    public record IntentResult(int items, int correct) {}

    /**
     * Character error rate: the Levenshtein distance between the code points of {@code hypothesis}
     * and {@code reference}, over the reference's length (the hypothesis's when the reference is empty, 0 when both are).
     *
     * @param hypothesis the text written
     * @param reference  the text expected
     * @return the rate, {@code >= 0}
     */
    public static double characterErrorRate(String hypothesis, String reference) {
        int[] h = hypothesis.codePoints().toArray(), r = reference.codePoints().toArray();
        if (r.length == 0) {
            return h.length == 0 ? 0 : 1;
        }
        int[] previous = new int[h.length + 1], current = new int[h.length + 1];
        for (int j = 0; j <= h.length; j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= r.length; i++) {
            current[0] = i;
            for (int j = 1; j <= h.length; j++) {
                int substitute = previous[j - 1] + (r[i - 1] == h[j - 1] ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return (double) previous[h.length] / r.length;
    }

    /**
     * The 95% Wilson score interval of a binomial proportion.
     *
     * @param successes successes
     * @param trials    trials, {@code >= 1}
     * @return {@code [low, high]}
     */
    public static double[] wilson95(int successes, int trials) {
        double z = 1.959963984540054, n = trials, p = successes / n;
        double centre = (p + z * z / (2 * n)) / (1 + z * z / n);
        double half = z / (1 + z * z / n) * Math.sqrt(p * (1 - p) / n + z * z / (4 * n * n));
        return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
    }

    /** {@return the figures as a JSON-ready map; {@code NaN} becomes {@code null}, which JSON can hold} */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("split", split.id());
        json.put("items", items);
        json.put("distinctAnswers", distinctAnswers);
        json.put("emptyAnswers", emptyAnswers);
        json.put("retrievalCorrect", retrievalCorrect);
        json.put("retrievalAccuracy", finite(retrievalAccuracy));
        json.put("retrievalInterval95", java.util.List.of(finite(retrievalLow95), finite(retrievalHigh95)));
        json.put("chance", finite(chance));
        json.put("codeAccuracy", finite(codeAccuracy));
        json.put("logMelDistanceDb", finite(logMelDistance));
        json.put("lengthRatio", finite(lengthRatio));
        json.put("firstAudioP50Ms", finite(firstAudioP50Ms));
        json.put("firstAudioP95Ms", finite(firstAudioP95Ms));
        json.put("meanRtf", finite(meanRtf));
        json.put("meanProcessingMs", finite(meanProcessingMs));
        json.put("textExactMatch", finite(textExactMatch));
        json.put("textCer", finite(textCer));
        json.put("encoderIntentAccuracy", finite(intentAccuracy));
        json.put("encoderQuestionCer", finite(questionCer));
        Map<String, Object> intents = new LinkedHashMap<>();
        perIntent.forEach((intent, r) -> intents.put(intent, Map.of("items", r.items(), "correct", r.correct())));
        json.put("perIntent", intents);
        return json;
    }

    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
