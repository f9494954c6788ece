package dev.samvaad.model;

import dev.samvaad.infer.ModelConfig;
import dev.samvaad.infer.WeightNames;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv1DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The transformer as a SameDiff graph, built from primitives so that its arithmetic is exactly
 * what the pure-Java decoder ({@code dev.samvaad.infer.FastDecoder}) computes: embeddings as
 * one-hot x matrix (SameDiff's gather breaks training in 1.0.0-M2.1), layer norm and tanh-GELU
 * written out, attention from batched matmuls with additive masks.
 *
 * <p>Inputs are placeholders filled by {@link GraphInputs}: token ids {@code src} [B, Ts, S],
 * {@code tgt} and {@code labels} [B, Td, S] (S = G * Q streams per step); sinusoidal positions,
 * tiled per row; additive
 * masks of full size; and the shapes that reshapes need (SameDiff cannot infer them from
 * placeholders of unknown size). Outputs: {@code logits} [B*Td*S, V] of the code rows,
 * {@code textLogits} [B*Lt, Vt] of the text rows, and {@code loss}, the masked mean cross-entropy.
 */
final class S2sGraph {
    static final String LOSS = "loss";
    static final String LOGITS = "logits";
    static final String TEXT_LOGITS = "textLogits";
    static final String INTENT_LOGITS = "intentLogits";
    /** The CTC head's logits, {@code [B*Ts, G*C]}: each step's G frames of C classes (blank first). */
    static final String CTC_LOGITS = "ctcLogits";
    /** Placeholder of the CTC loss's gradient with respect to {@link #CTC_LOGITS}, computed by {@link Ctc}. */
    static final String CTC_GRADIENT = "ctcGrad";
    /**
     * Placeholder of where a batch row's code rows begin, {@code [0, Lt, 0]}; graphs saved before
     * the heads read only their own rows (they computed both heads on every row) lack it.
     */
    static final String CODE_BEGIN = "codeBegin";
    /** Placeholder of the decoder rows' shape {@code [B, Lt+Td, d]}, for the heads' row slices. */
    static final String ROWS3 = "rows3";
    static final double LN_EPS = 1e-5;

    private final SameDiff sd;
    private final ModelConfig c;
    private final int v;

    private S2sGraph(SameDiff sd, ModelConfig config) {
        this.sd = sd;
        this.c = config;
        this.v = config.layout().vocabulary();
    }

    /** Builds the graph with the given initial weights (names as in {@link WeightNames}). */
    static SameDiff build(ModelConfig config, Map<String, float[]> weights) {
        SameDiff sd = SameDiff.create();
        new S2sGraph(sd, config).define(weights);
        return sd;
    }

    private void define(Map<String, float[]> weights) {
        for (Map.Entry<String, float[]> w : weights.entrySet()) {
            long[] shape = WeightNames.shape(c, w.getKey());
            INDArray value = Nd4j.create(w.getValue(), shape, 'c');
            if (WeightNames.trained(w.getKey())) {
                sd.var(w.getKey(), value);
            } else {
                sd.constant(w.getKey(), value); // no gradient, no updater, saved with the graph
            }
        }
        SDVariable src = sd.placeHolder("src", DataType.INT, -1, -1, c.streams());
        SDVariable tgt = sd.placeHolder("tgt", DataType.INT, -1, -1, c.streams());
        SDVariable labels = sd.placeHolder("labels", DataType.INT, -1, -1, c.streams());
        SDVariable srcPos = sd.placeHolder("srcPos", DataType.FLOAT, -1, c.dModel());
        SDVariable tgtPos = sd.placeHolder("tgtPos", DataType.FLOAT, -1, c.dModel());
        SDVariable encSelfMask = sd.placeHolder("encSelfMask", DataType.FLOAT, -1, c.heads(), -1, -1);
        SDVariable decSelfMask = sd.placeHolder("decSelfMask", DataType.FLOAT, -1, c.heads(), -1, -1);
        SDVariable crossMask = sd.placeHolder("crossMask", DataType.FLOAT, -1, c.heads(), -1, -1);
        SDVariable labelMask = sd.placeHolder("labelMask", DataType.FLOAT, -1);
        SDVariable srcFlat = sd.placeHolder("srcFlat", DataType.LONG, 2);
        SDVariable tgtFlat = sd.placeHolder("tgtFlat", DataType.LONG, 2);
        SDVariable src4 = sd.placeHolder("src4", DataType.LONG, 4);
        SDVariable tgt4 = sd.placeHolder("tgt4", DataType.LONG, 4);
        SDVariable src2 = sd.placeHolder("src2", DataType.LONG, 2);
        SDVariable tgt2 = sd.placeHolder("tgt2", DataType.LONG, 2);
        SDVariable logitShape = sd.placeHolder("logitShape", DataType.LONG, 2);

        // Encoder: rows are (batch, step) pairs, [B*Ts, d].
        boolean pooling = c.summary() || !c.intents().isEmpty();
        SDVariable srcMask3 = c.sourceNorm() || pooling ? sd.placeHolder("srcMask3", DataType.FLOAT, -1, -1, 1) : null;
        SDVariable src3 = c.sourceNorm() || pooling ? sd.placeHolder("src3", DataType.LONG, 3) : null;
        SDVariable x;
        if (c.readsFeatures()) {
            x = sourceFeatures(src);
        } else {
            x = embed(src, srcFlat, "emb.enc");
            if (c.sourceNorm()) {
                x = normalizeSource(x, srcMask3, src3, src2);
            }
        }
        x = x.add(srcPos);
        for (int i = 0; i < c.encoderLayers(); i++) {
            String p = "enc." + i + ".";
            x = x.add(attention(layerNorm(x, p + "ln1"), null, p + "attn", src4, src4, src2, encSelfMask));
            x = x.add(feedForward(layerNorm(x, p + "ln2"), p + "ff"));
        }
        SDVariable memory = layerNorm(x, "enc.ln");
        // The question's mean (or maximum) encoder output over its real steps, [B, d].
        SDVariable pooled = !pooling ? null : c.maxPool()
                ? sd.reshape(memory, src3).add(srcMask3.sub(1.0).mul(1e4)).max(false, 1)
                : sd.reshape(memory, src3).mul(srcMask3).sum(false, 1).div(srcMask3.sum(false, 1));

        SDVariable y = embed(tgt, tgtFlat, "emb.dec");
        SDVariable tgtText = null;
        if (c.hasText()) {
            // Text rows carry their text token (code streams PAD), code rows TEXT_CODE.
            tgtText = sd.placeHolder("tgtText", DataType.INT, -1);
            y = y.add(sd.oneHot(tgtText, c.textVocabulary()).mmul(sd.getVariable("emb.text")));
        }
        y = y.add(tgtPos);
        SDVariable ctcLogits = !c.recognisesQuestion() ? null
                : sd.identity(CTC_LOGITS, memory.mmul(sd.getVariable("ctc.w")).add(sd.getVariable("ctc.b")));
        SDVariable intentLogits = c.intents().isEmpty() ? null
                : sd.identity(INTENT_LOGITS, (c.bagIntent() ? bagOfSymbols(ctcLogits) : pooled)
                        .mmul(sd.getVariable("intent.w")).add(sd.getVariable("intent.b")));
        if (c.summary()) {
            SDVariable tgt3 = sd.placeHolder("tgt3", DataType.LONG, 3);
            // The summary reads the pooled output, or the intent head's posterior (softmax of its logits).
            SDVariable summaryInput = c.intentSummary() ? softmaxRows(intentLogits) : pooled;
            SDVariable summary = sd.expandDims(summaryInput.mmul(sd.getVariable("summary.w")).add(sd.getVariable("summary.b")), 1);
            if (c.codesReadTextOnly()) {
                summary = summary.mul(sd.placeHolder("textRows3", DataType.FLOAT, -1, -1, 1));
            }
            y = sd.reshape(sd.reshape(y, tgt3).add(summary), tgt2);
        }
        // 1 on text rows, 0 on code rows: the code rows of a text-driven model do not read the question.
        SDVariable textRows = c.codesReadTextOnly() ? sd.placeHolder("textRows", DataType.FLOAT, -1, 1) : null;
        for (int i = 0; i < c.decoderLayers(); i++) {
            String p = "dec." + i + ".";
            y = y.add(attention(layerNorm(y, p + "ln1"), null, p + "self", tgt4, tgt4, tgt2, decSelfMask));
            SDVariable cross = attention(layerNorm(y, p + "ln2"), memory, p + "cross", tgt4, src4, tgt2, crossMask);
            y = y.add(textRows == null ? cross : cross.mul(textRows));
            y = y.add(feedForward(layerNorm(y, p + "ln3"), p + "ff"));
        }
        SDVariable h = layerNorm(y, "dec.ln");
        // Each head reads only its own rows (a batch row's Lt text rows come first, then its Td
        // code rows): the code head and its cross-entropy, the largest arrays of a step, are not
        // spent on the text rows, nor the text head on the code rows.
        SDVariable h3 = sd.reshape(h, sd.placeHolder(ROWS3, DataType.LONG, 3));
        SDVariable codeH = sd.reshape(sd.slice(h3, sd.placeHolder(CODE_BEGIN, DataType.INT, 3),
                sd.placeHolder("codeSize", DataType.INT, 3)), sd.placeHolder("codes2", DataType.LONG, 2));
        SDVariable logits = sd.reshape(LOGITS, codeH.mmul(sd.getVariable("head.w")).add(sd.getVariable("head.b")),
                logitShape);

        // The cross-entropy written out: SameDiff M2.1's fused ones do not serve (the sparse one's
        // gradient ignores the mask's weights, the dense one's gradient op refuses per-row weights).
        SDVariable logProbs = logSoftmaxRows(logits);
        SDVariable target = sd.oneHot(labels, v).reshape(-1, v);
        SDVariable crossEntropy = logProbs.mul(target).sum(1).neg();
        SDVariable loss = crossEntropy.mul(labelMask).sum().div(labelMask.sum());
        if (c.hasText()) {
            SDVariable textLabels = sd.placeHolder("textLabels", DataType.INT, -1);
            SDVariable textMask = sd.placeHolder("textMask", DataType.FLOAT, -1);
            SDVariable textH = sd.reshape(sd.slice(h3, sd.placeHolder("textBegin", DataType.INT, 3),
                    sd.placeHolder("textSize", DataType.INT, 3)), sd.placeHolder("text2", DataType.LONG, 2));
            SDVariable textLogits = sd.identity(TEXT_LOGITS, textH.mmul(sd.getVariable("head.text.w"))
                    .add(sd.getVariable("head.text.b")));
            SDVariable textLogProbs = logSoftmaxRows(textLogits);
            SDVariable textCe = textLogProbs.mul(sd.oneHot(textLabels, c.textVocabulary())).sum(1).neg();
            // A batch without any text (recordings with no transcript) adds nothing, not 0/0.
            loss = loss.add(textCe.mul(textMask).sum().div(textMask.sum().add(1e-6)));
        }
        if (!c.intents().isEmpty()) {
            SDVariable intentLabels = sd.placeHolder("intentLabels", DataType.INT, -1);
            SDVariable intentMask = sd.placeHolder("intentMask", DataType.FLOAT, -1);
            SDVariable intentLogProbs = logSoftmaxRows(intentLogits);
            SDVariable intentCe = intentLogProbs.mul(sd.oneHot(intentLabels, c.intents().size())).sum(1).neg();
            loss = loss.add(intentCe.mul(intentMask).sum().div(intentMask.sum().add(1e-6)));
        }
        if (c.recognisesQuestion()) {
            // The CTC loss is computed outside the graph (Ctc: SameDiff M2.1's ctc_loss op cannot be
            // built); sum(logits * dLoss/dLogits) back-propagates exactly that gradient. Validation
            // and inference feed zeros.
            SDVariable ctcGrad = sd.placeHolder(CTC_GRADIENT, DataType.FLOAT, -1, (long) c.frameGroup() * c.ctcClasses());
            loss = loss.add(ctcLogits.mul(ctcGrad).sum());
        }
        sd.identity(LOSS, loss);
        sd.setLossVariables(LOSS);
    }

    /**
     * The question's bag of recognised symbols, [B, symbols]: each real frame's CTC posteriors
     * without the blank, summed over the question, as a share of their total, times
     * {@link ModelConfig#BAG_SCALE}.
     */
    private SDVariable bagOfSymbols(SDVariable ctcLogits) {
        int classes = c.ctcClasses();
        SDVariable frames = sd.reshape(ctcLogits, sd.placeHolder("ctcFrames2", DataType.LONG, 2));
        float[] drop = new float[classes * (classes - 1)];
        for (int k = 1; k < classes; k++) {
            drop[k * (classes - 1) + k - 1] = 1f;
        }
        SDVariable dropBlank = sd.constant("ctc.dropBlank", Nd4j.create(drop, new long[] {classes, classes - 1}, 'c'));
        SDVariable frameMask = sd.placeHolder("ctcFrameMask", DataType.FLOAT, -1, 1);
        SDVariable symbols = softmaxRows(frames).mmul(dropBlank).mul(frameMask);
        SDVariable bag = sd.reshape(symbols, sd.placeHolder("ctcFrames3", DataType.LONG, 3)).sum(false, 1);
        return bag.div(bag.sum(true, 1).add(1e-6)).mul(ModelConfig.BAG_SCALE);
    }

    /**
     * Log-softmax over each row of {@code logits} [B, n], written out (shifted by the row maximum):
     * SameDiff 1.0.0-M2.1's LogSoftMax op fails in the backward pass.
     */
    private SDVariable logSoftmaxRows(SDVariable logits) {
        SDVariable shifted = logits.sub(logits.max(true, 1));
        return shifted.sub(sd.math().log(sd.math().exp(shifted).sum(true, 1)));
    }

    /** Softmax over each row of {@code logits} [B, n], written out (shifted by the row maximum). */
    private SDVariable softmaxRows(SDVariable logits) {
        SDVariable e = sd.math().exp(logits.sub(logits.max(true, 1)));
        return e.div(e.sum(true, 1));
    }

    /**
     * Each source's embeddings less their mean over its real steps (mask [B, Ts, 1]): a constant
     * offset of the speaker (pitch, loudness, timbre) in the features the embeddings start from
     * is gone before the encoder reads them.
     */
    private SDVariable normalizeSource(SDVariable rows, SDVariable mask3, SDVariable shape3, SDVariable shape2) {
        SDVariable x = sd.reshape(rows, shape3);
        SDVariable mean = x.mul(mask3).sum(true, 1).div(mask3.sum(true, 1));
        return sd.reshape(x.sub(mean), shape2);
    }

    /**
     * The encoder's input rows [B*Ts, d] from the question's codec features: each frame's codes
     * dequantised by the fixed codebook table (one-hot [B*Ts*G, Q*V] x [Q*V, D]), each coordinate
     * normalised over the question's real frames to zero mean and unit variance (PAD frames, mask
     * [B, Ts*G, 1], stay zero), then 1-D convolutions over the frames (zero "same" padding, GELU),
     * whose strides take G frames to one step. After each convolution the positions past the
     * question's last step are zeroed (masks srcConvMask.i [B, W_i, 1]), so a padded batch row
     * computes what the pure-Java encoder computes over the question alone.
     */
    private SDVariable sourceFeatures(SDVariable src) {
        SDVariable frames2 = sd.placeHolder("srcFrames2", DataType.LONG, 2);
        SDVariable frames3 = sd.placeHolder("srcFrames3", DataType.LONG, 3);
        SDVariable steps2 = sd.placeHolder("srcSteps2", DataType.LONG, 2);
        SDVariable frameMask = sd.placeHolder("srcFrameMask", DataType.FLOAT, -1, -1, 1);
        SDVariable features = sd.reshape(sd.reshape(sd.oneHot(src, v), frames2).mmul(sd.getVariable(WeightNames.SOURCE_CODEBOOK)),
                frames3);
        SDVariable count = frameMask.sum(true, 1);
        SDVariable mean = features.mul(frameMask).sum(true, 1).div(count);
        SDVariable centred = features.sub(mean).mul(frameMask);
        SDVariable variance = centred.mul(centred).sum(true, 1).div(count);
        SDVariable h = centred.div(sd.math().sqrt(variance.add(ModelConfig.FEATURE_EPS)));
        int[] strides = c.sourceStrides();
        for (int i = 0; i < strides.length; i++) {
            Conv1DConfig conv = Conv1DConfig.builder().k(ModelConfig.SOURCE_KERNEL).s(strides[i]).d(1)
                    .paddingMode(PaddingMode.SAME).dataFormat(Conv1DConfig.NWC).build();
            SDVariable u = sd.cnn().conv1d(h, sd.getVariable("src.conv." + i + ".w"), sd.getVariable("src.conv." + i + ".b"), conv);
            SDVariable mask = sd.placeHolder("srcConvMask." + i, DataType.FLOAT, -1, -1, 1);
            h = gelu(u).mul(mask);
        }
        return sd.reshape(h, steps2);
    }

    /** Sum of per-stream embeddings of each step: one-hot [rows, S*V] x table [S*V, d]. */
    private SDVariable embed(SDVariable tokens, SDVariable flatShape, String table) {
        SDVariable oneHot = sd.reshape(sd.oneHot(tokens, v), flatShape);
        return oneHot.mmul(sd.getVariable(table));
    }

    private SDVariable linear(SDVariable x, String w, String b) {
        return x.mmul(sd.getVariable(w)).add(sd.getVariable(b));
    }

    private SDVariable layerNorm(SDVariable x, String name) {
        SDVariable mean = x.mean(true, 1);
        SDVariable centred = x.sub(mean);
        SDVariable variance = centred.mul(centred).mean(true, 1);
        return centred.div(sd.math().sqrt(variance.add(LN_EPS))).mul(sd.getVariable(name + ".g"))
                .add(sd.getVariable(name + ".b"));
    }

    /** tanh-GELU of {@code x W1 + b1}, then W2 + b2. */
    private SDVariable feedForward(SDVariable x, String p) {
        return linear(gelu(linear(x, p + ".w1", p + ".b1")), p + ".w2", p + ".b2");
    }

    /** tanh-approximated GELU. */
    private SDVariable gelu(SDVariable u) {
        SDVariable inner = u.add(u.mul(u).mul(u).mul(0.044715)).mul(Math.sqrt(2 / Math.PI));
        return u.mul(sd.math().tanh(inner).add(1.0)).mul(0.5);
    }

    /**
     * Multi-head attention of queries from {@code x} over keys/values from {@code kv} ({@code x}
     * itself when null). Rows are [B*T, d]; heads are split by reshaping to [B, T, H, dh] and
     * permuting to [B, H, T, dh].
     */
    private SDVariable attention(SDVariable x, SDVariable kv, String p, SDVariable qShape4, SDVariable kvShape4,
            SDVariable outShape2, SDVariable mask) {
        SDVariable source = kv == null ? x : kv;
        SDVariable q = heads(linear(x, p + ".wq", p + ".bq"), qShape4);
        SDVariable k = heads(linear(source, p + ".wk", p + ".bk"), kvShape4);
        SDVariable val = heads(linear(source, p + ".wv", p + ".bv"), kvShape4);
        SDVariable scores = sd.mmul(q, k, false, true, false).mul(1.0 / Math.sqrt(c.headDim())).add(mask);
        SDVariable weights = sd.nn().softmax(scores, 3);
        SDVariable context = sd.permute(sd.mmul(weights, val), 0, 2, 1, 3);
        return linear(sd.reshape(context, outShape2), p + ".wo", p + ".bo");
    }

    private SDVariable heads(SDVariable rows, SDVariable shape4) {
        return sd.permute(sd.reshape(rows, shape4), 0, 2, 1, 3);
    }
}
