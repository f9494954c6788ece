package dev.samvaad.bench;

import dev.samvaad.infer.ModelConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class DecoderRooflineTest {

    @Test
    void countsEveryWeightAStepReadsOnATinyModel() {
        // Q=2, K=5 (V=8), d=4, 2 heads, 1 encoder and 1 decoder layer, ff=6.
        ModelConfig c = new ModelConfig(2, 5, 4, 2, 1, 1, 6, 16);
        DecoderRoofline r = DecoderRoofline.of(c, 3, 2);
        long embedding = 2 * 4 + 4;                  // two token rows + the position row
        long layer = 3 * 2 * 4                       // three LayerNorms
                + 6 * (4 * 4 + 4)                    // self q, k, v, o and cross q, o
                + (4 * 6 + 6) + (6 * 4 + 4);         // feed-forward
        long head = 2 * 4 + 4 * 16 + 16;             // final LayerNorm, heads [4 x Q*V] + bias
        assertThat(r.weights()).isEqualTo(4 * (embedding + layer + head));
        assertThat(r.selfCache()).isEqualTo(4L * 2 * 2 * 4);   // K and V, 2 positions, width 4
        assertThat(r.crossCache()).isEqualTo(4L * 2 * 3 * 4);  // K and V of 3 source frames
        assertThat(r.total()).isEqualTo(r.weights() + r.selfCache() + r.crossCache());
    }

    @Test
    void theDefaultModelReadsAboutFiveAndAHalfMegabytesAtPrefix100() {
        DecoderRoofline r = DecoderRoofline.of(ModelConfig.small(6, 1024), 150, 100);
        // Output heads 128 x 6162 dominate: 3.15 MB of 5.04 MB of weights.
        assertThat(r.weights()).isEqualTo(4L * 1_259_154);
        assertThat(r.selfCache()).isEqualTo(4L * 2 * 2 * 100 * 128);
        assertThat(r.crossCache()).isEqualTo(4L * 2 * 2 * 150 * 128);
        assertThat(r.total() / 1e6).isCloseTo(5.55, within(0.01));
        // The cache grows with the prefix, the weights do not.
        DecoderRoofline longer = DecoderRoofline.of(ModelConfig.small(6, 1024), 150, 200);
        assertThat(longer.weights()).isEqualTo(r.weights());
        assertThat(longer.selfCache()).isEqualTo(2 * r.selfCache());
    }

    @Test
    void aGroupedStepReadsItsGTimesQEmbeddingRowsAndHeadsAndYieldsGFrames() {
        // Q=2, K=5 (V=8), d=4, 2 heads, 1 + 1 layers, ff=6, G=3: S = 6 streams; text of 2 symbols
        // (Vt = 7), summary; 10 source frames are ceil(10 / 3) = 4 encoder steps.
        ModelConfig c = new ModelConfig(2, 5, 4, 2, 1, 1, 6, 30, 3, true).withText(java.util.List.of("a", "b"))
                .withSummary(true, java.util.List.of());
        DecoderRoofline r = DecoderRoofline.step(c, 10, 3, 5);
        long embedding = 6 * 4 + 4 + 4 + 4;           // S token rows, position, TEXT_CODE row, summary row
        long layer = 3 * 2 * 4 + 6 * (4 * 4 + 4) + (4 * 6 + 6) + (6 * 4 + 4);
        long head = 2 * 4 + 4 * 48 + 48;               // final LayerNorm, heads [4 x S*V] + bias
        assertThat(r.weights()).isEqualTo(4 * (embedding + layer + head));
        assertThat(r.selfCache()).isEqualTo(4L * 2 * (3 + 5) * 4);  // K and V of 3 text rows and 5 steps
        assertThat(r.crossCache()).isEqualTo(4L * 2 * 4 * 4);       // K and V of 4 encoder steps
        assertThat(r.frames()).isEqualTo(3);
        assertThat(r.bytesPerFrame()).isCloseTo(r.total() / 3.0, within(1e-9));

        // A text row: S PAD rows, its text row, position, summary; the text head [4 x Vt].
        DecoderRoofline text = DecoderRoofline.textRow(c, 10, 3);
        long textEmbedding = 6 * 4 + 4 + 4 + 4;
        long textHead = 2 * 4 + 4 * 7 + 7;
        assertThat(text.weights()).isEqualTo(4 * (textEmbedding + layer + textHead));
        assertThat(text.selfCache()).isEqualTo(4L * 2 * 3 * 4);
        assertThat(text.crossCache()).isEqualTo(r.crossCache());
        assertThat(text.frames()).isZero();
        assertThatThrownBy(text::bytesPerFrame).isInstanceOf(IllegalStateException.class);

        // Code rows that read only the text skip the summary and cross-attention.
        DecoderRoofline textOnly = DecoderRoofline.step(c.withCodesReadTextOnly(true), 10, 3, 5);
        assertThat(textOnly.weights()).isEqualTo(r.weights() - 4 * (4 + 2 * (4 * 4 + 4)));
        assertThat(textOnly.crossCache()).isZero();
        assertThat(textOnly.selfCache()).isEqualTo(r.selfCache());
    }

    @Test
    void theQuickstartsModelReadsAbout1Point3MegabytesAStepOf4Frames() {
        // TINY at step 25 (frames 97-100) after TEXT_BOS + 40 symbols, a 150-frame question.
        DecoderRoofline r = DecoderRoofline.step(ModelFixtures.TINY, 150, 41, 25);
        // Floats: embedding 16 x 64 + 2 x 64 = 1,152 (the code rows read no summary row); the layer
        // without its cross-attention 50,112 (the code rows read only the text); final LayerNorm
        // 128; the 16 heads 64 x 4144 + 4144 = 269,360 (84% of the weights).
        assertThat(r.weights()).isEqualTo(4L * (1_152 + 50_112 + 128 + 269_360));
        assertThat(r.selfCache()).isEqualTo(4L * 2 * (41 + 25) * 64);
        assertThat(r.crossCache()).isZero();
        assertThat(r.total()).isEqualTo(1_316_800);
        assertThat(r.bytesPerFrame()).isEqualTo(329_200);
        // Per frame it reads 6% of what the previous default model read per frame (one step) at prefix 100.
        assertThat(r.bytesPerFrame() / DecoderRoofline.of(ModelFixtures.PREVIOUS_DEFAULT, 150, 100).total())
                .isCloseTo(0.0593, within(1e-3));
        // The monologue's last row reads the 53-token text head instead of the 4144 code heads.
        DecoderRoofline text = DecoderRoofline.textRow(ModelFixtures.TINY, 150, 41);
        assertThat(text.weights()).isEqualTo(4L * (1_216 + 58_432 + 128 + 64 * 53 + 53));
    }

    @Test
    void fractionIsTheBoundOverTheMeasuredTime() {
        DecoderRoofline r = new DecoderRoofline(6_000_000, 0, 0);
        assertThat(r.boundSeconds(12e9)).isCloseTo(0.5e-3, within(1e-15));
        assertThat(r.fraction(1e-3, 12e9)).isCloseTo(0.5, within(1e-12));
        assertThat(r.fraction(0.25e-3, 12e9)).isCloseTo(2.0, within(1e-12));
    }

    @Test
    void refusesEmptySequences() {
        assertThatThrownBy(() -> DecoderRoofline.of(ModelConfig.small(6, 1024), 0, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("source frame");
        assertThatThrownBy(() -> DecoderRoofline.step(ModelConfig.small(6, 1024), 150, 41, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("without a monologue");
        assertThatThrownBy(() -> DecoderRoofline.textRow(ModelConfig.small(6, 1024), 150, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no text monologue");
    }
}
