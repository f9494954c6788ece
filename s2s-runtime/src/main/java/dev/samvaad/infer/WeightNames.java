package dev.samvaad.infer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The transformer's parameters by name and shape: the contract between the SameDiff graph and the
 * pure-Java decoder. Linear layers compute {@code x W + b} with {@code W} of shape [in, out];
 * every array is row-major.
 *
 * <pre>
 * emb.enc, emb.dec                    [S*V, d]   sum of per-stream token embeddings (S = G*Q streams)
 * src.codebook [Q*V, D] (fixed)      instead of emb.enc when the encoder reads codec features,
 * src.conv.i.w [k, in, d], .b [d]     with its convolutions (in = D for the first, d after)
 * enc.i.ln1.g|b, enc.i.ln2.g|b        [d]
 * enc.i.attn.wq|wk|wv|wo              [d, d]     enc.i.attn.bq|bk|bv|bo [d]
 * enc.i.ff.w1 [d, f], b1 [f], w2 [f, d], b2 [d]
 * enc.ln.g|b                          [d]
 * dec.i.ln1|ln2|ln3.g|b               [d]
 * dec.i.self.*, dec.i.cross.*         as attn
 * dec.i.ff.*                          as enc
 * dec.ln.g|b                          [d]
 * head.w [d, S*V], head.b [S*V]
 * emb.text [Vt, d], head.text.w [d, Vt], head.text.b [Vt]   only with a text monologue
 * summary.w [d or intents, d], summary.b [d]               only with a question summary ([intents, d] of the intent posterior)
 * ctc.w [d, G*C], ctc.b [G*C]                              only with a CTC head over the question (C = symbols + blank)
 * intent.w [d or symbols, I], intent.b [I]                 only with an auxiliary intent loss ([symbols, I] reading the bag)
 * </pre>
 */
public final class WeightNames {
    private static final String[] ATTENTION = {"wq", "wk", "wv", "wo", "bq", "bk", "bv", "bo"};

    /** The codec's codebook entries a features-reading encoder dequantises with: carried, never trained. */
    public static final String SOURCE_CODEBOOK = "src.codebook";

    private WeightNames() {}

    /**
     * Whether a parameter is trained. Only {@link #SOURCE_CODEBOOK} is not: it is the codec's,
     * and the model must read the codes as the codec means them.
     *
     * @param name a parameter name
     * @return false for fixed parameters
     */
    public static boolean trained(String name) {
        return !SOURCE_CODEBOOK.equals(name);
    }

    /**
     * Every parameter of a model.
     *
     * @param c the model's shape
     * @return every parameter name with its shape, in a fixed order
     */
    public static Map<String, long[]> shapes(ModelConfig c) {
        long d = c.dModel(), f = c.ffDim(), qv = (long) c.streams() * c.layout().vocabulary();
        Map<String, long[]> out = new LinkedHashMap<>();
        if (c.readsFeatures()) {
            out.put(SOURCE_CODEBOOK, new long[] {(long) c.codebooks() * c.layout().vocabulary(), c.sourceFeatures()});
            for (int i = 0; i < c.sourceStrides().length; i++) {
                out.put("src.conv." + i + ".w", new long[] {ModelConfig.SOURCE_KERNEL, i == 0 ? c.sourceFeatures() : d, d});
                out.put("src.conv." + i + ".b", new long[] {d});
            }
        } else {
            out.put("emb.enc", new long[] {qv, d});
        }
        out.put("emb.dec", new long[] {qv, d});
        for (int i = 0; i < c.encoderLayers(); i++) {
            String p = "enc." + i + ".";
            norm(out, p + "ln1", d);
            attention(out, p + "attn", d);
            norm(out, p + "ln2", d);
            feedForward(out, p + "ff", d, f);
        }
        norm(out, "enc.ln", d);
        for (int i = 0; i < c.decoderLayers(); i++) {
            String p = "dec." + i + ".";
            norm(out, p + "ln1", d);
            attention(out, p + "self", d);
            norm(out, p + "ln2", d);
            attention(out, p + "cross", d);
            norm(out, p + "ln3", d);
            feedForward(out, p + "ff", d, f);
        }
        norm(out, "dec.ln", d);
        out.put("head.w", new long[] {d, qv});
        out.put("head.b", new long[] {qv});
        if (c.hasText()) {
            long vt = c.textVocabulary();
            out.put("emb.text", new long[] {vt, d});
            out.put("head.text.w", new long[] {d, vt});
            out.put("head.text.b", new long[] {vt});
        }
        if (c.summary()) {
            out.put("summary.w", new long[] {c.intentSummary() ? c.intents().size() : d, d});
            out.put("summary.b", new long[] {d});
        }
        if (c.recognisesQuestion()) {
            out.put("ctc.w", new long[] {d, (long) c.frameGroup() * c.ctcClasses()});
            out.put("ctc.b", new long[] {(long) c.frameGroup() * c.ctcClasses()});
        }
        if (!c.intents().isEmpty()) {
            out.put("intent.w", new long[] {c.bagIntent() ? c.questionSymbols().size() : d, c.intents().size()});
            out.put("intent.b", new long[] {c.intents().size()});
        }
        return out;
    }

