package dev.samvaad.model;

/**
 * Hyperparameters of the encoder-decoder transformer over codec codes.
 *
 * @param codebooks     Q: codes per frame
 * @param codebookSize  K: codes per codebook (the vocabulary adds PAD, BOS and EOS)
 * @param dModel        model width
 * @param heads         attention heads (divides dModel)
 * @param encoderLayers encoder blocks
 * @param decoderLayers decoder blocks
 * @param ffDim         feed-forward width
 * @param maxFrames     longest sequence (frames) the model is used with
 */
public record ModelConfig(int codebooks, int codebookSize, int dModel, int heads, int encoderLayers,
        int decoderLayers, int ffDim, int maxFrames) {

    public ModelConfig {
        if (codebooks < 1 || codebookSize < 1 || dModel < 1 || heads < 1 || encoderLayers < 1
                || decoderLayers < 1 || ffDim < 1 || maxFrames < 2) {
            throw new IllegalArgumentException("every model size must be positive (maxFrames >= 2): " + this);
        }
        if (dModel % heads != 0) {
            throw new IllegalArgumentException("dModel " + dModel + " is not divisible by heads " + heads);
        }
    }

    /** A small CPU-friendly default: width 128, 4 heads, 2 + 2 layers, feed-forward 512, 512 frames. */
    public static ModelConfig small(int codebooks, int codebookSize) {
        return new ModelConfig(codebooks, codebookSize, 128, 4, 2, 2, 512, 512);
    }

    /** Tokens per codebook: the K codes, then PAD, BOS, EOS. */
    public int vocabulary() {
        return codebookSize + 3;
    }

    public int pad() {
        return codebookSize;
    }

    public int bos() {
        return codebookSize + 1;
    }

    public int eos() {
        return codebookSize + 2;
    }

    public int headDim() {
        return dModel / heads;
    }
}
