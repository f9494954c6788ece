package dev.samvaad.model;

import dev.samvaad.infer.ModelConfig;
import dev.samvaad.infer.WeightNames;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Initial code embeddings taken from the codec's codebooks. Embedding row {@code (q, k)} starts
 * as entry {@code k} of codebook {@code q} times one shared random projection to the model width,
 * so the sum of a frame's Q embeddings starts as the projection of the frame's quantised acoustic
 * features. Codes that sound alike then start close together, instead of as unrelated random
 * vectors the model must first learn to relate; with little data and few steps this decides
 * whether the encoder learns to recognise a question at all.
 *
 * <p>Each feature coordinate is divided by its spread over the first codebook's entries first,
 * so coordinates the codec weighted heavily (pitch) do not drown the others. The PAD, BOS and EOS
 * rows keep their random initial values.
 */
public final class CodeEmbeddings {
    private CodeEmbeddings() {}

    /**
     * {@link WeightNames#initial} with both embedding tables ({@code emb.enc}, {@code emb.dec})
     * started from {@code codeVectors} ({@code [Q][K][D]}, e.g. {@code RvqCodec.codeVectors()}).
     * A features-reading encoder ({@link ModelConfig#readsFeatures()}) has no {@code emb.enc}: its
     * fixed {@link WeightNames#SOURCE_CODEBOOK} becomes the vectors themselves.
     *
     * @param config      the model's shape
     * @param seed        decides the random weights and the projection
     * @param codeVectors the codec's codebook entries, {@code [Q][K][D]}
     * @return every parameter by {@link WeightNames} name, row-major
     * @throws IllegalArgumentException if the vectors do not have the config's Q and K (and, for a
     *     features-reading encoder, D)
     */
    public static Map<String, float[]> initial(ModelConfig config, long seed, float[][][] codeVectors) {
        int q = config.codebooks(), k = config.codebookSize(), d = config.dModel();
        if (codeVectors.length != q || codeVectors[0].length != k) {
            throw new IllegalArgumentException("the model reads " + q + " codebooks of " + k + " codes, the code vectors are "
                    + codeVectors.length + " x " + codeVectors[0].length);
        }
        int dim = codeVectors[0][0].length;
        if (config.readsFeatures() && dim != config.sourceFeatures()) {
            throw new IllegalArgumentException("the model's encoder reads " + config.sourceFeatures()
                    + " features per frame, the code vectors have " + dim);
        }
        float[] spread = spread(codeVectors[0], dim);
        // Scaled so a frame's summed embedding starts near unit variance, like the random init.
        // One projection per frame of a step (G of them), so a step's embedding keeps its frames' order.
        SplittableRandom rng = new SplittableRandom(seed ^ 0x5EEDC0DEL);
        int group = config.frameGroup();
        float[][] projection = new float[group][dim * d];
        for (float[] p : projection) {
            for (int i = 0; i < p.length; i++) {
                p[i] = (float) (rng.nextGaussian() / Math.sqrt(dim * group));
            }
        }
        Map<String, float[]> weights = new LinkedHashMap<>(WeightNames.initial(config, seed));
        for (String table : new String[] {"emb.enc", "emb.dec"}) {
            if (!weights.containsKey(table)) {
                continue; // a features-reading encoder has no emb.enc
            }
            float[] emb = weights.get(table).clone();
            int vocab = config.layout().vocabulary();
            for (int g = 0; g < group; g++) {
                for (int c = 0; c < q; c++) {
                    for (int code = 0; code < k; code++) {
                        int row = ((g * q + c) * vocab + code) * d;
                        float[] v = codeVectors[c][code];
                        for (int j = 0; j < d; j++) {
                            double sum = 0;
                            for (int i = 0; i < dim; i++) {
                                sum += v[i] / spread[i] * projection[g][i * d + j];
                            }
                            emb[row + j] = (float) sum;
                        }
                    }
                }
            }
            weights.put(table, emb);
        }
        if (config.readsFeatures()) {
            float[] table = new float[q * config.layout().vocabulary() * dim];
            for (int c = 0; c < q; c++) {
                for (int code = 0; code < k; code++) {
                    System.arraycopy(codeVectors[c][code], 0, table, (c * config.layout().vocabulary() + code) * dim, dim);
                }
            }
            weights.put(WeightNames.SOURCE_CODEBOOK, table);
        }
        return weights;
    }

    private static float[] spread(float[][] entries, int dim) {
        float[] out = new float[dim];
        for (int i = 0; i < dim; i++) {
            double sum = 0, sumSq = 0;
            for (float[] e : entries) {
                sum += e[i];
                sumSq += (double) e[i] * e[i];
            }
            double mean = sum / entries.length;
            out[i] = (float) Math.sqrt(Math.max(sumSq / entries.length - mean * mean, 1e-8));
        }
        return out;
    }
}
