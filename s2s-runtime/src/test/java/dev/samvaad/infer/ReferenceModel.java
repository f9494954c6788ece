package dev.samvaad.infer;

import java.util.Map;

/**
 * The model written out again from its specification in plain double loops over the named
 * row-major weights ({@code W [in, out]}), sharing no code with {@link FastDecoder}: it pins the
 * math that the SameDiff graph must also reproduce.
 */
final class ReferenceModel {
    private final ModelConfig c;
    private final Map<String, float[]> w;

    ReferenceModel(ModelConfig config, Map<String, float[]> weights) {
        this.c = config;
        this.w = weights;
    }

    /** Logits {@code [Td][Q*V]} of decoder input {@code dec [Q][Td]} given source {@code src [Q][Ts]}. */
    double[][] logits(int[][] src, int[][] dec) {
        double[][] enc = embed("emb.enc", src);
        for (int i = 0; i < c.encoderLayers(); i++) {
            String p = "enc." + i + ".";
            add(enc, attention(p + "attn", norm(enc, p + "ln1"), norm(enc, p + "ln1"), false));
            add(enc, feedForward(p + "ff", norm(enc, p + "ln2")));
        }
        enc = norm(enc, "enc.ln");
        double[][] x = embed("emb.dec", dec);
        for (int i = 0; i < c.decoderLayers(); i++) {
            String p = "dec." + i + ".";
            double[][] h = norm(x, p + "ln1");
            add(x, attention(p + "self", h, h, true));
            add(x, attention(p + "cross", norm(x, p + "ln2"), enc, false));
            add(x, feedForward(p + "ff", norm(x, p + "ln3")));
        }
        return dense(norm(x, "dec.ln"), "head.w", "head.b");
    }

    private double[][] embed(String table, int[][] codes) {
        int d = c.dModel(), v = c.layout().vocabulary(), frames = codes[0].length;
        float[] e = w.get(table);
        double[][] x = new double[frames][d];
        for (int t = 0; t < frames; t++) {
            for (int j = 0; j < d; j++) {
                int i = j / 2;
                double angle = t / Math.pow(10000.0, 2.0 * i / d);
                // The decoder stores positions as float; do the same so only the arithmetic differs.
                x[t][j] = (float) (j % 2 == 0 ? Math.sin(angle) : Math.cos(angle));
                for (int q = 0; q < c.codebooks(); q++) {
                    x[t][j] += e[(q * v + codes[q][t]) * d + j];
                }
            }
        }
        return x;
    }

    private double[][] norm(double[][] x, String prefix) {
        float[] g = w.get(prefix + ".g"), b = w.get(prefix + ".b");
        double[][] out = new double[x.length][];
        for (int t = 0; t < x.length; t++) {
            int d = x[t].length;
            double mean = 0, var = 0;
            for (double v : x[t]) {
                mean += v;
            }
            mean /= d;
            for (double v : x[t]) {
                var += (v - mean) * (v - mean);
            }
            var /= d;
            out[t] = new double[d];
            for (int j = 0; j < d; j++) {
                out[t][j] = (x[t][j] - mean) / Math.sqrt(var + 1e-5) * g[j] + b[j];
            }
        }
        return out;
    }

    private double[][] dense(double[][] x, String weight, String bias) {
        float[] wt = w.get(weight), b = w.get(bias);
        int in = x[0].length, out = b.length;
        double[][] y = new double[x.length][out];
        for (int t = 0; t < x.length; t++) {
            for (int o = 0; o < out; o++) {
                double s = b[o];
                for (int i = 0; i < in; i++) {
                    s += x[t][i] * wt[i * out + o];
                }
                y[t][o] = s;
            }
        }
        return y;
    }

    private double[][] attention(String p, double[][] queryIn, double[][] memory, boolean causal) {
        double[][] q = dense(queryIn, p + ".wq", p + ".bq");
        double[][] k = dense(memory, p + ".wk", p + ".bk");
        double[][] v = dense(memory, p + ".wv", p + ".bv");
        int dh = c.headDim();
        double[][] ctx = new double[q.length][c.dModel()];
        for (int h = 0; h < c.heads(); h++) {
            for (int i = 0; i < q.length; i++) {
                double[] s = new double[k.length];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < k.length; j++) {
                    double dot = 0;
                    for (int e = h * dh; e < (h + 1) * dh; e++) {
                        dot += q[i][e] * k[j][e];
                    }
                    s[j] = dot / Math.sqrt(dh) + (causal && j > i ? -1e9 : 0);
                    max = Math.max(max, s[j]);
                }
                double sum = 0;
                for (int j = 0; j < k.length; j++) {
                    s[j] = Math.exp(s[j] - max);
                    sum += s[j];
                }
                for (int j = 0; j < k.length; j++) {
                    for (int e = h * dh; e < (h + 1) * dh; e++) {
                        ctx[i][e] += s[j] / sum * v[j][e];
                    }
                }
            }
        }
        return dense(ctx, p + ".wo", p + ".bo");
    }

    private double[][] feedForward(String p, double[][] x) {
        double[][] u = dense(x, p + ".w1", p + ".b1");
        for (double[] row : u) {
            for (int j = 0; j < row.length; j++) {
                double z = row[j];
                row[j] = 0.5 * z * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (z + 0.044715 * z * z * z)));
            }
        }
        return dense(u, p + ".w2", p + ".b2");
    }

    private static void add(double[][] x, double[][] y) {
        for (int t = 0; t < x.length; t++) {
            for (int j = 0; j < x[t].length; j++) {
                x[t][j] += y[t][j];
            }
        }
    }
}
