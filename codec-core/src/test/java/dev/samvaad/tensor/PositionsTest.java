package dev.samvaad.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PositionsTest {

    @Test
    void evenColumnsAreSinesAndOddColumnsCosinesOfTheSameAngle() {
        int frames = 9, d = 6;
        float[] pe = Positions.sinusoid(frames, d);

        assertThat(pe).hasSize(frames * d);
        for (int p = 0; p < frames; p++) {
            for (int i = 0; i < d; i += 2) {
                double angle = p / Math.pow(10000, (double) i / d);
                assertThat((double) pe[p * d + i]).as("PE[%d][%d]", p, i).isCloseTo(Math.sin(angle), within(1e-7));
                assertThat((double) pe[p * d + i + 1]).as("PE[%d][%d]", p, i + 1).isCloseTo(Math.cos(angle), within(1e-7));
            }
        }
        // Position 0 is sin 0, cos 0; column 0 of position 1 turns by one radian.
        assertThat(new float[] {pe[0], pe[1], pe[2], pe[3]}).containsExactly(0f, 1f, 0f, 1f);
        assertThat(pe[d]).isEqualTo((float) Math.sin(1));
    }

    @Test
    void anOddWidthEndsOnASine() {
        float[] pe = Positions.sinusoid(2, 3);

        double angle = 1 / Math.pow(10000, 2.0 / 3);
        assertThat(pe).containsExactly(0f, 1f, 0f, (float) Math.sin(1), (float) Math.cos(1), (float) Math.sin(angle));
    }
}
