package dev.samvaad.bench;

import dev.samvaad.model.ModelConfig;

/**
 * Bytes one KV-cached decoder step ({@code FastDecoder.Session.step}) reads, counted from the
 * model's shape: the decoder weights it touches, the self-attention cache of the positions so far
 * and the cross-attention keys and values of the encoded question. Float32 throughout. Writes
 * (one key and value row per layer, the logits) are not counted.
 *
 * <p>Per step: the Q embedding rows of the frame and one position row; per decoder layer three
 * LayerNorms, the self-attention Q, K, V and O projections, the cross-attention Q and O
 * projections (its K and V of the question are computed once per session), the feed-forward up
 * and down projections, all with biases; the final LayerNorm; the output heads. Attention reads
 * {@code 2 x positions x d} cached floats per layer for itself and {@code 2 x sourceFrames x d}
 * for the question.
 *
 * @param weights    bytes of weights read
 * @param selfCache  bytes of self-attention keys and values read
 * @param crossCache bytes of cross-attention keys and values read
 */
record DecoderRoofline(long weights, long selfCache, long crossCache) {

    /**
     * The step that feeds frame number {@code positions} (1-based: the step after
     * {@code positions - 1} earlier ones, attending over {@code positions} cached rows).
     */
    static DecoderRoofline of(ModelConfig c, int sourceFrames, int positions) {
        if (sourceFrames < 1 || positions < 1) {
            throw new IllegalArgumentException("need at least one source frame and one position, got "
                    + sourceFrames + " and " + positions);
        }
        long d = c.dModel(), f = c.ffDim(), heads = (long) c.codebooks() * c.vocabulary();
        long linearDxD = d * d + d;
        long perLayer = 3 * 2 * d          // ln1, ln2, ln3: gain and bias
                + 4 * linearDxD            // self-attention q, k, v, o
                + 2 * linearDxD            // cross-attention q, o
                + (d * f + f) + (f * d + d); // feed-forward up, down
        long weightFloats = c.codebooks() * d + d // embedding rows + position row
                + c.decoderLayers() * perLayer
                + 2 * d                    // final LayerNorm
                + d * heads + heads;       // output heads
        long layers = c.decoderLayers();
        return new DecoderRoofline(4 * weightFloats, 4 * layers * 2 * positions * d,
                4 * layers * 2 * (long) sourceFrames * d);
    }

    long total() {
        return weights + selfCache + crossCache;
    }

    /** The fastest the step could run at {@code bytesPerSecond}, in seconds. */
    double boundSeconds(double bytesPerSecond) {
        return total() / bytesPerSecond;
    }

    /** Share of the roofline a step of {@code stepSeconds} reaches: bound time / actual time. */
    double fraction(double stepSeconds, double bytesPerSecond) {
        return boundSeconds(bytesPerSecond) / stepSeconds;
    }
}
