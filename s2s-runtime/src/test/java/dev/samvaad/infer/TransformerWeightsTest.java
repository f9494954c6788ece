package dev.samvaad.infer;

import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TransformerWeightsTest {
    private static final ModelConfig CONFIG = new ModelConfig(2, 8, 32, 4, 2, 1, 64, 64);

    @Test
    void configDerivesSpecialTokensAndValidates() {
        assertThat(CONFIG.layout().vocabulary()).isEqualTo(11);
        assertThat(new int[] {CONFIG.layout().pad(), CONFIG.layout().bos(), CONFIG.layout().eos()}).containsExactly(8, 9, 10);
        assertThat(CONFIG.headDim()).isEqualTo(8);
        assertThat(ModelConfig.small(6, 1024)).isEqualTo(new ModelConfig(6, 1024, 128, 4, 2, 2, 512, 512));
        assertThatThrownBy(() -> new ModelConfig(2, 8, 30, 4, 1, 1, 8, 8)).hasMessageContaining("divisible");
        assertThatThrownBy(() -> new ModelConfig(2, 8, 32, 4, 0, 1, 8, 8)).hasMessageContaining("encoderLayers");
    }

    @Test
    void namesAndShapesFollowTheLayout() {
        // 2 embeddings, 16 per encoder layer, 2 for enc.ln, 26 per decoder layer, 2 for dec.ln, 2 for the head.
        assertThat(TransformerWeights.expectedNames(CONFIG)).hasSize(2 + 2 * 16 + 2 + 26 + 2 + 2)
                .startsWith("emb.enc", "emb.dec", "enc.0.ln1.g")
                .contains("enc.1.attn.bo", "enc.ln.b", "dec.0.cross.wk", "dec.0.ln3.g", "dec.ln.g", "head.b")
                .doesNotContain("dec.1.self.wq");
        assertThat(TransformerWeights.expectedShape(CONFIG, "emb.dec")).containsExactly(22, 32);
        assertThat(TransformerWeights.expectedShape(CONFIG, "enc.0.ff.w1")).containsExactly(32, 64);
        assertThat(TransformerWeights.expectedShape(CONFIG, "dec.0.ff.w2")).containsExactly(64, 32);
        assertThat(TransformerWeights.expectedShape(CONFIG, "head.w")).containsExactly(32, 22);
        assertThatThrownBy(() -> TransformerWeights.expectedShape(CONFIG, "dec.5.ln1.g"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dec.5.ln1.g");
    }

    @Test
    void rejectsMissingWrongSizedAndUnknownWeights() {
        Map<String, float[]> missing = TestModels.randomWeights(CONFIG, 1, 0.2);
        missing.remove("dec.0.cross.bv");
        assertThatThrownBy(() -> TransformerWeights.of(CONFIG, missing))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing weight 'dec.0.cross.bv'");

        Map<String, float[]> wrong = TestModels.randomWeights(CONFIG, 1, 0.2);
        wrong.put("enc.1.ff.w2", new float[100]);
        assertThatThrownBy(() -> TransformerWeights.of(CONFIG, wrong))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'enc.1.ff.w2'").hasMessageContaining("2048").hasMessageContaining("has 100");

        Map<String, float[]> extra = TestModels.randomWeights(CONFIG, 1, 0.2);
        extra.put("dec.1.self.wq", new float[32 * 32]);
        assertThatThrownBy(() -> TransformerWeights.of(CONFIG, extra))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown").hasMessageContaining("dec.1.self.wq");
    }

    @Test
    void copiesItsInputSoLaterWritesDoNotLeakIn() {
        Map<String, float[]> weights = TestModels.randomWeights(CONFIG, 2, 0.2);
        FastDecoder decoder = FastDecoder.of(CONFIG, weights);
        int[][] source = TestModels.randomCodes(2, 4, 8, 3);
        int[][] input = {{CONFIG.layout().bos(), 1}, {CONFIG.layout().bos(), 2}};
        float[][] before = decoder.forwardFull(source, input);

        weights.values().forEach(w -> java.util.Arrays.fill(w, 0f));

        assertThat(decoder.forwardFull(source, input)).isDeepEqualTo(before);
    }
}
