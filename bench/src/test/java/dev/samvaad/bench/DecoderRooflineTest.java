package dev.samvaad.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.samvaad.model.ModelConfig;
import org.junit.jupiter.api.Test;

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
    }
}
