package dev.samvaad.infer;

import dev.samvaad.codec.CodeLayout;
import dev.samvaad.io.Words;

/**
 * Shape of the encoder-decoder transformer over codec codes. Both the SameDiff training graph and
 * the pure-Java decoder ({@code dev.samvaad.infer}) are built from one of these.
 *
 * <p>Each of the {@code codebooks} (Q) token streams has a vocabulary of the {@code codebookSize}
 * (K) codes plus three specials: PAD = K, BOS = K + 1, EOS = K + 2 ({@link #layout()}).
 *
 * @param codebooks     Q, codes per frame
 * @param codebookSize  K, codes per codebook
 * @param dModel        model width d
 * @param heads         attention heads; must divide {@code dModel}
 * @param encoderLayers encoder layers
 * @param decoderLayers decoder layers
 * @param ffDim         hidden width of the feed-forward blocks
 * @param maxFrames     longest source, in codec frames, the positional encoding covers (the
 *                      model has {@link #positions()} positions of {@code frameGroup} frames)
 * @param frameGroup    G, codec frames per model step: the encoder reads, and the decoder writes,
 *                      G frames ({@code G * Q} tokens, {@link #streams()}) at each position, with
 *                      {@code G * Q} parallel output heads (grouped code modelling: at 50 frames/s,
 *                      G = 4 gives 12.5 steps/s)
 * @param sourceNorm    whether the encoder's input embeddings have their mean over the question
 *                      subtracted: with embeddings that start as the codec's features, this removes
 *                      a speaker's constant pitch and spectral offset before the encoder sees it
 * @param textSymbols   the symbols (characters) of the answer text the decoder writes before the
 *                      codes, its "inner monologue", learned from the training answers; empty for a
 *                      model that writes codes only. Text token ids: {@link #TEXT_PAD},
 *                      {@link #TEXT_BOS}, {@link #TEXT_EOT}, {@link #TEXT_CODE}, {@link #TEXT_UNKNOWN},
 *                      then symbol {@code i} is {@code TEXT_SYMBOLS + i}
 * @param summary       whether the question's summary (the mean of the encoder's output over the
 *                      question, through one linear layer) is added to every decoder row, so the
 *                      decoder reads what was asked at every step without searching for it
 * @param intents       the intents of an auxiliary training loss on the question's mean encoder output
 *                      (from meta.json; empty for none). Training only: generation never reads it
 * @param sourceFeatures D, when positive: the encoder reads each question frame as its codec
 *                      features (the sum of its codes' codebook entries, a fixed table of
 *                      {@code [Q*V, D]} the model carries as {@code src.codebook}), normalised per
 *                      question to zero mean and unit variance in each coordinate ({@code sourceNorm}
 *                      must be set), through a stack of 1-D convolutions over the frames (kernel
 *                      {@link #SOURCE_KERNEL}, strides {@link #sourceStrides()}: one vector per step
 *                      of G frames) before the encoder layers; 0: it reads learned code
 *                      embeddings ({@code emb.enc}). Learned embeddings of codes tell the training
 *                      speakers' codes apart but not what they say (EXPERIMENTS.md E15): features
 *                      keep codes that sound alike close for every speaker, and the per-question
 *                      variance removes what a voice adds to them
 * @param maxPool       whether the question's pooled encoder output (of the summary and the
 *                      intent loss) is its maximum over the question's steps rather than its
 *                      mean: a word that decides the question counts however long the rest is
 * @param intentSummary whether the summary added to every decoder row is the intent head's
 *                      posterior over {@code intents} (its softmax) through one linear layer,
 *                      rather than the pooled encoder output through one: the decoder then reads
 *                      the question as the encoder's own recognised intent, a few numbers it cannot
 *                      confuse with a voice or a wording. Needs {@code summary} and {@code intents};
 *                      generation reads the head's output, never a label
 * @param questionSymbols the symbols (characters) of the question transcripts the encoder learns to
 *                      recognise: a training loss (CTC, {@code dev.samvaad.model.Ctc}) on a head over the encoder's
 *                      output, each step read as its G frames, so the encoder's output says which
 *                      sounds were spoken whoever spoke them; empty for none. Symbol {@code i} is
 *                      CTC class {@code i + 1} (0 is the blank)
 * @param bagIntent     whether the intent head reads the question's bag of recognised symbols (the
 *                      CTC head's posteriors summed over the question's frames, as a share of all
 *                      non-blank mass) instead of the pooled encoder output: a wording it never heard
 *                      still shares most of its sounds with the ones it did (EXPERIMENTS.md E21).
 *                      Needs {@code questionSymbols} and {@code intents}
 * @param codesReadTextOnly whether the decoder's code rows read only the monologue before them and
 *                      their own past: no cross-attention to the question and no summary, which
 *                      only the text rows read. The text then decides the answer and the codes
 *                      speak it (UnitY's two-pass decoder); without it the codes are decided by
 *                      the question as much as by the text, and do not follow a text they are
 *                      given (EXPERIMENTS.md E24). Needs {@code textSymbols}
 */
