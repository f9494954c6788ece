package dev.samvaad.model;

/**
 * Shape of the encoder-decoder transformer over codec codes. Both the SameDiff training graph and
 * the pure-Java decoder ({@code dev.samvaad.infer}) are built from one of these.
 *
 * <p>Each of the {@code codebooks} (Q) token streams has a vocabulary of the {@code codebookSize}
 * (K) codes plus three specials: PAD = K, BOS = K + 1, EOS = K + 2.
 *
 * @param codebooks     Q, codes per frame
 * @param codebookSize  K, codes per codebook
 * @param dModel        model width d
 * @param heads         attention heads; must divide {@code dModel}
 * @param encoderLayers encoder layers
 * @param decoderLayers decoder layers
 * @param ffDim         hidden width of the feed-forward blocks
 * @param maxFrames     longest sequence (source, or decoder input including BOS) the positional
 *                      encoding covers
 */
public record ModelConfig(int codebooks, int codebookSize, int dModel, int heads, int encoderLayers,
                          int decoderLayers, int ffDim, int maxFrames) {

    /**
     * Checks the shape.
     *
     * @param codebooks     Q, codes per frame
     * @param codebookSize  K, codes per codebook
     * @param dModel        model width
     * @param heads         attention heads; must divide {@code dModel}
     * @param encoderLayers encoder layers
     * @param decoderLayers decoder layers
     * @param ffDim         hidden width of the feed-forward blocks
     * @param maxFrames     longest sequence the positional encoding covers
     * @throws IllegalArgumentException if a value is not positive or {@code heads} does not divide
     *     {@code dModel}
     */
    public ModelConfig {
        requirePositive("codebooks", codebooks);
        requirePositive("codebookSize", codebookSize);
        requirePositive("dModel", dModel);
        requirePositive("heads", heads);
        requirePositive("encoderLayers", encoderLayers);
        requirePositive("decoderLayers", decoderLayers);
        requirePositive("ffDim", ffDim);
        requirePositive("maxFrames", maxFrames);
        if (dModel % heads != 0) {
            throw new IllegalArgumentException("dModel " + dModel + " is not divisible by heads " + heads);
        }
    }

    /**
     * The default size: dModel 128, 4 heads, 2 encoder and 2 decoder layers, ffDim 512,
     * maxFrames 512.
     *
     * @param codebooks    Q, the codec's codebooks
     * @param codebookSize K, the codec's codes per codebook
     * @return the config
     */
    public static ModelConfig small(int codebooks, int codebookSize) {
        return new ModelConfig(codebooks, codebookSize, 128, 4, 2, 2, 512, 512);
    }

    /** {@return the tokens per codebook: the K codes plus PAD, BOS and EOS} */
    public int vocabulary() {
        return codebookSize + 3;
    }

    /** {@return the padding token, K: fills source and target rows past their length in a training batch} */
    public int pad() {
        return codebookSize;
    }

    /** {@return the begin-of-sequence token, K + 1: every codebook of the first decoder input frame} */
    public int bos() {
        return codebookSize + 1;
    }

    /** {@return the end-of-sequence token, K + 2: codebook 0 predicting it ends the answer} */
    public int eos() {
        return codebookSize + 2;
    }

    /** {@return the width of one attention head, {@code dModel / heads}} */
    public int headDim() {
        return dModel / heads;
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
