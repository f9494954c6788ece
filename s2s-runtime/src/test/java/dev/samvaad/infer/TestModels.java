package dev.samvaad.infer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** Seeded random weights and codes for the decoder tests. */
final class TestModels {
    private TestModels() {}

    /** Every weight gaussian * {@code scale}, from {@code seed}. */
    static Map<String, float[]> randomWeights(ModelConfig config, long seed, double scale) {
        Random rng = new Random(seed);
        Map<String, float[]> weights = new LinkedHashMap<>();
        for (String name : TransformerWeights.expectedNames(config)) {
            int size = 1;
            for (int dim : TransformerWeights.expectedShape(config, name)) {
                size *= dim;
            }
            float[] w = new float[size];
            for (int i = 0; i < size; i++) {
                w[i] = (float) (rng.nextGaussian() * scale);
            }
            weights.put(name, w);
        }
        return weights;
    }

    /** {@code [Q][frames]} codes uniform in {@code [0, limit)}. */
    static int[][] randomCodes(int codebooks, int frames, int limit, long seed) {
        Random rng = new Random(seed);
        int[][] codes = new int[codebooks][frames];
        for (int c = 0; c < codebooks; c++) {
            for (int t = 0; t < frames; t++) {
                codes[c][t] = rng.nextInt(limit);
            }
        }
        return codes;
    }

    /** Adds {@code delta} to the head bias of token {@code token} in codebook {@code codebook}. */
    static void biasHead(ModelConfig config, Map<String, float[]> weights, int codebook, int token, float delta) {
        weights.get("head.b")[codebook * config.layout().vocabulary() + token] += delta;
    }
}
