package dev.samvaad.model;

import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
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
 * placeholders of unknown size). Outputs: {@code logits} [B*Td*S, V] and {@code loss}, the
 * masked mean cross-entropy.
 */
final class S2sGraph {
    static final String LOSS = "loss";
    static final String LOGITS = "logits";
    static final String TEXT_LOGITS = "textLogits";
    static final double LN_EPS = 1e-5;

    private final SameDiff sd;
    private final ModelConfig c;
    private final int v;

    private S2sGraph(SameDiff sd, ModelConfig config) {
        this.sd = sd;
        this.c = config;
        this.v = config.vocabulary();
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
            sd.var(w.getKey(), Nd4j.create(w.getValue(), shape, 'c'));
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
        SDVariable x = embed(src, srcFlat, "emb.enc");
        boolean pooling = c.summary() || !c.intents().isEmpty();
        SDVariable srcMask3 = c.sourceNorm() || pooling ? sd.placeHolder("srcMask3", DataType.FLOAT, -1, -1, 1) : null;
        SDVariable src3 = c.sourceNorm() || pooling ? sd.placeHolder("src3", DataType.LONG, 3) : null;
        if (c.sourceNorm()) {
            x = normalizeSource(x, srcMask3, src3, src2);
        }
        x = x.add(srcPos);
        for (int i = 0; i < c.encoderLayers(); i++) {
            String p = "enc." + i + ".";
            x = x.add(attention(layerNorm(x, p + "ln1"), null, p + "attn", src4, src4, src2, encSelfMask));
            x = x.add(feedForward(layerNorm(x, p + "ln2"), p + "ff"));
        }
        SDVariable memory = layerNorm(x, "enc.ln");
        // The question's mean encoder output over its real steps, [B, d].
        SDVariable pooled = pooling ? sd.reshape(memory, src3).mul(srcMask3).sum(false, 1)
                .div(srcMask3.sum(false, 1)) : null;

        SDVariable y = embed(tgt, tgtFlat, "emb.dec");
        SDVariable tgtText = null;
        if (c.hasText()) {
            // Text rows carry their text token (code streams PAD), code rows TEXT_CODE.
            tgtText = sd.placeHolder("tgtText", DataType.INT, -1);
            y = y.add(sd.oneHot(tgtText, c.textVocabulary()).mmul(sd.getVariable("emb.text")));
        }
        y = y.add(tgtPos);
        if (c.summary()) {
            SDVariable tgt3 = sd.placeHolder("tgt3", DataType.LONG, 3);
            SDVariable summary = sd.expandDims(pooled.mmul(sd.getVariable("summary.w")).add(sd.getVariable("summary.b")), 1);
            y = sd.reshape(sd.reshape(y, tgt3).add(summary), tgt2);
        }
        for (int i = 0; i < c.decoderLayers(); i++) {
            String p = "dec." + i + ".";
            y = y.add(attention(layerNorm(y, p + "ln1"), null, p + "self", tgt4, tgt4, tgt2, decSelfMask));
            y = y.add(attention(layerNorm(y, p + "ln2"), memory, p + "cross", tgt4, src4, tgt2, crossMask));
            y = y.add(feedForward(layerNorm(y, p + "ln3"), p + "ff"));
        }
        SDVariable h = layerNorm(y, "dec.ln");
        SDVariable logits = sd.reshape(LOGITS, h.mmul(sd.getVariable("head.w")).add(sd.getVariable("head.b")), logitShape);

        // log-softmax written out: SameDiff 1.0.0-M2.1's LogSoftMax op fails in the backward pass.
        SDVariable shifted = logits.sub(logits.max(true, 1));
        SDVariable logProbs = shifted.sub(sd.math().log(sd.math().exp(shifted).sum(true, 1)));
        SDVariable target = sd.oneHot(labels, v).reshape(-1, v);
        SDVariable crossEntropy = logProbs.mul(target).sum(1).neg();
        SDVariable loss = crossEntropy.mul(labelMask).sum().div(labelMask.sum());
        if (c.hasText()) {
            SDVariable textLabels = sd.placeHolder("textLabels", DataType.INT, -1);
            SDVariable textMask = sd.placeHolder("textMask", DataType.FLOAT, -1);
            SDVariable textLogits = sd.identity(TEXT_LOGITS, h.mmul(sd.getVariable("head.text.w"))
                    .add(sd.getVariable("head.text.b")));
            SDVariable ts = textLogits.sub(textLogits.max(true, 1));
            SDVariable textLogProbs = ts.sub(sd.math().log(sd.math().exp(ts).sum(true, 1)));
            SDVariable textCe = textLogProbs.mul(sd.oneHot(textLabels, c.textVocabulary())).sum(1).neg();
            // A batch without any text (recordings with no transcript) adds nothing, not 0/0.
            loss = loss.add(textCe.mul(textMask).sum().div(textMask.sum().add(1e-6)));
        }
        if (!c.intents().isEmpty()) {
            SDVariable intentLabels = sd.placeHolder("intentLabels", DataType.INT, -1);
            SDVariable intentMask = sd.placeHolder("intentMask", DataType.FLOAT, -1);
            SDVariable il = pooled.mmul(sd.getVariable("intent.w")).add(sd.getVariable("intent.b"));
            SDVariable is = il.sub(il.max(true, 1));
            SDVariable intentLogProbs = is.sub(sd.math().log(sd.math().exp(is).sum(true, 1)));
            SDVariable intentCe = intentLogProbs.mul(sd.oneHot(intentLabels, c.intents().size())).sum(1).neg();
            loss = loss.add(intentCe.mul(intentMask).sum().div(intentMask.sum().add(1e-6)));
        }
        sd.identity(LOSS, loss);
        sd.setLossVariables(LOSS);
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
        SDVariable u = linear(x, p + ".w1", p + ".b1");
        SDVariable inner = u.add(u.mul(u).mul(u).mul(0.044715)).mul(Math.sqrt(2 / Math.PI));
        SDVariable gelu = u.mul(sd.math().tanh(inner).add(1.0)).mul(0.5);
        return linear(gelu, p + ".w2", p + ".b2");
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
