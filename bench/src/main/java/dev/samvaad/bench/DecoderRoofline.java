package dev.samvaad.bench;

import dev.samvaad.infer.FrameGroups;
import dev.samvaad.infer.ModelConfig;

/**
 * Bytes one KV-cached decoder row of {@code FastDecoder.Session} reads, counted from the model's
 * shape: the decoder weights it touches, the self-attention cache of the rows so far and the
 * cross-attention keys and values of the encoded question. Float32 throughout. Writes (one key and
 * value row per layer, the logits) are not counted.
 *
 * <p>A code step ({@code Session.step}: one step of G frames) reads the embedding rows of its
 * {@code S = G x Q} tokens, the TEXT_CODE row of the text embedding (a model with a monologue),
 * one position row and the question's summary row (a model with a summary whose code rows read
 * the question); per decoder layer three LayerNorms, the self-attention Q, K, V and O projections,
 * the cross-attention Q and O projections (its K and V of the question are computed once per
 * session; skipped by code rows that read only the text), the feed-forward up and down
 * projections, all with biases; the final LayerNorm; the {@code S} output heads
 * ({@code d x S x V}). Attention reads {@code 2 x rows x d} cached floats per layer for itself
 * (the text rows and code steps so far, this one included) and {@code 2 x ceil(frames / G) x d}
 * for the question.
 *
 * <p>A text row ({@code Session.stepText}) reads the {@code S} PAD embedding rows, its token's text
 * embedding row, a position row, the summary row, every layer with cross-attention, the final
 * LayerNorm and the text head ({@code d x Vt}).
 *
 * @param weights    bytes of weights (and embedding, position and summary rows) read
 * @param selfCache  bytes of self-attention keys and values read
 * @param crossCache bytes of cross-attention keys and values read
 * @param frames     codec frames the row yields: G for a code step, 0 for a text row
 */
record DecoderRoofline(long weights, long selfCache, long crossCache, int frames) {

    /**
     * Checks the counts.
     *
     * @param weights    bytes of weights read
     * @param selfCache  bytes of self-attention keys and values read
     * @param crossCache bytes of cross-attention keys and values read
     * @param frames     codec frames the row yields, {@code >= 0}
     */
    DecoderRoofline {
        if (weights < 0 || selfCache < 0 || crossCache < 0 || frames < 0) {
            throw new IllegalArgumentException("negative byte or frame count");
        }
    }

    /** A row that yields one frame (a model of one frame per step). */
    DecoderRoofline(long weights, long selfCache, long crossCache) {
        this(weights, selfCache, crossCache, 1);
    }

    /**
     * The code step number {@code steps} (1-based: the BOS step is 1) of a session without text
     * rows: for a model of one frame per step, the step whose logits choose frame number {@code steps}.
     *
     * @param c            the model's shape
     * @param sourceFrames codec frames of the question
     * @param steps        the code step, 1-based
     * @return its bytes
     */
    static DecoderRoofline of(ModelConfig c, int sourceFrames, int steps) {
        return step(c, sourceFrames, 0, steps);
    }

    /**
     * The code step number {@code steps} (1-based) after {@code textRows} text rows: it attends
     * over {@code textRows + steps} cached rows and yields G frames.
     *
     * @param c            the model's shape
     * @param sourceFrames codec frames of the question
     * @param textRows     text rows fed before the codes (TEXT_BOS and the monologue's symbols), 0 for none
     * @param steps        the code step, 1-based
     * @return its bytes
     */
    static DecoderRoofline step(ModelConfig c, int sourceFrames, int textRows, int steps) {
        check(sourceFrames, steps);
        if (textRows < 0 || (textRows > 0 && !c.hasText())) {
            throw new IllegalArgumentException("a model " + (c.hasText() ? "" : "without a monologue ")
                    + "cannot have " + textRows + " text rows");
        }
        long d = c.dModel(), heads = (long) c.streams() * c.layout().vocabulary();
        boolean readsQuestion = !c.codesReadTextOnly();
        long embedding = c.streams() * d + d                  // the step's S token rows + the position row
                + (c.hasText() ? d : 0)                        // the TEXT_CODE row
                + (c.summary() && readsQuestion ? d : 0);      // the question's summary row
        long weightFloats = embedding + c.decoderLayers() * layer(c, readsQuestion)
                + 2 * d                                        // final LayerNorm
                + d * heads + heads;                           // output heads
        return new DecoderRoofline(4 * weightFloats, selfCache(c, textRows + steps),
                readsQuestion ? crossCache(c, sourceFrames) : 0, c.frameGroup());
    }

    /**
     * Text row number {@code row} (1-based: TEXT_BOS is row 1), attending over {@code row} cached rows.
     *
     * @param c            the model's shape, with a monologue
     * @param sourceFrames codec frames of the question
     * @param row          the text row, 1-based
     * @return its bytes; it yields no frames
     */
    static DecoderRoofline textRow(ModelConfig c, int sourceFrames, int row) {
        check(sourceFrames, row);
        if (!c.hasText()) {
            throw new IllegalArgumentException("the model has no text monologue");
        }
        long d = c.dModel(), vt = c.textVocabulary();
        long embedding = c.streams() * d + d + d               // S PAD rows, the token's text row, the position row
                + (c.summary() ? d : 0);                       // the question's summary row
        long weightFloats = embedding + c.decoderLayers() * layer(c, true)
                + 2 * d                                        // final LayerNorm
                + d * vt + vt;                                 // text head
        return new DecoderRoofline(4 * weightFloats, selfCache(c, row), crossCache(c, sourceFrames), 0);
    }

    /** Floats of one decoder layer a row reads. */
    private static long layer(ModelConfig c, boolean readsQuestion) {
        long d = c.dModel(), f = c.ffDim(), linearDxD = d * d + d;
        return 3 * 2 * d                                       // ln1, ln2, ln3: gain and bias
                + 4 * linearDxD                                // self-attention q, k, v, o
                + (readsQuestion ? 2 * linearDxD : 0)          // cross-attention q, o
                + (d * f + f) + (f * d + d);                   // feed-forward up, down
    }

    private static long selfCache(ModelConfig c, int rows) {
        return 4L * c.decoderLayers() * 2 * rows * c.dModel();
    }

    private static long crossCache(ModelConfig c, int sourceFrames) {
        return 4L * c.decoderLayers() * 2 * FrameGroups.steps(c, sourceFrames) * c.dModel();
    }

    private static void check(int sourceFrames, int rows) {
        if (sourceFrames < 1 || rows < 1) {
            throw new IllegalArgumentException("need at least one source frame and one row, got "
                    + sourceFrames + " and " + rows);
        }
    }

    long total() {
        return weights + selfCache + crossCache;
    }

    /**
     * Bytes read per codec frame the row yields: {@link #total()} / G for a code step.
     *
     * @return the bytes per frame
     * @throws IllegalStateException for a text row, which yields no frames
     */
    double bytesPerFrame() {
        if (frames == 0) {
            throw new IllegalStateException("a text row yields no frames");
        }
        return (double) total() / frames;
    }

    /** The fastest the row could run at {@code bytesPerSecond}, in seconds. */
    double boundSeconds(double bytesPerSecond) {
        return total() / bytesPerSecond;
    }

    /** Share of the roofline a row of {@code stepSeconds} reaches: bound time / actual time. */
    double fraction(double stepSeconds, double bytesPerSecond) {
        return boundSeconds(bytesPerSecond) / stepSeconds;
    }
}
