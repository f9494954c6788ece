package dev.samvaad.infer;

import dev.samvaad.codec.CodeLayout;
import dev.samvaad.infer.TransformerWeights.Attention;
import dev.samvaad.infer.TransformerWeights.DecoderLayer;
import dev.samvaad.infer.TransformerWeights.EncoderLayer;
import dev.samvaad.infer.TransformerWeights.FeedForward;
import dev.samvaad.infer.TransformerWeights.Linear;
import dev.samvaad.infer.TransformerWeights.Norm;
import dev.samvaad.tensor.FloatKernels;
import dev.samvaad.tensor.Positions;
import dev.samvaad.tensor.Sampler;
import dev.samvaad.tensor.TensorOps;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Pure-Java inference for the encoder-decoder transformer over codec codes, with a key/value
 * cache so each generated frame costs one decoder pass over one position.
 *
 * <p>The math is exactly that of the SameDiff training graph: summed per-codebook embeddings plus
 * sinusoidal positions, pre-LN layers (LayerNorm eps 1e-5, biased variance), tanh GELU, attention
 * scaled by {@code 1/sqrt(headDim)} with masked keys given {@code -1e9} before the softmax, and a
 * final LayerNorm on both stacks. {@link #forwardFull} recomputes everything without a cache and
 * is the reference for both the cached path and the SameDiff graph.
 *
 * <p>Immutable and thread-safe: one instance serves any number of concurrent {@link Session}s,
 * each of which owns its buffers and cache.
 */
public final class FastDecoder {
    private static final float LN_EPS = 1e-5f;
    /** The additive mask of the training graph; exp(-1e9 - max) is exactly 0 in float. */
    private static final float MASKED = -1e9f;

    private final ModelConfig config;
    private final TransformerWeights weights;
    private final TensorOps ops;
    private final FloatKernels kernels;
    /** Sinusoidal positions, {@code [positions][d]}. */
    private final float[] positions;
    private final float attentionScale;

    private FastDecoder(TransformerWeights weights) {
        this.config = weights.config();
        this.weights = weights;
        this.ops = TensorOps.create();
        this.kernels = ops.kernels();
        this.positions = Positions.sinusoid(config.positions(), config.dModel());
        this.attentionScale = (float) (1.0 / Math.sqrt(config.headDim()));
    }

    /** A decoder over already validated weights. */
    static FastDecoder of(TransformerWeights weights) {
        return new FastDecoder(Objects.requireNonNull(weights, "weights"));
    }

    /**
     * A decoder over a model's weights, e.g. {@code S2sModel.weights()} or a loaded checkpoint's.
     *
     * @param config  the model's shape
     * @param weights every parameter by name, row-major (the names of
     *                {@link dev.samvaad.infer.WeightNames#shapes})
     * @return the decoder; immutable and thread-safe
     * @throws IllegalArgumentException if a weight is missing, unknown or of the wrong size
     */
    public static FastDecoder of(ModelConfig config, Map<String, float[]> weights) {
        return of(TransformerWeights.of(config, weights));
    }

    /** {@return the model's shape} */
    public ModelConfig config() {
        return config;
    }

    /** {@return the step that starts every decoder input: BOS in each of the {@code G * Q} streams} */
    public int[] bosFrame() {
        int[] frame = new int[config.streams()];
        Arrays.fill(frame, config.layout().bos());
        return frame;
    }

    /**
     * Encodes {@code sourceCodes} and returns a session ready for its first {@link Session#step}
     * (the BOS step) or {@link Session#generate}.
     *
     * @param sourceCodes {@code [Q][Ts]} codes in {@code [0, K)}, {@code 1 <= Ts <= maxFrames}
     * @return a new session owning its cache
     */
    public Session start(int[][] sourceCodes) {
        int frames = checkCodes("sourceCodes", sourceCodes, config.codebooks(), config.codebookSize(), config.maxFrames());
        int[][] steps = FrameGroups.source(config, sourceCodes);
        return new Session(encode(steps, steps[0].length), steps[0].length, frames);
    }

    /**
     * What the encoder's auxiliary intent head (a training loss, {@link ModelConfig#intents()})
     * makes of a question: a diagnostic that tells a question the encoder did not recognise from
     * an answer the decoder got wrong. Generation never reads it.
     *
     * @param sourceCodes {@code [Q][Ts]} codes in {@code [0, K)}, {@code 1 <= Ts <= maxFrames}
     * @return one logit per intent of {@link ModelConfig#intents()}
     * @throws IllegalStateException if the model was trained without intents
     */
    public float[] intentLogits(int[][] sourceCodes) {
        int frames = checkCodes("sourceCodes", sourceCodes, config.codebooks(), config.codebookSize(), config.maxFrames());
        if (weights.intent == null) {
            throw new IllegalStateException("the model was trained without an intent loss");
        }
        int[][] steps = FrameGroups.source(config, sourceCodes);
        int rows = steps[0].length;
        return read(encode(steps, rows), rows, frames).intentLogits();
    }

    /**
     * What the encoder's CTC head ({@link ModelConfig#recognisesQuestion()}, a training loss)
     * hears in a question: the most likely class of each frame, repeats merged and blanks dropped.
     * A diagnostic of whether the encoder heard the words; generation never reads it.
     *
     * @param sourceCodes {@code [Q][Ts]} codes in {@code [0, K)}, {@code 1 <= Ts <= maxFrames}
     * @return the recognised text, in {@link ModelConfig#questionSymbols()}
     * @throws IllegalStateException if the model has no CTC head
     */
    public String recognisedQuestion(int[][] sourceCodes) {
        int frames = checkCodes("sourceCodes", sourceCodes, config.codebooks(), config.codebookSize(), config.maxFrames());
        if (weights.ctc == null) {
            throw new IllegalStateException("the model's encoder was trained without recognising the question");
        }
        int[][] steps = FrameGroups.source(config, sourceCodes);
        int rows = steps[0].length, classes = config.ctcClasses();
        float[] logits = ctcLogits(encode(steps, rows), rows, frames);
        StringBuilder text = new StringBuilder();
        int previous = 0;
        for (int f = 0; f < frames; f++) {
            int best = TensorOps.argmax(logits, f * classes, classes);
            if (best != 0 && best != previous) {
                text.append(config.questionSymbols().get(best - 1));
            }
            previous = best;
        }
        return text.toString();
    }

    /**
     * The CTC head's logits of a question's {@code codecFrames} real frames, {@code [frames][C]}:
     * each encoder row gives its step's G frames (those past the question's end left out).
     */
    private float[] ctcLogits(float[] enc, int rows, int codecFrames) {
        int g = config.frameGroup(), classes = config.ctcClasses(), d = config.dModel();
        float[] step = new float[g * classes];
        float[] out = new float[codecFrames * classes];
        for (int t = 0; t < rows; t++) {
            linear(weights.ctc, enc, t * d, step, 0);
            System.arraycopy(step, 0, out, t * g * classes, Math.min(g, codecFrames - t * g) * classes);
        }
        return out;
    }

    /**
     * What the decoder reads of the question besides its encoder rows.
     *
     * @param intentLogits the intent head's logits, or {@code null} for a model without the head
     * @param summary      the summary added to every decoder row, or {@code null} for none
     */
    private record Reading(float[] intentLogits, float[] summary) {}

    /**
     * The intent head and the summary over a question's encoder output {@code [rows][d]} of
     * {@code codecFrames} real frames, as the graph computes them.
     */
    private Reading read(float[] enc, int rows, int codecFrames) {
        if (weights.summary == null && weights.intent == null) {
            return new Reading(null, null);
        }
        float[] pooled = pool(enc, rows);
        float[] intent = null;
        if (weights.intent != null) {
            intent = new float[config.intents().size()];
            linear(weights.intent, config.bagIntent() ? bag(enc, rows, codecFrames) : pooled, 0, intent, 0);
        }
        float[] summary = null;
        if (weights.summary != null) {
            summary = new float[config.dModel()];
            float[] in = pooled;
            if (config.intentSummary()) {
                in = intent.clone(); // the head's posterior
                TensorOps.softmaxInPlace(in, 0, in.length);
            }
            linear(weights.summary, in, 0, summary, 0);
        }
        return new Reading(intent, summary);
    }

    /**
     * The question's bag of recognised symbols: the CTC head's posteriors of each real frame
     * (blank left out) summed, as a share of their total, times {@link ModelConfig#BAG_SCALE}.
     */
    private float[] bag(float[] enc, int rows, int codecFrames) {
        int classes = config.ctcClasses();
        float[] logits = ctcLogits(enc, rows, codecFrames);
        float[] bag = new float[classes - 1];
        for (int f = 0; f < codecFrames; f++) {
            TensorOps.softmaxInPlace(logits, f * classes, classes);
            for (int k = 1; k < classes; k++) {
                bag[k - 1] += logits[f * classes + k];
            }
        }
        float total = 0;
        for (float v : bag) {
            total += v;
        }
        for (int k = 0; k < bag.length; k++) {
            bag[k] = bag[k] / (total + 1e-6f) * ModelConfig.BAG_SCALE;
        }
        return bag;
    }

    /**
     * The logits of a full forward pass without any cache: for each decoder position {@code p},
     * the logits of the step after it, {@code [S * V]} viewed as {@code [S][V]} (S = G * Q streams,
     * see {@link FrameGroups}).
     *
     * @param sourceCodes  {@code [Q][Ts]} codes in {@code [0, K)}, in frames
     * @param decoderInput {@code [S][Td]} tokens in {@code [0, V)}, in steps: normally the BOS step
     *                     then the answer's groups
     * @return {@code [Td][S * V]}
     */
    public float[][] forwardFull(int[][] sourceCodes, int[][] decoderInput) {
        if (weights.textEmbedding != null) {
            throw new IllegalStateException("the model writes a text monologue first: use forwardFull(source, text, codes)");
        }
        checkCodes("sourceCodes", sourceCodes, config.codebooks(), config.codebookSize(), config.maxFrames());
        int[][] source = FrameGroups.source(config, sourceCodes);
        int ts = source[0].length;
        int td = checkCodes("decoderInput", decoderInput, config.streams(), config.layout().vocabulary(), config.positions());
        float[] enc = encode(source, ts);
        float[] x = embed(weights.decEmbedding, decoderInput, td);
        if (weights.textEmbedding != null) {
            for (int t = 0; t < td; t++) {
                kernels.axpy(1f, weights.textEmbedding, ModelConfig.TEXT_CODE * config.dModel(), x, t * config.dModel(),
                        config.dModel());
            }
        }
        addSummary(x, td, read(enc, ts, sourceCodes[0].length).summary());
        float[] h = decodeAll(x, td, td, enc, ts);
        float[][] logits = new float[td][weights.head.out()];
        for (int t = 0; t < td; t++) {
            linear(weights.head, h, t * config.dModel(), logits[t], 0);
        }
        return logits;
    }

    /**
     * The logits of a full forward pass of a model with a monologue: the text rows, then the code
     * steps, as the training graph lays them out for one unpadded row.
     *
     * @param sourceCodes  {@code [Q][Ts]} codes in {@code [0, K)}, in frames
     * @param textInput    the text rows: TEXT_BOS then the answer's text tokens
     * @param decoderInput {@code [S][Td]} code steps: the BOS step then the answer's groups
     * @return per row (text rows first), the text logits {@code [rows][Vt]} and code logits {@code [rows][S * V]}
     * @throws IllegalStateException if the model has no text monologue
     */
    public FullLogits forwardFull(int[][] sourceCodes, int[] textInput, int[][] decoderInput) {
        if (weights.textEmbedding == null) {
            throw new IllegalStateException("the model has no text monologue");
        }
        checkCodes("sourceCodes", sourceCodes, config.codebooks(), config.codebookSize(), config.maxFrames());
        int[][] source = FrameGroups.source(config, sourceCodes);
        int ts = source[0].length;
        int td = checkCodes("decoderInput", decoderInput, config.streams(), config.layout().vocabulary(), config.positions());
        int lt = textInput.length, d = config.dModel();
        if (lt < 1 || lt > config.positions()) {
            throw new IllegalArgumentException("textInput must have 1 to " + config.positions() + " tokens, got " + lt);
        }
        float[] enc = encode(source, ts);
        float[] codes = embed(weights.decEmbedding, decoderInput, td);
        float[] x = new float[(lt + td) * d];
        int[] pad = new int[config.streams()];
        Arrays.fill(pad, config.layout().pad());
        for (int i = 0; i < lt; i++) {
            if (textInput[i] < 0 || textInput[i] >= config.textVocabulary()) {
                throw new IllegalArgumentException("textInput[" + i + "] = " + textInput[i] + " is outside [0, "
                        + config.textVocabulary() + ")");
            }
            embedFrame(weights.decEmbedding, pad, i, x, i * d);
            kernels.axpy(1f, weights.textEmbedding, textInput[i] * d, x, i * d, d);
        }
        System.arraycopy(codes, 0, x, lt * d, td * d);
        for (int t = 0; t < td; t++) {
            kernels.axpy(1f, weights.textEmbedding, ModelConfig.TEXT_CODE * d, x, (lt + t) * d, d);
        }
        // The rows that read the question: all, or the text rows only (they come first).
        int reading = config.codesReadTextOnly() ? lt : lt + td;
        addSummary(x, reading, read(enc, ts, sourceCodes[0].length).summary());
        float[] h = decodeAll(x, lt + td, reading, enc, ts);
        float[][] text = new float[lt + td][config.textVocabulary()];
        float[][] code = new float[lt + td][weights.head.out()];
        for (int r = 0; r < lt + td; r++) {
            linear(weights.textHead, h, r * d, text[r], 0);
            linear(weights.head, h, r * d, code[r], 0);
        }
        return new FullLogits(text, code);
    }

    /**
     * Both heads' logits at every decoder row of a full pass.
     *
     * @param text  {@code [rows][Vt]}
     * @param codes {@code [rows][S * V]}
     */
    public record FullLogits(float[][] text, float[][] codes) {}

    /**
     * The decoder stack over {@code rows} embedded rows with causal self-attention, the first
     * {@code crossRows} of them also reading the encoder output; final-normalised rows.
     */
    private float[] decodeAll(float[] x, int rows, int crossRows, float[] enc, int ts) {
        int d = config.dModel();
        float[] h = new float[rows * d];
        float[] q = new float[rows * d];
        float[] k = new float[rows * d];
        float[] v = new float[rows * d];
        float[] ctx = new float[rows * d];
        float[] crossK = new float[ts * d];
        float[] crossV = new float[ts * d];
        float[] hidden = new float[rows * config.ffDim()];
        for (DecoderLayer layer : weights.decoder) {
            layerNormRows(x, layer.ln1(), h, rows);
            attentionBlock(layer.self(), h, rows, h, rows, rows, true, q, k, v, ctx, x);
            layerNormRows(x, layer.ln2(), h, rows);
            attentionBlock(layer.cross(), h, crossRows, enc, ts, ts, false, q, crossK, crossV, ctx, x);
            layerNormRows(x, layer.ln3(), h, rows);
            feedForwardRows(layer.ff(), h, rows, hidden, ctx, x);
        }
        layerNormRows(x, weights.decNorm, h, rows);
        return h;
    }

    // ---------------------------------------------------------------- full-sequence path

    /** Final-normalised encoder output {@code [Ts][d]} of one unpadded source, in steps. */
    private float[] encode(int[][] codes, int frames) {
        int d = config.dModel();
        float[] x;
        if (config.readsFeatures()) {
            x = sourceFeatures(codes, frames);
            for (int i = 0; i < x.length; i++) {
                x[i] += positions[i];
            }
        } else if (config.sourceNorm()) {
            x = embedTokens(weights.encEmbedding, codes, frames);
            subtractMean(x, frames, d);
            for (int i = 0; i < x.length; i++) {
                x[i] += positions[i];
            }
        } else {
            x = embed(weights.encEmbedding, codes, frames);
        }
        float[] h = new float[frames * d];
        float[] q = new float[frames * d];
        float[] k = new float[frames * d];
        float[] v = new float[frames * d];
        float[] ctx = new float[frames * d];
        float[] hidden = new float[frames * config.ffDim()];
        for (EncoderLayer layer : weights.encoder) {
            layerNormRows(x, layer.ln1(), h, frames);
            // The source is one unpadded sequence: its length is the valid-key count of the mask.
            attentionBlock(layer.attn(), h, frames, h, frames, frames, false, q, k, v, ctx, x);
            layerNormRows(x, layer.ln2(), h, frames);
            feedForwardRows(layer.ff(), h, frames, hidden, ctx, x);
        }
        float[] out = new float[frames * d];
        layerNormRows(x, weights.encNorm, out, frames);
        return out;
    }

    /**
     * The graph's features input {@code [steps][d]}: each frame's codes dequantised by the fixed
     * codebook table, each coordinate normalised over the question's frames (PAD frames of the
     * last step excluded, and zero), then the convolutions down to one vector per step.
     */
    private float[] sourceFeatures(int[][] codes, int steps) {
        int q = config.codebooks(), g = config.frameGroup(), dim = config.sourceFeatures(), vocab = config.layout().vocabulary();
        float[] feats = new float[steps * g * dim];
        boolean[] real = new boolean[steps * g];
        int count = 0;
        for (int t = 0; t < steps; t++) {
            for (int f = 0; f < g; f++) {
                int frame = t * g + f;
                real[frame] = codes[f * q][t] < config.codebookSize();
                if (!real[frame]) {
                    continue;
                }
                count++;
                for (int c = 0; c < q; c++) {
                    kernels.axpy(1f, weights.sourceCodebook, (c * vocab + codes[f * q + c][t]) * dim, feats, frame * dim, dim);
                }
            }
        }
        for (int i = 0; i < dim; i++) {
            double sum = 0;
            for (int frame = 0; frame < real.length; frame++) {
                sum += real[frame] ? feats[frame * dim + i] : 0;
            }
            float mean = (float) (sum / count);
            double sumSq = 0;
            for (int frame = 0; frame < real.length; frame++) {
                float centred = real[frame] ? feats[frame * dim + i] - mean : 0f;
                feats[frame * dim + i] = centred;
                sumSq += (double) centred * centred;
            }
            float inv = (float) (1.0 / Math.sqrt(sumSq / count + ModelConfig.FEATURE_EPS));
            for (int frame = 0; frame < real.length; frame++) {
                feats[frame * dim + i] *= inv;
            }
        }
        float[] h = feats;
        int width = steps * g, channels = dim;
        int[] strides = config.sourceStrides();
        for (int i = 0; i < strides.length; i++) {
            int out = (width + strides[i] - 1) / strides[i];
            h = conv1d(h, width, channels, weights.sourceConvWeights[i], weights.sourceConvBiases[i], strides[i], out);
            TensorOps.geluInPlace(h, 0, h.length);
            width = out;
            channels = config.dModel();
        }
        return h;
    }

    /**
     * A 1-D convolution over {@code width} positions of {@code in} channels ({@code [width][in]}),
     * weights {@code [k][in][d]}, zero padding as SameDiff's "same" mode places it (the
     * {@code (out - 1) * stride + k - width} padding positions split with the smaller half first).
     */
    private float[] conv1d(float[] x, int width, int in, float[] w, float[] bias, int stride, int outWidth) {
        int d = config.dModel(), k = ModelConfig.SOURCE_KERNEL;
        int padLeft = Math.max((outWidth - 1) * stride + k - width, 0) / 2;
        float[] y = new float[outWidth * d];
        for (int u = 0; u < outWidth; u++) {
            System.arraycopy(bias, 0, y, u * d, d);
            for (int j = 0; j < k; j++) {
                int p = u * stride - padLeft + j;
                if (p < 0 || p >= width) {
                    continue;
                }
                for (int i = 0; i < in; i++) {
                    kernels.axpy(x[p * in + i], w, (j * in + i) * d, y, u * d, d);
                }
            }
        }
        return y;
    }

    /** Summed per-stream token embeddings plus the sinusoidal position, {@code [steps][d]}. */
    private float[] embed(float[] table, int[][] codes, int steps) {
        int d = config.dModel();
        float[] x = new float[steps * d];
        int[] frame = new int[codes.length];
        for (int t = 0; t < steps; t++) {
            for (int c = 0; c < frame.length; c++) {
                frame[c] = codes[c][t];
            }
            embedFrame(table, frame, t, x, t * d);
        }
        return x;
    }

    /** Summed per-stream token embeddings without positions, {@code [steps][d]}. */
    private float[] embedTokens(float[] table, int[][] codes, int steps) {
        int d = config.dModel(), vocab = config.layout().vocabulary();
        float[] x = new float[steps * d];
        for (int t = 0; t < steps; t++) {
            for (int c = 0; c < codes.length; c++) {
                kernels.axpy(1f, table, (c * vocab + codes[c][t]) * d, x, t * d, d);
            }
        }
        return x;
    }

    /** The question's pooled encoder output {@code [d]}: the mean, or the maximum, of its rows. */
    private float[] pool(float[] enc, int rows) {
        int d = config.dModel();
        float[] pooled = new float[d];
        for (int j = 0; j < d; j++) {
            if (config.maxPool()) {
                float max = Float.NEGATIVE_INFINITY;
                for (int t = 0; t < rows; t++) {
                    max = Math.max(max, enc[t * d + j]);
                }
                pooled[j] = max;
            } else {
                float sum = 0;
                for (int t = 0; t < rows; t++) {
                    sum += enc[t * d + j];
                }
                pooled[j] = sum / rows;
            }
        }
        return pooled;
    }

    /** Adds {@code summary} (when there is one) to each of {@code rows} rows of {@code x}. */
    private void addSummary(float[] x, int rows, float[] summary) {
        if (summary != null) {
            for (int t = 0; t < rows; t++) {
                kernels.axpy(1f, summary, 0, x, t * config.dModel(), config.dModel());
            }
        }
    }

    /** Subtracts the mean row from every row of {@code x} ({@code [rows][d]}), as the graph's source normalisation. */
    private static void subtractMean(float[] x, int rows, int d) {
        for (int j = 0; j < d; j++) {
            float sum = 0;
            for (int t = 0; t < rows; t++) {
                sum += x[t * d + j];
            }
            float mean = sum / rows;
            for (int t = 0; t < rows; t++) {
                x[t * d + j] -= mean;
            }
        }
    }

    /**
     * {@code residual += Wo(MultiHead(queries, keys/values from memory)) + bo}, computing all rows
     * at once with the additive mask the training graph uses (causal and/or key length).
     */
    private void attentionBlock(Attention a, float[] queries, int tq, float[] memory, int tk, int validKeys,
                                boolean causal, float[] q, float[] k, float[] v, float[] ctx, float[] residual) {
        int d = config.dModel(), dh = config.headDim();
        for (int t = 0; t < tq; t++) {
            linear(a.q(), queries, t * d, q, t * d);
        }
        for (int t = 0; t < tk; t++) {
            linear(a.k(), memory, t * d, k, t * d);
            linear(a.v(), memory, t * d, v, t * d);
        }
        float[] scores = new float[tk];
        for (int i = 0; i < tq; i++) {
            for (int hd = 0; hd < config.heads(); hd++) {
                int off = hd * dh;
                for (int j = 0; j < tk; j++) {
                    float s = kernels.dot(q, i * d + off, k, j * d + off, dh) * attentionScale;
                    boolean masked = j >= validKeys || (causal && j > i);
                    scores[j] = masked ? s + MASKED : s;
                }
                TensorOps.softmaxInPlace(scores, 0, tk);
                Arrays.fill(ctx, i * d + off, i * d + off + dh, 0f);
                for (int j = 0; j < tk; j++) {
                    kernels.axpy(scores[j], v, j * d + off, ctx, i * d + off, dh);
                }
            }
        }
        float[] out = new float[d];
        for (int t = 0; t < tq; t++) {
            linear(a.o(), ctx, t * d, out, 0);
            kernels.axpy(1f, out, 0, residual, t * d, d);
        }
    }

    /** {@code residual += W2(GELU(h W1 + b1)) + b2} for every row; {@code out} is {@code [rows][d]} scratch. */
    private void feedForwardRows(FeedForward ff, float[] h, int rows, float[] hidden, float[] out, float[] residual) {
        int d = config.dModel(), f = config.ffDim();
        for (int t = 0; t < rows; t++) {
            linear(ff.up(), h, t * d, hidden, t * f);
            TensorOps.geluInPlace(hidden, t * f, f);
            linear(ff.down(), hidden, t * f, out, t * d);
            kernels.axpy(1f, out, t * d, residual, t * d, d);
        }
    }

    private void layerNormRows(float[] x, Norm n, float[] out, int rows) {
        int d = config.dModel();
        for (int t = 0; t < rows; t++) {
            layerNorm(x, t * d, n, out, t * d);
        }
    }

    // ---------------------------------------------------------------- shared kernels

    private void embedFrame(float[] table, int[] frame, int position, float[] out, int outOff) {
        int d = config.dModel(), vocab = config.layout().vocabulary();
        System.arraycopy(positions, position * d, out, outOff, d);
        for (int c = 0; c < frame.length; c++) {
            kernels.axpy(1f, table, (c * vocab + frame[c]) * d, out, outOff, d);
        }
    }

    /** {@code out = x W + b} on one row. */
    private void linear(Linear l, float[] x, int xOff, float[] out, int outOff) {
        ops.linear(l.wt(), l.b(), l.in(), x, xOff, out, outOff);
    }

    private static void layerNorm(float[] x, int xOff, Norm n, float[] out, int outOff) {
        TensorOps.layerNorm(x, xOff, n.g(), n.b(), LN_EPS, out, outOff);
    }

    /** Checks a {@code [rows][T]} token array, tokens below {@code limit} and T at most {@code maxLength}, and returns T. */
    private static int checkCodes(String what, int[][] codes, int rows, int limit, int maxLength) {
        // Source codes ([Q][T] below K) and decoder input ([G*Q][T] below the vocabulary) alike.
        int frames = new CodeLayout(rows, limit).requireCodes(what, codes);
        if (frames < 1 || frames > maxLength) {
            throw new IllegalArgumentException(what + " must have 1 to " + maxLength + " frames, got " + frames);
        }
        return frames;
    }

    /**
     * One generation over one encoded source: the decoder's key/value cache and scratch buffers.
     * Not thread-safe; use one per generation (the {@link FastDecoder} itself is shared).
     */
    public final class Session {
        /** Encoded source steps (the cross-attention keys). */
        private final int sourceFrames;
        /** Codec frames of the source. */
        private final int sourceCodecFrames;
        /** Per decoder layer, cross-attention keys and values of the encoder output, {@code [Ts][d]}. */
        private final float[][] crossK;
        private final float[][] crossV;
        /** Per decoder layer, self-attention keys and values of every position fed so far; grown on demand. */
        private final float[][] selfK;
        private final float[][] selfV;
        private int capacity;
        /** Rows fed: text rows and code steps. */
        private int position;
        private int textPosition;
        private int codePosition;
        private final int[] padStep;
        /** The intent head's logits of the question, or {@code null} for a model without the head. */
        private final float[] intentLogits;
        /** The question summary added to every row, or {@code null}. */
        private final float[] summary;
        private final float[] textLogits;
        private String text = "";

        private final float[] x;
        private final float[] h;
        private final float[] q;
        private final float[] ctx;
        private final float[] out;
        private final float[] hidden;
        private float[] scores;
        private final float[] logits;

        private Session(float[] encoded, int sourceFrames, int sourceCodecFrames) {
            int d = config.dModel(), layers = config.decoderLayers();
            Reading reading = read(encoded, sourceFrames, sourceCodecFrames);
            this.intentLogits = reading.intentLogits();
            this.summary = reading.summary();
            this.sourceFrames = sourceFrames;
            this.sourceCodecFrames = sourceCodecFrames;
            crossK = new float[layers][sourceFrames * d];
            crossV = new float[layers][sourceFrames * d];
            for (int l = 0; l < layers; l++) {
                Attention cross = weights.decoder[l].cross();
                for (int t = 0; t < sourceFrames; t++) {
                    linear(cross.k(), encoded, t * d, crossK[l], t * d);
                    linear(cross.v(), encoded, t * d, crossV[l], t * d);
                }
            }
            capacity = Math.min(rowLimit(), 64);
            selfK = new float[layers][capacity * d];
            selfV = new float[layers][capacity * d];
            x = new float[d];
            h = new float[d];
            q = new float[d];
            ctx = new float[d];
            out = new float[d];
            hidden = new float[config.ffDim()];
            scores = new float[Math.max(sourceFrames, capacity)];
            logits = new float[weights.head.out()];
            padStep = new int[config.streams()];
            Arrays.fill(padStep, config.layout().pad());
            textLogits = new float[config.hasText() ? config.textVocabulary() : 0];
        }

        /** {@return the monologue text of the last {@link #generate}, empty for a model without one} */
        public String text() {
            return text;
        }

        /** {@return how many steps have been fed (the position the next step takes)} */
        public int position() {
            return position;
        }

        /**
         * Rewinds the session to {@code position}: the rows fed from there on are forgotten, and the
         * next {@link #step} or {@link #stepText} takes that position, with the logits a session fed
         * only the first {@code position} rows would give. The question's encoding is kept, so
         * re-decoding from a point costs no encoder pass (what the benchmarks time a step by).
         * Forgetting rows of the monologue forgets the text of the last {@link #generate}.
         *
         * @param position the rows to keep, in {@code [0, position()]}
         * @throws IllegalArgumentException if {@code position} is negative or past {@link #position()}
         */
        public void truncate(int position) {
            if (position < 0 || position > this.position) {
                throw new IllegalArgumentException("can truncate to 0 to " + this.position + " rows, not " + position);
            }
            // The cache rows past the new position are stale, not cleared: each step writes its own
            // row before reading it, and attention reads only the rows before the position.
            if (position < textPosition) {
                textPosition = position;
                text = "";
            }
            codePosition = position - textPosition;
            this.position = position;
        }

        /**
         * What the encoder's auxiliary intent head makes of this session's question, as
         * {@link FastDecoder#intentLogits} without encoding it again: a diagnostic, never read by
         * generation.
         *
         * @return one logit per intent of {@link ModelConfig#intents()}
         * @throws IllegalStateException if the model was trained without intents
         */
        public float[] intentLogits() {
            if (intentLogits == null) {
                throw new IllegalStateException("the model was trained without an intent loss");
            }
            return intentLogits.clone();
        }

        /** {@return the steps of the encoded source ({@code ceil(frames / G)})} */
        public int sourceFrames() {
            return sourceFrames;
        }

        /**
         * Feeds one decoder step (the BOS step first, then each chosen group of G frames) and
         * returns the logits {@code [S * V]} for the step after it ({@code S = G * Q} streams,
         * stream {@code g * Q + q} being codebook q of frame g).
         *
         * <p>The returned array is this session's buffer, overwritten by the next call: copy it to keep it.
         *
         * @param frame S tokens, each in {@code [0, V)}
         * @return the logits, {@code [S * V]}
         * @throws IllegalArgumentException if the step has the wrong length or a token out of range
         * @throws IllegalStateException    if all the model's positions have been fed already
         */
        public float[] step(int[] frame) {
            checkFrame(frame);
            if (codePosition >= config.positions()) {
                throw new IllegalStateException("all " + config.positions() + " decoder positions are used");
            }
            embedFrame(weights.decEmbedding, frame, codePosition, x, 0);
            if (weights.textEmbedding != null) {
                kernels.axpy(1f, weights.textEmbedding, ModelConfig.TEXT_CODE * config.dModel(), x, 0, config.dModel());
            }
            codePosition++;
            // A text-driven model's code rows read neither the question nor its summary.
            if (!config.codesReadTextOnly()) {
                addSummary(x, 1, summary);
            }
            decodeRow(!config.codesReadTextOnly());
            linear(weights.head, h, 0, logits, 0);
            return logits;
        }

        /**
         * Feeds one text row of the monologue ({@link ModelConfig#TEXT_BOS} first, then each chosen
         * symbol) and returns the text logits {@code [Vt]} for the token after it. Text rows come
         * before the first code step.
         *
         * <p>The returned array is this session's buffer, overwritten by the next call.
         *
         * @param token a text token in {@code [0, Vt)}
         * @return the text logits
         * @throws IllegalStateException if the model has no monologue, a code step was fed already,
         *     or the text is as long as the model's positions
         */
        public float[] stepText(int token) {
            if (weights.textEmbedding == null) {
                throw new IllegalStateException("the model has no text monologue");
            }
            if (token < 0 || token >= config.textVocabulary()) {
                throw new IllegalArgumentException("text token " + token + " is outside [0, " + config.textVocabulary() + ")");
            }
            if (codePosition > 0) {
                throw new IllegalStateException("text rows come before the first code step");
            }
            if (textPosition >= config.positions()) {
                throw new IllegalStateException("all " + config.positions() + " text positions are used");
            }
            int d = config.dModel();
            embedFrame(weights.decEmbedding, padStep, textPosition, x, 0);
            kernels.axpy(1f, weights.textEmbedding, token * d, x, 0, d);
            textPosition++;
            addSummary(x, 1, summary);
            decodeRow(true);
            linear(weights.textHead, h, 0, textLogits, 0);
            return textLogits;
        }

        /**
         * Runs the decoder layers over the row embedded in {@code x}, caching its keys and values;
         * leaves the final-normalised row in {@code h}. A row that does not read the question skips
         * cross-attention.
         */
        private void decodeRow(boolean readsQuestion) {
            ensureCapacity(position + 1);
            int d = config.dModel();
            for (int l = 0; l < weights.decoder.length; l++) {
                DecoderLayer layer = weights.decoder[l];
                layerNorm(x, 0, layer.ln1(), h, 0);
                Attention self = layer.self();
                linear(self.q(), h, 0, q, 0);
                linear(self.k(), h, 0, selfK[l], position * d);
                linear(self.v(), h, 0, selfV[l], position * d);
                attend(selfK[l], selfV[l], position + 1);
                linear(self.o(), ctx, 0, out, 0);
                kernels.axpy(1f, out, 0, x, 0, d);

                layerNorm(x, 0, layer.ln2(), h, 0);
                if (readsQuestion) {
                    linear(layer.cross().q(), h, 0, q, 0);
                    attend(crossK[l], crossV[l], sourceFrames);
                    linear(layer.cross().o(), ctx, 0, out, 0);
                    kernels.axpy(1f, out, 0, x, 0, d);
                }

                layerNorm(x, 0, layer.ln3(), h, 0);
                linear(layer.ff().up(), h, 0, hidden, 0);
                TensorOps.geluInPlace(hidden, 0, hidden.length);
                linear(layer.ff().down(), hidden, 0, out, 0);
                kernels.axpy(1f, out, 0, x, 0, d);
            }
            layerNorm(x, 0, weights.decNorm, h, 0);
            position++;
        }

        /**
         * Generates the answer from a fresh session: feeds BOS, then samples and feeds steps of G
         * frames until codebook 0 of a frame samples EOS (that frame is not emitted) or the frame
         * limit is reached. Each frame goes to {@code listener} as soon as it is chosen.
         *
         * <p>Codebook {@code q} samples among codes {@code [0, K)} and EOS (PAD and BOS are masked to
         * {@code -inf}) from a {@link Sampler} seeded with {@code options.seed() + q}. An EOS in any
         * other codebook, in a frame where codebook 0 did not stop, becomes that codebook's most
         * likely code.
         *
         * @param options  sampling and the frame limit
         * @param listener gets each frame as it is chosen
         * @return the codes {@code [Q][T]}
         * @throws IllegalStateException    if this session has already been stepped
         * @throws IllegalArgumentException if {@code options.maxFrames()} exceeds {@code config.maxAnswerFrames()}
         */
        public int[][] generate(GenerationOptions options, FrameListener listener) {
            return generate(options, listener, () -> false);
        }

        /**
         * {@link #generate(GenerationOptions, FrameListener)} that also ends, keeping the frames
         * chosen so far, as soon as {@code stop} says so; it is asked before each frame, so a
         * conversation can cut an answer short when the user starts talking.
         *
         * @param options  sampling and the frame limit
         * @param listener gets each frame as it is chosen
         * @param stop     asked before each frame; {@code true} ends the answer there
         * @return the codes {@code [Q][T]} chosen until the end, the limit or the stop
         * @throws IllegalStateException    if this session has already been stepped
         * @throws IllegalArgumentException if {@code options.maxFrames()} exceeds {@code config.maxAnswerFrames()}
         */
        public int[][] generate(GenerationOptions options, FrameListener listener, BooleanSupplier stop) {
            Objects.requireNonNull(options, "options");
            Objects.requireNonNull(listener, "listener");
            Objects.requireNonNull(stop, "stop");
            if (position != 0) {
                throw new IllegalStateException("generate needs a fresh session; this one is at position " + position);
            }
            int limit = frameLimit(options);
            CodeLayout layout = config.layout();
            int codebooks = layout.codebooks(), vocab = layout.vocabulary(), k = layout.codebookSize();
            int pad = layout.pad(), bos = layout.bos(), eos = layout.eos();
            int group = config.frameGroup();
            Sampler[] samplers = new Sampler[codebooks];
            for (int c = 0; c < codebooks; c++) {
                samplers[c] = new Sampler(options.seed() + c, options.temperature(), options.topK());
            }
            if (weights.textEmbedding != null) {
                text = monologue(options);
            }
            int[][] frames = new int[limit][];
            float[] masked = new float[logits.length];
            float[] next = step(bosFrame());
            int[] fed = new int[config.streams()];
            int count = 0;
            boolean ended = false;
            while (!ended && count < limit && !stop.getAsBoolean()) {
                System.arraycopy(next, 0, masked, 0, next.length);
                for (int st = 0; st < config.streams(); st++) {
                    masked[st * vocab + pad] = Float.NEGATIVE_INFINITY;
                    masked[st * vocab + bos] = Float.NEGATIVE_INFINITY;
                }
                for (int slot = 0; slot < group; slot++) {
                    int base = slot * codebooks;
                    int first = count < limit ? samplers[0].sample(masked, base * vocab, vocab) : eos;
                    if (first == eos) {
                        ended = true;
                        break;
                    }
                    int[] frame = new int[codebooks];
                    frame[0] = first;
                    for (int c = 1; c < codebooks; c++) {
                        int code = samplers[c].sample(masked, (base + c) * vocab, vocab);
                        frame[c] = code == eos ? TensorOps.argmax(next, (base + c) * vocab, k) : code;
                    }
                    System.arraycopy(frame, 0, fed, base, codebooks);
                    frames[count] = frame;
                    listener.onFrame(count, frame.clone());
                    count++;
                }
                if (!ended && count < limit) {
                    next = step(fed);
                }
            }
            int[][] codes = new int[codebooks][count];
            for (int t = 0; t < count; t++) {
                for (int c = 0; c < codebooks; c++) {
                    codes[c][t] = frames[t][c];
                }
            }
            return codes;
        }

        /** Writes the answer's text, from TEXT_BOS until TEXT_EOT or the positions run out. */
        private String monologue(GenerationOptions options) {
            Sampler sampler = new Sampler(options.seed() + config.codebooks(), options.temperature(), options.topK());
            int[] tokens = new int[config.positions()];
            int count = 0;
            float[] masked = new float[config.textVocabulary()];
            float[] next = stepText(ModelConfig.TEXT_BOS);
            while (count < config.positions() - 1) {
                System.arraycopy(next, 0, masked, 0, masked.length);
                masked[ModelConfig.TEXT_PAD] = Float.NEGATIVE_INFINITY;
                masked[ModelConfig.TEXT_BOS] = Float.NEGATIVE_INFINITY;
                masked[ModelConfig.TEXT_CODE] = Float.NEGATIVE_INFINITY;
                int token = sampler.sample(masked, 0, masked.length);
                if (token == ModelConfig.TEXT_EOT) {
                    break;
                }
                tokens[count++] = token;
                next = stepText(token);
            }
            return new TextTokens(config).decode(tokens, count);
        }

        private int frameLimit(GenerationOptions options) {
            int most = config.maxAnswerFrames();
            if (options.maxFrames() == 0) {
                return Math.min(most, 2 * sourceCodecFrames + 20);
            }
            if (options.maxFrames() > most) {
                throw new IllegalArgumentException("maxFrames " + options.maxFrames() + " exceeds " + most
                        + " (the model's longest answer: the decoder input also holds BOS)");
            }
            return options.maxFrames();
        }

        /** {@code ctx = concat over heads of softmax(q k^T * scale) v} over the first {@code count} cached rows. */
        private void attend(float[] keys, float[] values, int count) {
            int d = config.dModel(), dh = config.headDim();
            for (int hd = 0; hd < config.heads(); hd++) {
                int off = hd * dh;
                for (int j = 0; j < count; j++) {
                    scores[j] = kernels.dot(q, off, keys, j * d + off, dh) * attentionScale;
                }
                TensorOps.softmaxInPlace(scores, 0, count);
                Arrays.fill(ctx, off, off + dh, 0f);
                for (int j = 0; j < count; j++) {
                    kernels.axpy(scores[j], values, j * d + off, ctx, off, dh);
                }
            }
        }

        /** The most rows a session can feed: text rows and code steps. */
        private int rowLimit() {
            return config.hasText() ? 2 * config.positions() : config.positions();
        }

        private void ensureCapacity(int needed) {
            if (needed <= capacity) {
                return;
            }
            // Doubling keeps a long generation's copying linear overall.
            capacity = Math.min(rowLimit(), Math.max(needed, capacity * 2));
            int d = config.dModel();
            for (int l = 0; l < selfK.length; l++) {
                selfK[l] = Arrays.copyOf(selfK[l], capacity * d);
                selfV[l] = Arrays.copyOf(selfV[l], capacity * d);
            }
            if (scores.length < capacity) {
                scores = new float[Math.max(sourceFrames, capacity)];
            }
        }

        private void checkFrame(int[] frame) {
            Objects.requireNonNull(frame, "frame");
            if (frame.length != config.streams()) {
                throw new IllegalArgumentException("a step has " + config.streams() + " tokens, got " + frame.length);
            }
            int vocab = config.layout().vocabulary();
            for (int c = 0; c < frame.length; c++) {
                if (frame[c] < 0 || frame[c] >= vocab) {
                    throw new IllegalArgumentException("frame token " + c + " = " + frame[c]
                            + " is outside [0, " + vocab + ")");
                }
            }
        }
    }
}