public record ModelConfig(int codebooks, int codebookSize, int dModel, int heads, int encoderLayers,
                          int decoderLayers, int ffDim, int maxFrames, int frameGroup, boolean sourceNorm,
                          java.util.List<String> textSymbols, boolean summary, java.util.List<String> intents,
                          int sourceFeatures, boolean maxPool, boolean intentSummary,
                          java.util.List<String> questionSymbols, boolean bagIntent, boolean codesReadTextOnly) {

    /**
     * Added to each source feature coordinate's per-question variance before dividing by its root:
     * a coordinate that hardly moves in a question (spread below 0.01 of the codec's scaled units)
     * is not blown up into noise.
     */
    public static final double FEATURE_EPS = 1e-4;

    /**
     * Factor of the bag of recognised symbols before the intent head ({@link #bagIntent()}): the
     * bag's shares sum to 1, so this sets how far apart its logits start.
     */
    public static final float BAG_SCALE = 10f;

    /** Kernel width, in frames, of the convolutions of a features-reading encoder. */
    public static final int SOURCE_KERNEL = 5;

    /** Text token of padding. */
    public static final int TEXT_PAD = 0;
    /** Text token that starts the monologue. */
    public static final int TEXT_BOS = 1;
    /** Text token that ends the monologue: the codes follow. */
    public static final int TEXT_EOT = 2;
    /** Text token of every code row of the decoder (it marks the row as one of codes). */
    public static final int TEXT_CODE = 3;
    /** Text token of a symbol not in the inventory. */
    public static final int TEXT_UNKNOWN = 4;
    /** The first symbol's token. */
    public static final int TEXT_SYMBOLS = 5;

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
     * @param maxFrames     longest source, in codec frames, the positional encoding covers
     * @param frameGroup    codec frames per model step, {@code >= 1}
     * @param sourceNorm    whether the encoder input is normalised per question
     * @param textSymbols   the monologue's symbols, distinct; empty for none
     * @param summary       whether the question's summary conditions every decoder row
     * @param intents       intents of the auxiliary loss, distinct; empty for none
     * @param sourceFeatures D, the codec features per question frame the encoder reads; 0 for code embeddings
     * @param maxPool       whether the pooled encoder output is the maximum over the steps, not the mean
     * @param intentSummary whether the summary is the intent head's posterior through one linear layer
     * @param questionSymbols symbols of the question transcripts the encoder's CTC head recognises, distinct; empty for none
     * @param bagIntent     whether the intent head reads the bag of recognised symbols
     * @param codesReadTextOnly whether the code rows read only the monologue and their own past
     * @throws IllegalArgumentException if a value is not positive or {@code heads} does not divide
     *     {@code dModel}, features are read without per-question normalisation, or the summary is
     *     of intents without a summary or intents
     */
    public ModelConfig {
        textSymbols = java.util.List.copyOf(textSymbols);
        // Absent from model.json written before the CTC head: none.
        questionSymbols = questionSymbols == null ? java.util.List.of() : java.util.List.copyOf(questionSymbols);
        if (new java.util.HashSet<>(questionSymbols).size() != questionSymbols.size()) {
            throw new IllegalArgumentException("questionSymbols has duplicates");
        }
        if (bagIntent && (questionSymbols.isEmpty() || intents.isEmpty())) {
            throw new IllegalArgumentException("bagIntent needs questionSymbols and intents: the intent head reads "
                    + "the bag of recognised question symbols");
        }
        if (codesReadTextOnly && textSymbols.isEmpty()) {
            throw new IllegalArgumentException("codesReadTextOnly needs textSymbols: the code rows read the monologue");
        }
        intents = java.util.List.copyOf(intents);
        if (new java.util.HashSet<>(intents).size() != intents.size()) {
            throw new IllegalArgumentException("intents has duplicates");
        }
        if (new java.util.HashSet<>(textSymbols).size() != textSymbols.size()) {
            throw new IllegalArgumentException("textSymbols has duplicates");
        }
        requirePositive("codebooks", codebooks);
        requirePositive("codebookSize", codebookSize);
        new CodeLayout(codebooks, codebookSize); // K and the specials after it must fit an int
        requirePositive("dModel", dModel);
        requirePositive("heads", heads);
        requirePositive("encoderLayers", encoderLayers);
        requirePositive("decoderLayers", decoderLayers);
        requirePositive("ffDim", ffDim);
        requirePositive("maxFrames", maxFrames);
        requirePositive("frameGroup", frameGroup);
        if (sourceFeatures < 0) {
            throw new IllegalArgumentException("sourceFeatures must be >= 0, got " + sourceFeatures);
        }
        if (sourceFeatures > 0 && !sourceNorm) {
            throw new IllegalArgumentException("sourceFeatures needs sourceNorm: the encoder's features are normalised per question");
        }
        if (intentSummary && (!summary || intents.isEmpty())) {
            throw new IllegalArgumentException("intentSummary needs a summary and intents: the summary is the intent head's posterior");
        }
        if (maxFrames < 2 * frameGroup) {
            throw new IllegalArgumentException("maxFrames " + maxFrames + " must cover at least two steps of "
                    + frameGroup + " frames");
        }
        if (dModel % heads != 0) {
            throw new IllegalArgumentException("dModel " + dModel + " is not divisible by heads " + heads);
        }
    }

    /**
     * A config whose encoder reads learned code embeddings ({@code sourceFeatures} 0).
     *
     * @param codebooks     Q, codes per frame
     * @param codebookSize  K, codes per codebook
     * @param dModel        model width
     * @param heads         attention heads; must divide {@code dModel}
     * @param encoderLayers encoder layers
     * @param decoderLayers decoder layers
     * @param ffDim         hidden width of the feed-forward blocks
     * @param maxFrames     longest source, in codec frames
     * @param frameGroup    codec frames per model step
     * @param sourceNorm    whether the encoder input is normalised per question
     * @param textSymbols   the monologue's symbols, distinct; empty for none
     * @param summary       whether the question's summary conditions every decoder row
     * @param intents       intents of the auxiliary loss, distinct; empty for none
     */
    public ModelConfig(int codebooks, int codebookSize, int dModel, int heads, int encoderLayers, int decoderLayers,
            int ffDim, int maxFrames, int frameGroup, boolean sourceNorm, java.util.List<String> textSymbols,
            boolean summary, java.util.List<String> intents) {
        this(codebooks, codebookSize, dModel, heads, encoderLayers, decoderLayers, ffDim, maxFrames, frameGroup,
                sourceNorm, textSymbols, summary, intents, 0, false, false, java.util.List.of(), false, false);
    }

    /**
     * A config of one frame per step and no source normalisation (the layout of format 1).
     *
     * @param codebooks     Q, codes per frame
     * @param codebookSize  K, codes per codebook
     * @param dModel        model width
     * @param heads         attention heads; must divide {@code dModel}
     * @param encoderLayers encoder layers
     * @param decoderLayers decoder layers
     * @param ffDim         hidden width of the feed-forward blocks
     * @param maxFrames     longest sequence the positional encoding covers
     */
    public ModelConfig(int codebooks, int codebookSize, int dModel, int heads, int encoderLayers, int decoderLayers,
            int ffDim, int maxFrames) {
        this(codebooks, codebookSize, dModel, heads, encoderLayers, decoderLayers, ffDim, maxFrames, 1, false);
    }

    /**
     * A config without text monologue.
     *
     * @param codebooks     Q, codes per frame
     * @param codebookSize  K, codes per codebook
     * @param dModel        model width
     * @param heads         attention heads; must divide {@code dModel}
     * @param encoderLayers encoder layers
     * @param decoderLayers decoder layers
     * @param ffDim         hidden width of the feed-forward blocks
     * @param maxFrames     longest source, in codec frames
     * @param frameGroup    codec frames per model step
     * @param sourceNorm    whether the encoder input is normalised per question
     */
    public ModelConfig(int codebooks, int codebookSize, int dModel, int heads, int encoderLayers, int decoderLayers,
            int ffDim, int maxFrames, int frameGroup, boolean sourceNorm) {
        this(codebooks, codebookSize, dModel, heads, encoderLayers, decoderLayers, ffDim, maxFrames, frameGroup,
                sourceNorm, java.util.List.of(), false, java.util.List.of());
    }

    /**
     * This config with a question summary and an auxiliary intent loss.
     *
     * @param withSummary whether the question's summary conditions every decoder row
     * @param intentNames intents of the auxiliary loss; empty for none
     * @return the new config
     */
    public ModelConfig withSummary(boolean withSummary, java.util.List<String> intentNames) {
        return new ModelConfig(codebooks, codebookSize, dModel, heads, encoderLayers, decoderLayers, ffDim, maxFrames,
                frameGroup, sourceNorm, textSymbols, withSummary, intentNames, sourceFeatures, maxPool,
                intentSummary && withSummary && !intentNames.isEmpty(), questionSymbols,
                bagIntent && !intentNames.isEmpty(), codesReadTextOnly);
    }

    /**
     * This config with a text monologue of these symbols.
     *
     * @param symbols the symbols, distinct; empty for none
     * @return the new config
     */
    public ModelConfig withText(java.util.List<String> symbols) {
        return new ModelConfig(codebooks, codebookSize, dModel, heads, encoderLayers, decoderLayers, ffDim, maxFrames,
                frameGroup, sourceNorm, symbols, summary, intents, sourceFeatures, maxPool, intentSummary, questionSymbols, bagIntent,
                codesReadTextOnly && !symbols.isEmpty());
    }

    /** {@return whether the decoder writes the answer's text before its codes} */
    public boolean hasText() {
        return !textSymbols.isEmpty();
    }

    /** {@return the text tokens: the five specials and the symbols} */
    public int textVocabulary() {
        return TEXT_SYMBOLS + textSymbols.size();
    }

    /**
     * This config with another frame group and source normalisation.
     *
     * @param group codec frames per step
     * @param norm  whether the encoder input is normalised per question
     * @return the new config
     */
    public ModelConfig withGrouping(int group, boolean norm) {
        return new ModelConfig(codebooks, codebookSize, dModel, heads, encoderLayers, decoderLayers, ffDim, maxFrames,
                group, norm, textSymbols, summary, intents, sourceFeatures, maxPool, intentSummary, questionSymbols, bagIntent, codesReadTextOnly);
    }

    /**
     * This config with the encoder reading {@code dim} codec features per question frame
     * (normalised per question, so source normalisation is switched on), or code embeddings (0).
     *
     * @param dim the codec's feature size D, e.g. {@code RvqCodec.codeVectors()[0][0].length}; 0 for embeddings
     * @return the new config
     */
    public ModelConfig withSourceFeatures(int dim) {
        return new ModelConfig(codebooks, codebookSize, dModel, heads, encoderLayers, decoderLayers, ffDim, maxFrames,
                frameGroup, sourceNorm || dim > 0, textSymbols, summary, intents, dim, maxPool, intentSummary, questionSymbols, bagIntent, codesReadTextOnly);
    }

    /**
     * This config with the question pooled by its maximum (or mean) over the steps.
     *
     * @param max whether to pool by the maximum
     * @return the new config
     */
    public ModelConfig withMaxPool(boolean max) {
        return new ModelConfig(codebooks, codebookSize, dModel, heads, encoderLayers, decoderLayers, ffDim, maxFrames,
                frameGroup, sourceNorm, textSymbols, summary, intents, sourceFeatures, max, intentSummary, questionSymbols, bagIntent, codesReadTextOnly);
    }

    /**
     * This config with the summary of the intent head's posterior (or of the pooled encoder output).
     *
     * @param of whether the summary is the intent head's posterior
     * @return the new config
     * @throws IllegalArgumentException if {@code of} and the config has no summary or no intents
     */
    public ModelConfig withIntentSummary(boolean of) {
        return new ModelConfig(codebooks, codebookSize, dModel, heads, encoderLayers, decoderLayers, ffDim, maxFrames,
                frameGroup, sourceNorm, textSymbols, summary, intents, sourceFeatures, maxPool, of, questionSymbols, bagIntent, codesReadTextOnly);
    }

    /**
     * This config with a CTC head recognising these question symbols, and whether the intent head
     * reads their bag.
     *
     * @param symbols the symbols, distinct; empty for no CTC head
     * @param bag     whether the intent head reads the bag of recognised symbols
     * @return the new config
     * @throws IllegalArgumentException if {@code bag} and there are no symbols or no intents
     */
    public ModelConfig withQuestionSymbols(java.util.List<String> symbols, boolean bag) {
        return new ModelConfig(codebooks, codebookSize, dModel, heads, encoderLayers, decoderLayers, ffDim, maxFrames,
                frameGroup, sourceNorm, textSymbols, summary, intents, sourceFeatures, maxPool, intentSummary, symbols, bag, codesReadTextOnly);
    }

    /**
     * This config with the code rows reading only the monologue and their own past, or also the question.
     *
     * @param textOnly whether the code rows read only the monologue (no cross-attention, no summary)
     * @return the new config
     * @throws IllegalArgumentException if {@code textOnly} and the model has no monologue
     */
    public ModelConfig withCodesReadTextOnly(boolean textOnly) {
        return new ModelConfig(codebooks, codebookSize, dModel, heads, encoderLayers, decoderLayers, ffDim, maxFrames,
                frameGroup, sourceNorm, textSymbols, summary, intents, sourceFeatures, maxPool, intentSummary,
                questionSymbols, bagIntent, textOnly);
    }

    /** {@return whether the encoder has a CTC head recognising the question's symbols} */
    public boolean recognisesQuestion() {
        return !questionSymbols.isEmpty();
    }

    /** {@return the CTC classes per frame: the blank and the question symbols} */
    public int ctcClasses() {
        return questionSymbols.size() + 1;
    }

    /**
     * This config with another number of decoder layers.
     *
     * @param layers decoder layers, positive
     * @return the new config
     */
    public ModelConfig withDecoderLayers(int layers) {
        return new ModelConfig(codebooks, codebookSize, dModel, heads, encoderLayers, layers, ffDim, maxFrames,
                frameGroup, sourceNorm, textSymbols, summary, intents, sourceFeatures, maxPool, intentSummary, questionSymbols, bagIntent, codesReadTextOnly);
    }

    /**
     * This config with another number of encoder layers.
     *
     * @param layers encoder layers, positive
     * @return the new config
     */
    public ModelConfig withEncoderLayers(int layers) {
        return new ModelConfig(codebooks, codebookSize, dModel, heads, layers, decoderLayers, ffDim, maxFrames,
                frameGroup, sourceNorm, textSymbols, summary, intents, sourceFeatures, maxPool, intentSummary, questionSymbols, bagIntent, codesReadTextOnly);
    }

    /**
     * The strides of a features-reading encoder's convolutions: 1 (over the frames), then the
     * prime factors of {@code frameGroup} in rising order, whose product takes G frames to one step
     * (G = 4: 1, 2, 2).
     *
     * @return the strides, one per convolution
     */
    public int[] sourceStrides() {
        java.util.List<Integer> strides = new java.util.ArrayList<>(java.util.List.of(1));
        int rest = frameGroup;
        for (int f = 2; rest > 1; f++) {
            while (rest % f == 0) {
                strides.add(f);
                rest /= f;
            }
        }
        return strides.stream().mapToInt(Integer::intValue).toArray();
    }

    /** {@return whether the encoder reads codec features ({@link #sourceFeatures()} > 0) rather than code embeddings} */
    public boolean readsFeatures() {
        return sourceFeatures > 0;
    }

    /** {@return the tokens per model step, {@code frameGroup * codebooks}: stream {@code g * Q + q} is codebook q of the step's frame g} */
    public int streams() {
        return frameGroup * codebooks;
    }

    /** {@return the model's positions: {@code ceil(maxFrames / frameGroup)} steps} */
    public int positions() {
        return (maxFrames + frameGroup - 1) / frameGroup;
    }

    /** {@return the longest answer in frames: the decoder input (BOS step and the answer's groups) fills at most {@link #positions()}} */
    public int maxAnswerFrames() {
        return (positions() - 1) * frameGroup;
    }

    /**
     * The tiny size of {@code train --size tiny} and the quickstart: dModel 64, 4 heads, 1 encoder
     * and 1 decoder layer, ffDim 256, maxFrames 400, one frame per step (the command adds its grouping,
     * features, monologue and summary).
     *
     * @param codebooks    Q, the codec's codebooks
     * @param codebookSize K, the codec's codes per codebook
     * @return the config
     */
    public static ModelConfig tiny(int codebooks, int codebookSize) {
        return new ModelConfig(codebooks, codebookSize, 64, 4, 1, 1, 256, 400);
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
        return new ModelConfig(codebooks, codebookSize, 128, 4, 2, 2, 512, 512, 1, false);
    }

    /**
     * The codes the model reads and writes and the token ids of each codebook stream: Q codebooks
     * of K codes, then PAD, BOS and EOS. Not a JSON property (not a record component, not named
     * like a getter): model.json and weights.smvd hold {@code codebooks} and {@code codebookSize}.
     *
     * @return {@code Q} codebooks of {@code K} codes
     */
    public CodeLayout layout() {
        return new CodeLayout(codebooks, codebookSize);
    }

    /** {@return the width of one attention head, {@code dModel / heads}} */
    public int headDim() {
        return dModel / heads;
    }

    /**
     * The model in words, for logs and the commands' output: {@code 1.2 M parameters, width 64,
     * 1 encoder + 1 decoder layer, 4 frames per step, 4 x 256 codes per frame, reads the codec's
     * features, text monologue of 40 symbols, 15 intents}.
     *
     * @return one line, without the record's field names
     */
    public String describe() {
        String parameters;
        try {
            long n = WeightNames.count(this);
            parameters = n >= 1_000_000 ? String.format(java.util.Locale.ROOT, "%.1f M parameters", n / 1e6)
                    : String.format(java.util.Locale.ROOT, "%,d parameters", n);
        } catch (ArithmeticException e) {
            parameters = "more than 2^63 parameters";
        }
        StringBuilder s = new StringBuilder(parameters).append(", width ").append(dModel).append(", ")
                .append(encoderLayers).append(" encoder + ").append(decoderLayers)
                .append(encoderLayers == 1 && decoderLayers == 1 ? " decoder layer" : " decoder layers")
                .append(", ").append(Words.count(frameGroup, "frame")).append(" per step, ")
                .append(codebooks).append(" x ").append(codebookSize).append(" codes per frame, ")
                .append(readsFeatures() ? "reads the codec's features" : "reads code embeddings");
        if (hasText()) {
            s.append(", text monologue of ").append(Words.count(textSymbols.size(), "symbol"));
            if (codesReadTextOnly) {
                s.append(" (the codes read only the text)");
            }
        }
        if (!intents.isEmpty()) {
            s.append(", ").append(Words.count(intents.size(), "intent"));
        }
        if (recognisesQuestion()) {
            s.append(", recognises the question");
        }
        return s.toString();
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
