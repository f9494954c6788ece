package dev.samvaad.model;

import dev.samvaad.infer.FrameGroups;
import dev.samvaad.infer.ModelConfig;
import dev.samvaad.infer.WeightNames;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The encoder that reads codec features: its gradients, its fixed table and its invariances. */
class SourceFeaturesTest {
    private static final ModelConfig CONFIG = new ModelConfig(2, 8, 16, 2, 1, 1, 32, 64, 4, true).withSourceFeatures(3);

    @Test
    void convolutionGradientsMatchFiniteDifferences() {
        // SameDiff's conv1d backward is what trains the encoder: checked against the loss itself.
        S2sModel model = S2sModel.create(CONFIG, 5, 1e-3);
        TokenBatch batch = StepBatches.grouped(CONFIG, TinyPairs.batch(CONFIG, 3, 7));
        Map<String, INDArray> in = GraphInputs.of(CONFIG, batch);
        SameDiff sd = model.sameDiff();
        for (String name : List.of("src.conv.0.w", "src.conv.1.w", "src.conv.2.w", "src.conv.2.b")) {
            Map<String, INDArray> gradients = new LinkedHashMap<>();
            Quiet.run(() -> gradients.putAll(sd.calculateGradients(in, name)));
            INDArray gradient = gradients.get(name).dup();
            INDArray w = sd.getVariable(name).getArr();
            long[] order = largest(gradient, 3);
            for (long i : order) {
                double analytic = gradient.getDouble(i);
                double eps = 1e-2, original = w.getDouble(i);
                w.putScalar(i, original + eps);
                double up = model.evaluate(batch).loss();
                w.putScalar(i, original - eps);
                double down = model.evaluate(batch).loss();
                w.putScalar(i, original);
                double numeric = (up - down) / (2 * eps);
                assertThat(Math.abs(numeric - analytic)).as("%s[%d]: numeric %f, analytic %f", name, i, numeric, analytic)
                        .isLessThan(0.05 * Math.abs(analytic) + 1e-3);
            }
        }
    }

    @Test
    void aQuestionsLoudnessAndPitchOffsetDoNotReachTheEncoder() {
        // Per-question normalisation: the same question with every feature coordinate shifted and
        // scaled (a louder, higher voice) gives the same logits.
        S2sModel model = S2sModel.create(CONFIG, 9, 1e-3);
        TokenBatch batch = StepBatches.grouped(CONFIG, TinyPairs.batch(CONFIG, 2, 3));
        float[] before = model.logits(batch);
        Map<String, float[]> weights = new LinkedHashMap<>(model.weights());
        float[] table = weights.get(WeightNames.SOURCE_CODEBOOK).clone();
        int dim = CONFIG.sourceFeatures(), vocab = CONFIG.layout().vocabulary();
        for (int row = 0; row < table.length / dim; row++) {
            if (row % vocab < CONFIG.codebookSize()) {
                for (int i = 0; i < dim; i++) {
                    // Codebook 0 carries the offset, every codebook the scale: each frame's sum moves as a*x + b.
                    table[row * dim + i] = table[row * dim + i] * 1.7f + (row / vocab == 0 ? 0.9f * (i + 1) : 0f);
                }
            }
        }
        weights.put(WeightNames.SOURCE_CODEBOOK, table);
        S2sModel shifted = S2sModel.fromWeights(CONFIG, weights, S2sModel.warmupDecay(1e-3, 1, 2));
        float[] after = shifted.logits(batch);
        for (int i = 0; i < before.length; i++) {
            assertThat(after[i]).isCloseTo(before[i], org.assertj.core.api.Assertions.within(2e-3f));
        }
    }

    @Test
    void featuresNeedPerQuestionNormalisation() {
        assertThatThrownBy(() -> new ModelConfig(2, 8, 16, 2, 1, 1, 32, 64, 4, false, List.of(), false, List.of(), 3, false, false, List.of(), false, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sourceNorm");
        assertThat(CONFIG.sourceStrides()).containsExactly(1, 2, 2);
        assertThat(CONFIG.withGrouping(6, true).sourceStrides()).containsExactly(1, 2, 3);
        assertThat(CONFIG.withGrouping(1, true).sourceStrides()).containsExactly(1);
        assertThat(WeightNames.shapes(CONFIG)).doesNotContainKey("emb.enc").containsKey(WeightNames.SOURCE_CODEBOOK);
        long count = WeightNames.shapes(CONFIG).values().stream().mapToLong(s -> {
            long n = 1;
            for (long d : s) {
                n *= d;
            }
            return n;
        }).sum();
        assertThat(WeightNames.count(CONFIG)).isEqualTo(count);
    }

    /** Flat indices of the {@code n} entries of largest magnitude. */
    private static long[] largest(INDArray a, int n) {
        float[] v = a.dup('c').data().asFloat();
        return java.util.stream.IntStream.range(0, v.length).boxed()
                .sorted((x, y) -> Float.compare(Math.abs(v[y]), Math.abs(v[x]))).limit(n).mapToLong(i -> i).toArray();
    }
}
