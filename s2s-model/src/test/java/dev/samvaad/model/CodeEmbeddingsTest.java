package dev.samvaad.model;

import dev.samvaad.infer.ModelConfig;
import dev.samvaad.infer.WeightNames;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class CodeEmbeddingsTest {
    private static final ModelConfig CONFIG = new ModelConfig(3, 16, 32, 4, 1, 1, 64, 64);

    @Test
    void codesWithNearbyVectorsGetNearbyEmbeddingsAndSpecialsStayRandom() {
        float[][][] vectors = vectors(new SplittableRandom(1), 3, 16, 5);
        vectors[0][7] = vectors[0][3].clone();
        vectors[0][7][0] += 1e-3f;
        Map<String, float[]> w = CodeEmbeddings.initial(CONFIG, 4, vectors);
        Map<String, float[]> random = WeightNames.initial(CONFIG, 4);
        assertThat(w.keySet()).containsExactlyElementsOf(random.keySet());
        for (String table : new String[] {"emb.enc", "emb.dec"}) {
            float[] e = w.get(table);
            assertThat(distance(e, 3, 7)).isLessThan(0.01 * distance(e, 3, 9));
            int v = CONFIG.layout().vocabulary(), d = CONFIG.dModel();
            for (int q = 0; q < CONFIG.codebooks(); q++) {
                for (int special : new int[] {CONFIG.layout().pad(), CONFIG.layout().bos(), CONFIG.layout().eos()}) {
                    int row = (q * v + special) * d;
                    for (int j = 0; j < d; j++) {
                        assertThat(e[row + j]).isEqualTo(random.get(table)[row + j]);
                    }
                }
            }
        }
        assertThat(w.get("head.w")).isEqualTo(random.get("head.w"));
    }

    @Test
    void embeddingsIgnoreTheScaleOfTheCodecsFeaturesAndStartNearUnitScale() {
        float[][][] vectors = vectors(new SplittableRandom(2), 3, 16, 5);
        float[] e = CodeEmbeddings.initial(CONFIG, 4, vectors).get("emb.enc");
        int v = CONFIG.layout().vocabulary(), d = CONFIG.dModel();
        float[][][] doubled = new float[3][16][];
        for (int q = 0; q < 3; q++) {
            for (int k = 0; k < 16; k++) {
                doubled[q][k] = vectors[q][k].clone();
                for (int i = 0; i < 5; i++) {
                    doubled[q][k][i] *= 2;
                }
            }
        }
        // Doubling every vector changes the spread too, so the embeddings are unchanged: the
        // coordinates are normalised by their spread.
        float[] same = CodeEmbeddings.initial(CONFIG, 4, doubled).get("emb.enc");
        for (int q = 0; q < 3; q++) {
            for (int j = 0; j < d; j++) {
                assertThat(same[(q * v + 5) * d + j]).isCloseTo(e[(q * v + 5) * d + j], within(1e-4f));
            }
        }
        double sumSq = 0;
        int n = 0;
        for (int k = 0; k < 16; k++) {
            for (int j = 0; j < d; j++) {
                double s = 0;
                for (int q = 0; q < 3; q++) {
                    s += e[(q * v + k) * d + j];
                }
                sumSq += s * s;
                n++;
            }
        }
        assertThat(Math.sqrt(sumSq / n)).as("summed embeddings start near unit scale").isBetween(0.3, 3.0);
    }

    @Test
    void vectorsOfAnotherShapeAreRefused() {
        assertThatThrownBy(() -> CodeEmbeddings.initial(CONFIG, 1, vectors(new SplittableRandom(3), 2, 16, 5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 codebooks of 16");
    }

    private static double distance(float[] e, int a, int b) {
        int d = CONFIG.dModel();
        double s = 0;
        for (int j = 0; j < d; j++) {
            double x = e[a * d + j] - e[b * d + j];
            s += x * x;
        }
        return Math.sqrt(s);
    }

    private static float[][][] vectors(SplittableRandom rng, int q, int k, int dim) {
        float[][][] out = new float[q][k][dim];
        for (float[][] book : out) {
            for (float[] v : book) {
                for (int i = 0; i < dim; i++) {
                    v[i] = (float) rng.nextGaussian();
                }
            }
        }
        return out;
    }
}
