package dev.samvaad.training;

import dev.samvaad.dataset.CodePair;
import dev.samvaad.infer.FastDecoder;
import dev.samvaad.infer.FrameListener;
import dev.samvaad.infer.GenerationOptions;
import dev.samvaad.metrics.Dtw;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Retrieval accuracy of freely generated answers, measured on codes, for choosing checkpoints:
 * the model answers each question greedily with the {@link FastDecoder}, and the answer counts as
 * right when, of all distinct answers in the data set, the nearest (DTW over the codec's
 * dequantised features) is the item's own. Teacher-forced validation loss rewards continuing
 * answers well; this rewards choosing the right one, which is what generation needs. It is the
 * evaluator's protocol without the decoding to audio and MFCCs, so it is cheap enough to run
 * after every epoch.
 */
final class FreeRunningRetrieval {
    private final List<CodePair> items;
    private final List<float[][]> candidates = new ArrayList<>();
    private final int[] candidateOfItem;
    private final float[][][] codeVectors;

    /**
     * @param items       the questions to answer, with their reference answers
     * @param all         every pair of the data set: their distinct answers are the candidates
     * @param codeVectors the codec's codebooks {@code [Q][K][D]}, to turn codes into features
     */
    FreeRunningRetrieval(List<CodePair> items, List<CodePair> all, float[][][] codeVectors) {
        this.items = List.copyOf(items);
        this.codeVectors = codeVectors;
        Map<String, Integer> index = new LinkedHashMap<>();
        for (CodePair pair : all) {
            String key = key(pair.target());
            if (!index.containsKey(key)) {
                index.put(key, candidates.size());
                candidates.add(features(pair.target()));
            }
        }
        candidateOfItem = new int[this.items.size()];
        for (int i = 0; i < candidateOfItem.length; i++) {
            Integer c = index.get(key(this.items.get(i).target()));
            if (c == null) {
                throw new IllegalArgumentException("item " + this.items.get(i).id() + " is not among the pairs given");
            }
            candidateOfItem[i] = c;
        }
    }

    /** {@return the number of distinct answers} */
    int candidates() {
        return candidates.size();
    }

    /**
     * Answers every item and scores it.
     *
     * @param decoder the model now
     * @return the share of items whose answer is nearest their own reference
     */
    double accuracy(FastDecoder decoder) {
        if (items.isEmpty()) {
            return Double.NaN;
        }
        int correct = 0;
        for (int i = 0; i < items.size(); i++) {
            int[][] answer = decoder.start(items.get(i).input()).generate(GenerationOptions.greedy(), FrameListener.none());
            if (answer[0].length == 0) {
                continue;
            }
            correct += Dtw.nearest(features(answer), candidates) == candidateOfItem[i] ? 1 : 0;
        }
        return (double) correct / items.size();
    }

    /** Each frame's dequantised feature vector: the sum of its codes' codebook entries. */
    private float[][] features(int[][] codes) {
        int frames = codes[0].length, dim = codeVectors[0][0].length;
        float[][] out = new float[frames][dim];
        for (int t = 0; t < frames; t++) {
            for (int q = 0; q < codes.length; q++) {
                float[] v = codeVectors[q][codes[q][t]];
                for (int j = 0; j < dim; j++) {
                    out[t][j] += v[j];
                }
            }
        }
        return out;
    }

    private static String key(int[][] codes) {
        return Arrays.deepToString(codes);
    }
}