    /**
     * The number of parameter values {@link #shapes} lists, computed without listing them (a
     * config read from a file may claim millions of layers).
     *
     * @param c the model's shape
     * @return the total number of values
     * @throws ArithmeticException if it does not fit in a long
     */
    public static long count(ModelConfig c) {
        long d = c.dModel(), f = c.ffDim(), qv = Math.multiplyExact(Math.multiplyExact((long) c.codebooks(), c.frameGroup()), c.layout().vocabulary());
        long attention = Math.addExact(Math.multiplyExact(4, Math.multiplyExact(d, d)), 4 * d);
        long feedForward = Math.addExact(Math.multiplyExact(2, Math.multiplyExact(d, f)), f + d);
        long encoderLayer = Math.addExact(Math.addExact(4 * d, attention), feedForward);
        long decoderLayer = Math.addExact(Math.addExact(6 * d, Math.multiplyExact(2, attention)), feedForward);
        long total = Math.addExact(Math.multiplyExact(2, Math.multiplyExact(qv, d)), qv + 4 * d);
        if (c.readsFeatures()) {
            long features = c.sourceFeatures();
            total = Math.addExact(total, Math.multiplyExact(Math.multiplyExact((long) c.codebooks(), c.layout().vocabulary()), features));
            int convs = c.sourceStrides().length;
            total = Math.addExact(total, Math.multiplyExact(Math.multiplyExact((long) ModelConfig.SOURCE_KERNEL, features), d));
            total = Math.addExact(total, Math.multiplyExact(Math.multiplyExact((long) ModelConfig.SOURCE_KERNEL * (convs - 1), d), d));
            total = Math.addExact(total, Math.multiplyExact((long) convs, d));
        } else {
            total = Math.addExact(total, Math.multiplyExact(qv, d));
        }
        total = Math.addExact(total, Math.multiplyExact(encoderLayer, c.encoderLayers()));
        if (c.hasText()) {
            total = Math.addExact(total, Math.addExact(Math.multiplyExact(2L * c.textVocabulary(), d), c.textVocabulary()));
        }
        if (c.summary()) {
            long in = c.intentSummary() ? c.intents().size() : d;
            total = Math.addExact(total, Math.addExact(Math.multiplyExact(in, d), d));
        }
        if (c.recognisesQuestion()) {
            total = Math.addExact(total, Math.multiplyExact(d + 1, (long) c.frameGroup() * c.ctcClasses()));
        }
        long intentIn = c.bagIntent() ? c.questionSymbols().size() : d;
        total = Math.addExact(total, Math.multiplyExact(intentIn + 1, (long) c.intents().size()));
        return Math.addExact(total, Math.multiplyExact(decoderLayer, c.decoderLayers()));
    }

    /**
     * The shape of one parameter.
     *
     * @param c    the model's shape
     * @param name a parameter name
     * @return its shape
     * @throws IllegalArgumentException if the model has no parameter of that name
     */
    public static long[] shape(ModelConfig c, String name) {
        long[] s = shapes(c).get(name);
        if (s == null) {
            throw new IllegalArgumentException("no parameter named '" + name + "' in this model");
        }
        return s;
    }

    /**
     * Seeded initial values: layer-norm gains 1 and biases 0, weights normal with standard
     * deviation {@code 1/sqrt(fan in)}; embeddings {@code 1/sqrt(Q)}, so a frame's sum of Q
     * embeddings starts at unit scale, like the positions added to it. A features-reading
     * encoder's {@link #SOURCE_CODEBOOK} starts as standard normal entries for the codes (zero
     * for PAD, BOS and EOS): a stand-in, which {@code dev.samvaad.model.CodeEmbeddings.initial} replaces by the codec's.
     *
     * @param c    the model's shape
     * @param seed decides every value
     * @return every parameter by name, row-major, in {@link #shapes} order
     */
    public static Map<String, float[]> initial(ModelConfig c, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : shapes(c).entrySet()) {
            String name = e.getKey();
            long[] shape = e.getValue();
            long size = 1;
            for (long dim : shape) {
                size *= dim;
            }
            float[] values = new float[Math.toIntExact(size)];
            if (name.endsWith(".g")) {
                java.util.Arrays.fill(values, 1f);
            } else if (name.equals(SOURCE_CODEBOOK)) {
                int dim = (int) shape[1];
                for (int row = 0; row < shape[0]; row++) {
                    if (row % c.layout().vocabulary() < c.codebookSize()) {
                        for (int i = 0; i < dim; i++) {
                            values[row * dim + i] = (float) rng.nextGaussian();
                        }
                    }
                }
            } else if (name.equals("summary.w")) {
                // Zero: a new model starts as one without the summary, and learns how much to use it.
                java.util.Arrays.fill(values, 0f);
            } else if (shape.length == 3) {
                double std = 1 / Math.sqrt(shape[0] * shape[1]); // a convolution: fan in is kernel x channels
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) (rng.nextGaussian() * std);
                }
            } else if (shape.length == 2) {
                double std = 1 / Math.sqrt(name.equals("emb.text") ? 1 : name.startsWith("emb.") ? c.streams() : shape[0]);
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) (rng.nextGaussian() * std);
                }
            }
            out.put(name, values);
        }
        return out;
    }

    private static void norm(Map<String, long[]> out, String p, long d) {
        out.put(p + ".g", new long[] {d});
        out.put(p + ".b", new long[] {d});
    }

    private static void attention(Map<String, long[]> out, String p, long d) {
        for (String part : ATTENTION) {
            out.put(p + "." + part, part.startsWith("w") ? new long[] {d, d} : new long[] {d});
        }
    }

    private static void feedForward(Map<String, long[]> out, String p, long d, long f) {
        out.put(p + ".w1", new long[] {d, f});
        out.put(p + ".b1", new long[] {f});
        out.put(p + ".w2", new long[] {f, d});
        out.put(p + ".b2", new long[] {d});
    }
}
