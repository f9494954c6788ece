package dev.samvaad.infer;

import dev.samvaad.infer.TransformerWeights.Attention;
import dev.samvaad.infer.TransformerWeights.DecoderLayer;
import dev.samvaad.infer.TransformerWeights.EncoderLayer;
import dev.samvaad.infer.TransformerWeights.FeedForward;
import dev.samvaad.infer.TransformerWeights.Linear;
import dev.samvaad.infer.TransformerWeights.Norm;
import dev.samvaad.model.ModelConfig;
import dev.samvaad.tensor.FloatKernels;
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
    private final FloatKernels kernels;
    /** Sinusoidal positions, {@code [maxFrames][d]}. */
    private final float[] positions;
    private final float attentionScale;

    private FastDecoder(TransformerWeights weights) {
        this.config = weights.config();
        this.weights = weights;
        this.kernels = FloatKernels.best();
        this.positions = sinusoids(config.maxFrames(), config.dModel());
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
     *                {@link dev.samvaad.model.WeightNames#shapes})
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

    /** {@return the frame that starts every decoder input: BOS in each codebook} */
    public int[] bosFrame() {
        int[] frame = new int[config.codebooks()];
        Arrays.fill(frame, config.bos());
        return frame;
    }

    /**
     * Encodes {@code sourceCodes} and returns a session ready for its first {@link Session#step}
     * (the BOS frame) or {@link Session#generate}.
     *
     * @param sourceCodes {@code [Q][Ts]} codes in {@code [0, K)}, {@code 1 <= Ts <= maxFrames}
     * @return a new session owning its cache
     */
    public Session start(int[][] sourceCodes) {
        int frames = checkCodes("sourceCodes", sourceCodes, config.codebookSize());
        return new Session(encode(sourceCodes, frames), frames);
    }

    /**
     * The logits of a full forward pass without any cache: for each decoder position {@code p},
     * the logits of the frame after it, {@code [Q * V]} viewed as {@code [Q][V]}.
     *
     * @param sourceCodes  {@code [Q][Ts]} codes in {@code [0, K)}
     * @param decoderInput {@code [Q][Td]} tokens in {@code [0, V)}, normally BOS then the answer's frames
     * @return {@code [Td][Q * V]}
     */
    public float[][] forwardFull(int[][] sourceCodes, int[][] decoderInput) {
        int ts = checkCodes("sourceCodes", sourceCodes, config.codebookSize());
        int td = checkCodes("decoderInput", decoderInput, config.vocabulary());
        float[] enc = encode(sourceCodes, ts);
        int d = config.dModel();
        float[] x = embed(weights.decEmbedding, decoderInput, td);
        float[] h = new float[td * d];
        float[] q = new float[td * d];
        float[] k = new float[td * d];
        float[] v = new float[td * d];
        float[] ctx = new float[td * d];
        float[] crossK = new float[ts * d];
        float[] crossV = new float[ts * d];
        float[] hidden = new float[td * config.ffDim()];
        for (DecoderLayer layer : weights.decoder) {
            layerNormRows(x, layer.ln1(), h, td);
            attentionBlock(layer.self(), h, td, h, td, td, true, q, k, v, ctx, x);
            layerNormRows(x, layer.ln2(), h, td);
            attentionBlock(layer.cross(), h, td, enc, ts, ts, false, q, crossK, crossV, ctx, x);
            layerNormRows(x, layer.ln3(), h, td);
            feedForwardRows(layer.ff(), h, td, hidden, ctx, x);
        }
        layerNormRows(x, weights.decNorm, h, td);
        float[][] logits = new float[td][weights.head.out()];
        for (int t = 0; t < td; t++) {
            linear(weights.head, h, t * d, logits[t], 0);
        }
        return logits;
    }

    // ---------------------------------------------------------------- full-sequence path

    /** Final-normalised encoder output {@code [Ts][d]} of one unpadded source. */
    private float[] encode(int[][] codes, int frames) {
        int d = config.dModel();
        float[] x = embed(weights.encEmbedding, codes, frames);
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

    /** Summed per-codebook token embeddings plus the sinusoidal position, {@code [frames][d]}. */
    private float[] embed(float[] table, int[][] codes, int frames) {
        int d = config.dModel();
        float[] x = new float[frames * d];
        int[] frame = new int[config.codebooks()];
        for (int t = 0; t < frames; t++) {
            for (int c = 0; c < frame.length; c++) {
                frame[c] = codes[c][t];
            }
            embedFrame(table, frame, t, x, t * d);
        }
        return x;
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
            geluInPlace(hidden, t * f, f);
            linear(ff.down(), hidden, t * f, out, t * d);
            kernels.axpy(1f, out, t * d, residual, t * d, d);
        }
    }

    private void layerNormRows(float[] x, Norm n, float[] out, int rows) {
        int d = config.dModel();
        for (int t = 0; t < rows; t++) {
            layerNorm(x, t * d, n, out, t * d, d);
        }
    }

    // ---------------------------------------------------------------- shared kernels

    private void embedFrame(float[] table, int[] frame, int position, float[] out, int outOff) {
        int d = config.dModel(), vocab = config.vocabulary();
        System.arraycopy(positions, position * d, out, outOff, d);
        for (int c = 0; c < frame.length; c++) {
            kernels.axpy(1f, table, (c * vocab + frame[c]) * d, out, outOff, d);
        }
    }

    /** {@code out = x W + b}: one contiguous dot per output on the transposed weights, bias fused, no allocation. */
    private void linear(Linear l, float[] x, int xOff, float[] out, int outOff) {
        float[] wt = l.wt(), b = l.b();
        int in = l.in();
        for (int r = 0, n = l.out(); r < n; r++) {
            out[outOff + r] = kernels.dot(wt, r * in, x, xOff, in) + b[r];
        }
    }

    private static void layerNorm(float[] x, int xOff, Norm n, float[] out, int outOff, int d) {
        double mean = 0;
        for (int i = 0; i < d; i++) {
            mean += x[xOff + i];
        }
        mean /= d;
        double var = 0;
        for (int i = 0; i < d; i++) {
            double c = x[xOff + i] - mean;
            var += c * c;
        }
        double inv = 1.0 / Math.sqrt(var / d + LN_EPS);
        float[] g = n.g(), b = n.b();
        for (int i = 0; i < d; i++) {
            out[outOff + i] = (float) ((x[xOff + i] - mean) * inv) * g[i] + b[i];
        }
    }

    private static void geluInPlace(float[] x, int off, int length) {
        for (int i = off; i < off + length; i++) {
            double v = x[i];
            x[i] = (float) (0.5 * v * (1.0 + Math.tanh(0.7978845608028654 * (v + 0.044715 * v * v * v))));
        }
    }

    /** {@code PE[p, 2i] = sin(p / 10000^(2i/d))}, {@code PE[p, 2i+1] = cos(same)}; in double, stored as float. */
    private static float[] sinusoids(int frames, int d) {
        float[] pe = new float[frames * d];
        for (int p = 0; p < frames; p++) {
            for (int c = 0; c < d; c++) {
                int i = c / 2;
                double angle = p / Math.pow(10000.0, (2.0 * i) / d);
                pe[p * d + c] = (float) (c % 2 == 0 ? Math.sin(angle) : Math.cos(angle));
            }
        }
        return pe;
    }

    /** Checks a {@code [Q][T]} code array and returns T. */
    private int checkCodes(String what, int[][] codes, int limit) {
        Objects.requireNonNull(codes, what);
        if (codes.length != config.codebooks()) {
            throw new IllegalArgumentException(what + " must have " + config.codebooks()
                    + " codebook rows, got " + codes.length);
        }
        int frames = -1;
        for (int c = 0; c < codes.length; c++) {
            Objects.requireNonNull(codes[c], what + " row " + c);
            if (frames < 0) {
                frames = codes[c].length;
            } else if (codes[c].length != frames) {
                throw new IllegalArgumentException(what + " rows differ in length: row 0 has " + frames
                        + " frames, row " + c + " has " + codes[c].length);
            }
            for (int t = 0; t < codes[c].length; t++) {
                if (codes[c][t] < 0 || codes[c][t] >= limit) {
                    throw new IllegalArgumentException(what + "[" + c + "][" + t + "] = " + codes[c][t]
                            + " is outside [0, " + limit + ")");
                }
            }
        }
        if (frames < 1 || frames > config.maxFrames()) {
            throw new IllegalArgumentException(what + " must have 1 to " + config.maxFrames()
                    + " frames, got " + frames);
        }
        return frames;
    }

    /**
     * One generation over one encoded source: the decoder's key/value cache and scratch buffers.
     * Not thread-safe; use one per generation (the {@link FastDecoder} itself is shared).
     */
    public final class Session {
        private final int sourceFrames;
        /** Per decoder layer, cross-attention keys and values of the encoder output, {@code [Ts][d]}. */
        private final float[][] crossK;
        private final float[][] crossV;
        /** Per decoder layer, self-attention keys and values of every position fed so far; grown on demand. */
        private final float[][] selfK;
        private final float[][] selfV;
        private int capacity;
        private int position;

        private final float[] x;
        private final float[] h;
        private final float[] q;
        private final float[] ctx;
        private final float[] out;
        private final float[] hidden;
        private float[] scores;
        private final float[] logits;

        private Session(float[] encoded, int sourceFrames) {
            int d = config.dModel(), layers = config.decoderLayers();
            this.sourceFrames = sourceFrames;
            crossK = new float[layers][sourceFrames * d];
            crossV = new float[layers][sourceFrames * d];
            for (int l = 0; l < layers; l++) {
                Attention cross = weights.decoder[l].cross();
                for (int t = 0; t < sourceFrames; t++) {
                    linear(cross.k(), encoded, t * d, crossK[l], t * d);
                    linear(cross.v(), encoded, t * d, crossV[l], t * d);
                }
            }
            capacity = Math.min(config.maxFrames(), 64);
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
        }

        /** {@return how many frames have been fed (the position the next frame takes)} */
        public int position() {
            return position;
        }

        /** {@return the frames in the encoded source} */
        public int sourceFrames() {
            return sourceFrames;
        }

        /**
         * Feeds one decoder frame (the BOS frame first, then each chosen frame) and returns the
         * logits {@code [Q * V]} for the frame after it.
         *
         * <p>The returned array is this session's buffer, overwritten by the next call: copy it to keep it.
         *
         * @param frame Q tokens, each in {@code [0, V)}
         * @return the logits, {@code [Q * V]}
         * @throws IllegalArgumentException if the frame has the wrong length or a token out of range
         * @throws IllegalStateException    if {@code maxFrames} positions have been fed already
         */
        public float[] step(int[] frame) {
            checkFrame(frame);
            if (position >= config.maxFrames()) {
                throw new IllegalStateException("all " + config.maxFrames() + " decoder positions are used");
            }
            ensureCapacity(position + 1);
            int d = config.dModel();
            embedFrame(weights.decEmbedding, frame, position, x, 0);
            for (int l = 0; l < weights.decoder.length; l++) {
                DecoderLayer layer = weights.decoder[l];
                layerNorm(x, 0, layer.ln1(), h, 0, d);
                Attention self = layer.self();
                linear(self.q(), h, 0, q, 0);
                linear(self.k(), h, 0, selfK[l], position * d);
                linear(self.v(), h, 0, selfV[l], position * d);
                attend(selfK[l], selfV[l], position + 1);
                linear(self.o(), ctx, 0, out, 0);
                kernels.axpy(1f, out, 0, x, 0, d);

                layerNorm(x, 0, layer.ln2(), h, 0, d);
                linear(layer.cross().q(), h, 0, q, 0);
                attend(crossK[l], crossV[l], sourceFrames);
                linear(layer.cross().o(), ctx, 0, out, 0);
                kernels.axpy(1f, out, 0, x, 0, d);

                layerNorm(x, 0, layer.ln3(), h, 0, d);
                linear(layer.ff().up(), h, 0, hidden, 0);
                geluInPlace(hidden, 0, hidden.length);
                linear(layer.ff().down(), hidden, 0, out, 0);
                kernels.axpy(1f, out, 0, x, 0, d);
            }
            layerNorm(x, 0, weights.decNorm, h, 0, d);
            linear(weights.head, h, 0, logits, 0);
            position++;
            return logits;
        }

        /**
         * Generates the answer from a fresh session: feeds BOS, then samples and feeds frames until
         * codebook 0 samples EOS (that frame is not emitted) or the frame limit is reached. Each
         * frame goes to {@code listener} as soon as it is chosen.
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
         * @throws IllegalArgumentException if {@code options.maxFrames()} exceeds {@code config.maxFrames - 1}
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
         * @throws IllegalArgumentException if {@code options.maxFrames()} exceeds {@code config.maxFrames - 1}
         */
        public int[][] generate(GenerationOptions options, FrameListener listener, BooleanSupplier stop) {
            Objects.requireNonNull(options, "options");
            Objects.requireNonNull(listener, "listener");
            Objects.requireNonNull(stop, "stop");
            if (position != 0) {
                throw new IllegalStateException("generate needs a fresh session; this one is at position " + position);
            }
            int limit = frameLimit(options);
            int codebooks = config.codebooks(), vocab = config.vocabulary(), k = config.codebookSize();
            Sampler[] samplers = new Sampler[codebooks];
            for (int c = 0; c < codebooks; c++) {
                samplers[c] = new Sampler(options.seed() + c, options.temperature(), options.topK());
            }
            int[][] frames = new int[limit][];
            float[] masked = new float[logits.length];
            float[] next = step(bosFrame());
            int count = 0;
            while (count < limit && !stop.getAsBoolean()) {
                System.arraycopy(next, 0, masked, 0, next.length);
                for (int c = 0; c < codebooks; c++) {
                    masked[c * vocab + config.pad()] = Float.NEGATIVE_INFINITY;
                    masked[c * vocab + config.bos()] = Float.NEGATIVE_INFINITY;
                }
                int first = samplers[0].sample(masked, 0, vocab);
                if (first == config.eos()) {
                    break;
                }
                int[] frame = new int[codebooks];
                frame[0] = first;
                for (int c = 1; c < codebooks; c++) {
                    int code = samplers[c].sample(masked, c * vocab, vocab);
                    frame[c] = code == config.eos() ? TensorOps.argmax(next, c * vocab, k) : code;
                }
                frames[count] = frame;
                listener.onFrame(count, frame.clone());
                count++;
                if (count < limit) {
                    next = step(frame);
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

        private int frameLimit(GenerationOptions options) {
            int most = config.maxFrames() - 1;
            if (options.maxFrames() == 0) {
                return Math.min(most, 2 * sourceFrames + 20);
            }
            if (options.maxFrames() > most) {
                throw new IllegalArgumentException("maxFrames " + options.maxFrames() + " exceeds " + most
                        + " (config.maxFrames - 1: the decoder input also holds BOS)");
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

        private void ensureCapacity(int needed) {
            if (needed <= capacity) {
                return;
            }
            // Doubling keeps a long generation's copying linear overall.
            capacity = Math.min(config.maxFrames(), Math.max(needed, capacity * 2));
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
            if (frame.length != config.codebooks()) {
                throw new IllegalArgumentException("a frame has " + config.codebooks() + " tokens, got " + frame.length);
            }
            for (int c = 0; c < frame.length; c++) {
                if (frame[c] < 0 || frame[c] >= config.vocabulary()) {
                    throw new IllegalArgumentException("frame token " + c + " = " + frame[c]
                            + " is outside [0, " + config.vocabulary() + ")");
                }
            }
        }
    }
}
