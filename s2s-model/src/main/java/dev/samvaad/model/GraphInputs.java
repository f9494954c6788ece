package dev.samvaad.model;

import dev.samvaad.infer.ModelConfig;
import dev.samvaad.tensor.Positions;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Fills the graph's placeholders for a {@link TokenBatch} (see {@link S2sGraph}).
 *
 * <p>The decoder's rows of one batch row are its {@code Lt} text rows (a model with a monologue)
 * followed by its {@code Td} code steps. A text row's code streams are PAD and a code row's text
 * token is {@link ModelConfig#TEXT_CODE}; text rows past a row's text are padding, hidden from
 * every query as keys. Text rows have positions {@code 0 .. Lt-1}, code rows {@code 0 .. Td-1}:
 * the pure-Java decoder, which has no padding, then sees the same positions.
 */
final class GraphInputs {
    static final float MASKED = -1e9f;

    private GraphInputs() {}

    /** The placeholders of a graph built by this version of {@link S2sGraph}. */
    static Map<String, INDArray> of(ModelConfig c, TokenBatch batch) {
        return of(c, batch, true);
    }

    /**
     * The placeholders of a graph whose heads read only their own rows ({@code slicedHeads}: it has
     * {@link S2sGraph#CODE_BEGIN}; labels and masks then cover the code rows, or the text rows,
     * only), or of a graph saved before, whose heads read every decoder row.
     */
    static Map<String, INDArray> of(ModelConfig c, TokenBatch batch, boolean slicedHeads) {
        int b = batch.size(), ts = batch.sourceFrames(), td = batch.targetFrames();
        int lt = c.hasText() ? batch.textTokens() : 0, rows = lt + td;
        if (c.hasText() && batch.textInput() == null) {
            throw new IllegalArgumentException("the model writes a text monologue; the batch has no text");
        }
        int q = c.streams(), h = c.heads(), d = c.dModel(), v = c.layout().vocabulary();
        Map<String, INDArray> in = new LinkedHashMap<>();
        in.put("src", tokens(batch.encoderInput(), b, ts, q));
        int[] tgt = new int[b * rows * q];
        for (int r = 0; r < b; r++) {
            for (int i = 0; i < rows; i++) {
                int t = i - lt;
                for (int k = 0; k < q; k++) {
                    tgt[(r * rows + i) * q + k] = t < 0 ? c.layout().pad() : batch.decoderInput()[r][k][t];
                }
            }
        }
        // Labels of the code rows: only those with a sliced code head, else every row (text rows PAD, weight 0).
        int labelRows = slicedHeads ? td : rows, skip = slicedHeads ? 0 : lt;
        int[] labels = new int[b * labelRows * q];
        float[] labelMask = new float[b * labelRows * q];
        for (int r = 0; r < b; r++) {
            for (int i = 0; i < labelRows; i++) {
                int t = i - skip;
                for (int k = 0; k < q; k++) {
                    int at = (r * labelRows + i) * q + k;
                    labels[at] = t < 0 ? c.layout().pad() : batch.labels()[r][k][t];
                    labelMask[at] = t < 0 ? 0f : batch.labelMask()[r][t];
                }
            }
        }
        in.put("tgt", Nd4j.createFromArray(tgt).reshape(b, rows, q));
        in.put("labels", Nd4j.createFromArray(labels).reshape(b, labelRows, q));
        in.put("srcPos", positions(b, ts, 0, d));
        in.put("tgtPos", positions(b, rows, lt, d));
        float[] encSelf = new float[b * h * ts * ts];
        float[] cross = new float[b * h * rows * ts];
        float[] decSelf = new float[b * h * rows * rows];
        for (int r = 0; r < b; r++) {
            int textRows = 0;
            for (int i = 0; i < lt; i++) {
                textRows += batch.textLabels()[r][i] != ModelConfig.TEXT_PAD ? 1 : 0;
            }
            for (int head = 0; head < h; head++) {
                for (int i = 0; i < ts; i++) {
                    for (int j = 0; j < ts; j++) {
                        encSelf[((r * h + head) * ts + i) * ts + j] = batch.encoderMask()[r][j] > 0 ? 0f : MASKED;
                    }
                }
                for (int i = 0; i < rows; i++) {
                    for (int j = 0; j < ts; j++) {
                        cross[((r * h + head) * rows + i) * ts + j] = batch.encoderMask()[r][j] > 0 ? 0f : MASKED;
                    }
                    for (int j = 0; j < rows; j++) {
                        boolean visible = j <= i && (j >= lt || j < textRows);
                        decSelf[((r * h + head) * rows + i) * rows + j] = visible ? 0f : MASKED;
                    }
                }
            }
        }
        in.put("encSelfMask", Nd4j.create(encSelf, new long[] {b, h, ts, ts}, 'c'));
        in.put("decSelfMask", Nd4j.create(decSelf, new long[] {b, h, rows, rows}, 'c'));
        in.put("crossMask", Nd4j.create(cross, new long[] {b, h, rows, ts}, 'c'));
        in.put("labelMask", Nd4j.create(labelMask, new long[] {(long) b * labelRows * q}, 'c'));
        in.put("srcFlat", shape((long) b * ts, (long) q * v));
        in.put("tgtFlat", shape((long) b * rows, (long) q * v));
        in.put("src4", shape(b, ts, h, c.headDim()));
        in.put("tgt4", shape(b, rows, h, c.headDim()));
        in.put("src2", shape((long) b * ts, d));
        in.put("tgt2", shape((long) b * rows, d));
        in.put("logitShape", shape((long) b * labelRows * q, v));
        if (slicedHeads) {
            in.put(S2sGraph.ROWS3, shape(b, rows, d));
            in.put(S2sGraph.CODE_BEGIN, Nd4j.createFromArray(0, lt, 0));
            in.put("codeSize", Nd4j.createFromArray(b, td, d));
            in.put("codes2", shape((long) b * td, d));
            if (c.hasText()) {
                in.put("textBegin", Nd4j.createFromArray(0, 0, 0));
                in.put("textSize", Nd4j.createFromArray(b, lt, d));
                in.put("text2", shape((long) b * lt, d));
            }
        }
        if (c.sourceNorm() || c.summary() || !c.intents().isEmpty()) {
            float[] mask = new float[b * ts];
            for (int r = 0; r < b; r++) {
                for (int t = 0; t < ts; t++) {
                    mask[r * ts + t] = batch.encoderMask()[r][t] > 0 ? 1f : 0f;
                }
            }
            in.put("srcMask3", Nd4j.create(mask, new long[] {b, ts, 1}, 'c'));
            in.put("src3", shape(b, ts, d));
        }
        // Which frames are real: the features' normalisation and the bag of symbols read it.
        float[] real = c.readsFeatures() || c.bagIntent() ? realFrames(c, batch) : null;
        if (c.readsFeatures()) {
            int g = c.frameGroup(), frames = ts * g;
            in.put("srcFrameMask", Nd4j.create(real, new long[] {b, frames, 1}, 'c'));
            in.put("srcFrames2", shape((long) b * frames, (long) c.codebooks() * v));
            in.put("srcFrames3", shape(b, frames, c.sourceFeatures()));
            in.put("srcSteps2", shape((long) b * ts, d));
            // Convolution i's output has W_i positions (W_0 = Ts * G; a stride s divides W by s);
            // those of a row's real steps are kept.
            int[] strides = c.sourceStrides();
            int width = frames;
            for (int i = 0; i < strides.length; i++) {
                width = (width + strides[i] - 1) / strides[i];
                int perStep = width / ts;
                float[] mask = new float[b * width];
                for (int r = 0; r < b; r++) {
                    for (int p = 0; p < width; p++) {
                        mask[r * width + p] = batch.encoderMask()[r][p / perStep] > 0 ? 1f : 0f;
                    }
                }
                in.put("srcConvMask." + i, Nd4j.create(mask, new long[] {b, width, 1}, 'c'));
            }
        }
        if (c.summary()) {
            in.put("tgt3", shape(b, rows, d));
        }
        if (c.recognisesQuestion()) {
            int g = c.frameGroup(), classes = c.ctcClasses(), frames = ts * g;
            in.put(S2sGraph.CTC_GRADIENT, Nd4j.zeros(DataType.FLOAT, (long) b * ts, (long) g * classes));
            if (c.bagIntent()) {
                in.put("ctcFrameMask", Nd4j.create(real, new long[] {(long) b * frames, 1}, 'c'));
                in.put("ctcFrames2", shape((long) b * frames, classes));
                in.put("ctcFrames3", shape(b, frames, classes - 1));
            }
        }
        if (!c.intents().isEmpty()) {
            int[] intents = new int[b];
            float[] intentMask = new float[b];
            for (int r = 0; r < b; r++) {
                int label = batch.intentLabels() == null ? -1 : batch.intentLabels()[r];
                intents[r] = Math.max(label, 0);
                intentMask[r] = label >= 0 ? 1f : 0f;
            }
            in.put("intentLabels", Nd4j.createFromArray(intents));
            in.put("intentMask", Nd4j.create(intentMask, new long[] {b}, 'c'));
        }
        if (c.hasText()) {
            int[] textIn = new int[b * rows];
            for (int r = 0; r < b; r++) {
                for (int i = 0; i < rows; i++) {
                    textIn[r * rows + i] = i < lt ? batch.textInput()[r][i] : ModelConfig.TEXT_CODE;
                }
            }
            // Text labels of the text rows: only those with a sliced text head, else every row.
            int textRowsPer = slicedHeads ? lt : rows;
            int[] textLabels = new int[b * textRowsPer];
            float[] textMask = new float[b * textRowsPer];
            for (int r = 0; r < b; r++) {
                for (int i = 0; i < textRowsPer; i++) {
                    textLabels[r * textRowsPer + i] = i < lt ? batch.textLabels()[r][i] : ModelConfig.TEXT_PAD;
                    textMask[r * textRowsPer + i] = i < lt ? batch.textMask()[r][i] : 0f;
                }
            }
            in.put("tgtText", Nd4j.createFromArray(textIn).reshape(b * rows));
            in.put("textLabels", Nd4j.createFromArray(textLabels).reshape(b * textRowsPer));
            in.put("textMask", Nd4j.create(textMask, new long[] {(long) b * textRowsPer}, 'c'));
            if (c.codesReadTextOnly()) {
                float[] textRows = new float[b * rows];
                for (int r = 0; r < b; r++) {
                    Arrays.fill(textRows, r * rows, r * rows + lt, 1f);
                }
                in.put("textRows", Nd4j.create(textRows, new long[] {(long) b * rows, 1}, 'c'));
                if (c.summary()) {
                    in.put("textRows3", Nd4j.create(textRows, new long[] {b, rows, 1}, 'c'));
                }
            }
        }
        return in;
    }

    /**
     * Which source frames are real, {@code [B * Ts * G]}: a frame is when its step is and its first
     * codebook holds a code (the last step of a question may end in PAD frames).
     */
    static float[] realFrames(ModelConfig c, TokenBatch batch) {
        int b = batch.size(), ts = batch.sourceFrames(), g = c.frameGroup(), frames = ts * g;
        float[] mask = new float[b * frames];
        for (int r = 0; r < b; r++) {
            for (int t = 0; t < ts; t++) {
                for (int f = 0; f < g; f++) {
                    int code = batch.encoderInput()[r][f * c.codebooks()][t];
                    mask[r * frames + t * g + f] = batch.encoderMask()[r][t] > 0 && code < c.codebookSize() ? 1f : 0f;
                }
            }
        }
        return mask;
    }

    /** [B][S][T] tokens as an INT array [B, T, S]. */
    private static INDArray tokens(int[][][] codes, int b, int t, int q) {
        int[] flat = new int[b * t * q];
        for (int r = 0; r < b; r++) {
            for (int k = 0; k < q; k++) {
                for (int i = 0; i < t; i++) {
                    flat[(r * t + i) * q + k] = codes[r][k][i];
                }
            }
        }
        return Nd4j.createFromArray(flat).reshape(b, t, q);
    }

    /**
     * Sinusoidal positions for every row of the batch, [B*T, d]: rows before {@code restartAt}
     * count from 0, and so do the rows from {@code restartAt} on (the text rows, then the code rows).
     */
    private static INDArray positions(int b, int t, int restartAt, int d) {
        float[] table = Positions.sinusoid(Math.max(restartAt, t - restartAt), d);
        float[] tiled = new float[b * t * d];
        for (int r = 0; r < b; r++) {
            for (int i = 0; i < t; i++) {
                int p = i < restartAt ? i : i - restartAt;
                System.arraycopy(table, p * d, tiled, (r * t + i) * d, d);
            }
        }
        return Nd4j.create(tiled, new long[] {(long) b * t, d}, 'c');
    }

    private static INDArray shape(long... dims) {
        return Nd4j.createFromArray(dims);
    }
}
