package dev.samvaad.infer;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The validated, immutable weights of the transformer described by a {@link ModelConfig}.
 *
 * <p>Built from a map of row-major arrays named as the training graph names them ({@link
 * #expectedNames}, {@link #expectedShape}); linear layers there are {@code y = x W + b} with
 * {@code W} of shape {@code [in, out]}. Every weight is copied, and linear weights are stored
 * transposed ({@code [out][in]}) so each output of a mat-vec is one contiguous dot product.
 * Thread-safe: nothing changes after construction.
 */
final class TransformerWeights {

    /** {@code y = x W + b}, with {@code wt} holding {@code W} transposed: row {@code r} is output {@code r}. */
    record Linear(float[] wt, float[] b, int in, int out) {}

    /** LayerNorm gain and bias. */
    record Norm(float[] g, float[] b) {}

    /** Multi-head attention projections. */
    record Attention(Linear q, Linear k, Linear v, Linear o) {}

    /** Two-layer GELU feed-forward block. */
    record FeedForward(Linear up, Linear down) {}

    record EncoderLayer(Norm ln1, Attention attn, Norm ln2, FeedForward ff) {}

    record DecoderLayer(Norm ln1, Attention self, Norm ln2, Attention cross, Norm ln3, FeedForward ff) {}

    private final ModelConfig config;
    /** Code embeddings of the encoder {@code [S*V][d]}, or {@code null} for an encoder that reads codec features. */
    final float[] encEmbedding;
    /** The fixed dequantisation table {@code [Q*V][D]} of a features-reading encoder, else {@code null}. */
    final float[] sourceCodebook;
    /** Its convolutions' weights {@code [k][in][d]} (row-major, as the graph's) and biases, else {@code null}. */
    final float[][] sourceConvWeights;
    final float[][] sourceConvBiases;
    final float[] decEmbedding;
    final EncoderLayer[] encoder;
    final Norm encNorm;
    final DecoderLayer[] decoder;
    final Norm decNorm;
    final Linear head;
    /** Text embedding {@code [Vt][d]} and head, or {@code null} for a model without a monologue. */
    final float[] textEmbedding;
    final Linear textHead;
    /** The question summary's layer, or {@code null} for a model without one. */
    final Linear summary;
    /** The auxiliary intent head over the pooled encoder output (or the bag of symbols), or {@code null} for a model without one. */
    final Linear intent;
    /** The encoder's CTC head over the question's symbols, {@code [d] -> [G * C]}, or {@code null} for a model without one. */
    final Linear ctc;

    private TransformerWeights(ModelConfig config, Map<String, float[]> w) {
        this.config = config;
        encEmbedding = config.readsFeatures() ? null : w.get("emb.enc").clone();
        sourceCodebook = config.readsFeatures() ? w.get(WeightNames.SOURCE_CODEBOOK).clone() : null;
        int convs = config.readsFeatures() ? config.sourceStrides().length : 0;
        sourceConvWeights = config.readsFeatures() ? new float[convs][] : null;
        sourceConvBiases = config.readsFeatures() ? new float[convs][] : null;
        for (int i = 0; i < convs; i++) {
            sourceConvWeights[i] = w.get("src.conv." + i + ".w").clone();
            sourceConvBiases[i] = w.get("src.conv." + i + ".b").clone();
        }
        decEmbedding = w.get("emb.dec").clone();
        encoder = new EncoderLayer[config.encoderLayers()];
        for (int i = 0; i < encoder.length; i++) {
            String p = "enc." + i + ".";
            encoder[i] = new EncoderLayer(norm(w, p + "ln1"), attention(w, p + "attn", config),
                    norm(w, p + "ln2"), feedForward(w, p + "ff", config));
        }
        encNorm = norm(w, "enc.ln");
        decoder = new DecoderLayer[config.decoderLayers()];
        for (int i = 0; i < decoder.length; i++) {
            String p = "dec." + i + ".";
            decoder[i] = new DecoderLayer(norm(w, p + "ln1"), attention(w, p + "self", config),
                    norm(w, p + "ln2"), attention(w, p + "cross", config),
                    norm(w, p + "ln3"), feedForward(w, p + "ff", config));
        }
        decNorm = norm(w, "dec.ln");
        int qv = config.streams() * config.layout().vocabulary();
        head = linear(w, "head.w", "head.b", config.dModel(), qv);
        textEmbedding = config.hasText() ? w.get("emb.text").clone() : null;
        summary = !config.summary() ? null : linear(w, "summary.w", "summary.b",
                config.intentSummary() ? config.intents().size() : config.dModel(), config.dModel());
        intent = config.intents().isEmpty() ? null : linear(w, "intent.w", "intent.b",
                config.bagIntent() ? config.questionSymbols().size() : config.dModel(), config.intents().size());
        ctc = !config.recognisesQuestion() ? null
                : linear(w, "ctc.w", "ctc.b", config.dModel(), config.frameGroup() * config.ctcClasses());
        textHead = config.hasText() ? linear(w, "head.text.w", "head.text.b", config.dModel(), config.textVocabulary())
                : null;
    }

    /**
     * Validates {@code weights} against {@code config} and copies them.
     *
     * @throws IllegalArgumentException naming the first weight that is missing or has the wrong
     *                                  number of values, or listing the names {@code config} does not know
     */
    public static TransformerWeights of(ModelConfig config, Map<String, float[]> weights) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(weights, "weights");
        Map<String, int[]> spec = spec(config);
        for (Map.Entry<String, int[]> e : spec.entrySet()) {
            float[] value = weights.get(e.getKey());
            int expected = sizeOf(e.getValue());
            if (value == null) {
                throw new IllegalArgumentException("missing weight '" + e.getKey() + "' of shape "
                        + Arrays.toString(e.getValue()) + " (" + expected + " values)");
            }
            if (value.length != expected) {
                throw new IllegalArgumentException("weight '" + e.getKey() + "' must have " + expected
                        + " values (shape " + Arrays.toString(e.getValue()) + ") but has " + value.length);
            }
        }
        Set<String> unknown = new TreeSet<>(weights.keySet());
        unknown.removeAll(spec.keySet());
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown weights for this config: " + unknown);
        }
        return new TransformerWeights(config, weights);
    }

    public ModelConfig config() {
        return config;
    }

    /** Every weight name the model of {@code config} has, in a stable order (embeddings, encoder, decoder, head). */
    public static Set<String> expectedNames(ModelConfig config) {
        return Collections.unmodifiableSet(spec(config).keySet());
    }

    /**
     * The shape of weight {@code name} (row-major; linear weights are {@code [in, out]}).
     *
     * @throws IllegalArgumentException if the model of {@code config} has no such weight
     */
    public static int[] expectedShape(ModelConfig config, String name) {
        int[] shape = spec(config).get(name);
        if (shape == null) {
            throw new IllegalArgumentException("no weight named '" + name + "' in a model of " + config);
        }
        return shape.clone();
    }

    /** The shapes of {@link WeightNames}, the one definition shared with the SameDiff graph. */
    private static Map<String, int[]> spec(ModelConfig c) {
        Map<String, int[]> s = new LinkedHashMap<>();
        WeightNames.shapes(c).forEach((name, shape) -> s.put(name, Arrays.stream(shape).mapToInt(Math::toIntExact).toArray()));
        return s;
    }

    private static int sizeOf(int[] shape) {
        int n = 1;
        for (int dim : shape) {
            n = Math.multiplyExact(n, dim);
        }
        return n;
    }

    private static Norm norm(Map<String, float[]> w, String prefix) {
        return new Norm(w.get(prefix + ".g").clone(), w.get(prefix + ".b").clone());
    }

    private static Attention attention(Map<String, float[]> w, String prefix, ModelConfig c) {
        int d = c.dModel();
        return new Attention(linear(w, prefix + ".wq", prefix + ".bq", d, d),
                linear(w, prefix + ".wk", prefix + ".bk", d, d),
                linear(w, prefix + ".wv", prefix + ".bv", d, d),
                linear(w, prefix + ".wo", prefix + ".bo", d, d));
    }

    private static FeedForward feedForward(Map<String, float[]> w, String prefix, ModelConfig c) {
        return new FeedForward(linear(w, prefix + ".w1", prefix + ".b1", c.dModel(), c.ffDim()),
                linear(w, prefix + ".w2", prefix + ".b2", c.ffDim(), c.dModel()));
    }

    private static Linear linear(Map<String, float[]> w, String weight, String bias, int in, int out) {
        float[] src = w.get(weight);
        float[] t = new float[in * out];
        for (int i = 0; i < in; i++) {
            for (int o = 0; o < out; o++) {
                t[o * in + i] = src[i * out + o];
            }
        }
        return new Linear(t, w.get(bias).clone(), in, out);
    }
}
