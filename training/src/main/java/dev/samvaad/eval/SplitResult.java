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
 * @param distinctAnswers   distinct answer texts, i.e. the candidates of retrieval
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
 */
public record SplitResult(Split split, int items, int distinctAnswers, int emptyAnswers, int retrievalCorrect,
                          double retrievalAccuracy, double chance, double codeAccuracy, double logMelDistance,
                          double lengthRatio, double firstAudioP50Ms, double firstAudioP95Ms, double meanRtf,
                          double meanProcessingMs) {

    /** {@return the figures as a JSON-ready map; {@code NaN} becomes {@code null}, which JSON can hold} */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("split", split.id());
        json.put("items", items);
        json.put("distinctAnswers", distinctAnswers);
        json.put("emptyAnswers", emptyAnswers);
        json.put("retrievalCorrect", retrievalCorrect);
        json.put("retrievalAccuracy", finite(retrievalAccuracy));
        json.put("chance", finite(chance));
        json.put("codeAccuracy", finite(codeAccuracy));
        json.put("logMelDistanceDb", finite(logMelDistance));
        json.put("lengthRatio", finite(lengthRatio));
        json.put("firstAudioP50Ms", finite(firstAudioP50Ms));
        json.put("firstAudioP95Ms", finite(firstAudioP95Ms));
        json.put("meanRtf", finite(meanRtf));
        json.put("meanProcessingMs", finite(meanProcessingMs));
        return json;
    }

    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
