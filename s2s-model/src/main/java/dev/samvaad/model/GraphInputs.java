package dev.samvaad.model;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Fills the graph's placeholders for a {@link TokenBatch} (see {@link S2sGraph}). */
final class GraphInputs {
    static final float MASKED = -1e9f;

    private GraphInputs() {}

    static Map<String, INDArray> of(ModelConfig c, TokenBatch batch) {
        int b = batch.size(), ts = batch.sourceFrames(), td = batch.targetFrames();
        int q = c.codebooks(), h = c.heads(), d = c.dModel(), v = c.vocabulary();
        Map<String, INDArray> in = new LinkedHashMap<>();
        in.put("src", tokens(batch.encoderInput(), b, ts, q));
        in.put("tgt", tokens(batch.decoderInput(), b, td, q));
        in.put("labels", tokens(batch.labels(), b, td, q));
        in.put("srcPos", positions(b, ts, d));
        in.put("tgtPos", positions(b, td, d));
        float[] encSelf = new float[b * h * ts * ts];
        float[] cross = new float[b * h * td * ts];
        float[] decSelf = new float[b * h * td * td];
        for (int r = 0; r < b; r++) {
            for (int head = 0; head < h; head++) {
                for (int i = 0; i < ts; i++) {
                    for (int j = 0; j < ts; j++) {
                        encSelf[((r * h + head) * ts + i) * ts + j] = batch.encoderMask()[r][j] > 0 ? 0f : MASKED;
                    }
                }
                for (int i = 0; i < td; i++) {
                    for (int j = 0; j < ts; j++) {
                        cross[((r * h + head) * td + i) * ts + j] = batch.encoderMask()[r][j] > 0 ? 0f : MASKED;
                    }
                    for (int j = 0; j < td; j++) {
                        decSelf[((r * h + head) * td + i) * td + j] = j <= i ? 0f : MASKED;
                    }
                }
            }
        }
        in.put("encSelfMask", Nd4j.create(encSelf, new long[] {b, h, ts, ts}, 'c'));
        in.put("decSelfMask", Nd4j.create(decSelf, new long[] {b, h, td, td}, 'c'));
        in.put("crossMask", Nd4j.create(cross, new long[] {b, h, td, ts}, 'c'));
        float[] labelMask = new float[b * td * q];
        for (int r = 0; r < b; r++) {
            for (int t = 0; t < td; t++) {
                for (int k = 0; k < q; k++) {
                    labelMask[(r * td + t) * q + k] = batch.labelMask()[r][t];
                }
            }
        }
        in.put("labelMask", Nd4j.create(labelMask, new long[] {(long) b * td * q}, 'c'));
        in.put("srcFlat", shape((long) b * ts, (long) q * v));
        in.put("tgtFlat", shape((long) b * td, (long) q * v));
        in.put("src4", shape(b, ts, h, c.headDim()));
        in.put("tgt4", shape(b, td, h, c.headDim()));
        in.put("src2", shape((long) b * ts, d));
        in.put("tgt2", shape((long) b * td, d));
        in.put("logitShape", shape((long) b * td * q, v));
        return in;
    }

    /** [B][Q][T] tokens as an INT array [B, T, Q]. */
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

    /** Sinusoidal positions, tiled for every row of the batch: [B*T, d]. */
    private static INDArray positions(int b, int t, int d) {
        float[] table = Positions.sinusoid(t, d);
        float[] tiled = new float[b * t * d];
        for (int r = 0; r < b; r++) {
            System.arraycopy(table, 0, tiled, r * t * d, t * d);
        }
        return Nd4j.create(tiled, new long[] {(long) b * t, d}, 'c');
    }

    private static INDArray shape(long... dims) {
        return Nd4j.createFromArray(dims);
    }
}
