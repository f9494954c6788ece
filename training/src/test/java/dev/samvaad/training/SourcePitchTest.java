package dev.samvaad.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.samvaad.dataset.Batch;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SourcePitchTest {
    /** Coordinate 2 is the pitch: stage 0 in steps of 1 (-4..6), stage 1 in steps of 0.1 (-0.5..0.5). */
    private static final float[][][] CODEBOOKS = codebooks();

    private static float[][][] codebooks() {
        float[][][] cb = new float[2][11][3];
        for (int k = 0; k < 11; k++) {
            cb[0][k] = new float[] {0.5f, 0, k - 4};
            cb[1][k] = new float[] {0, 0, (k - 5) * 0.1f};
        }
        return cb;
    }

    private static float pitch(int[][] row, int t) {
        return CODEBOOKS[0][row[0][t]][2] + CODEBOOKS[1][row[1][t]][2];
    }

    private static Batch batch() {
        // Two rows, 5 and 3 real frames (padding token 11), pitches between -1.5 and 1.5.
        int[][][] in = {{{3, 4, 5, 4, 3}, {1, 5, 9, 0, 4}}, {{4, 5, 3, 11, 11}, {4, 8, 2, 11, 11}}};
        float[][] mask = {{1, 1, 1, 1, 1}, {1, 1, 1, 0, 0}};
        int[][][] out = new int[2][2][2];
        return new Batch(List.of("a", "b"), in, mask, out, out, new float[2][2]);
    }

    @Test
    void everyFrameOfARowMovesByTheSameShiftAndNothingElseChanges() {
        SourcePitch pitch = new SourcePitch(CODEBOOKS, 2);
        assertThat(pitch.spread()).isCloseTo((float) Math.sqrt(10), within(1e-4f)); // std of -4..6
        Batch batch = batch();
        assertThat(pitch.apply(batch, 0, new SplittableRandom(1))).isSameAs(batch);
        boolean moved = false;
        for (long seed = 0; seed < 10; seed++) {
            Batch shifted = pitch.apply(batch, 1, new SplittableRandom(seed));
            assertThat(shifted.decoderInput()).isSameAs(batch.decoderInput());
            assertThat(shifted.encoderMask()).isSameAs(batch.encoderMask());
            for (int r = 0; r < 2; r++) {
                int[][] before = batch.encoderInput()[r], after = shifted.encoderInput()[r];
                float shift = pitch(after, 0) - pitch(before, 0);
                moved |= Math.abs(shift) > 0.2f;
                assertThat(Math.abs(shift)).isLessThanOrEqualTo((float) Math.sqrt(10) + 0.1f);
                for (int t = 0; t < 5; t++) {
                    if (batch.encoderMask()[r][t] == 0) {
                        assertThat(after[0][t]).isEqualTo(11); // padding untouched
                        continue;
                    }
                    assertThat(pitch(after, t) - pitch(before, t)).as("row %d frame %d", r, t)
                            .isCloseTo(shift, within(0.1f + 1e-5f));
                }
            }
            assertThat(batch.encoderInput()[0][0]).containsExactly(3, 4, 5, 4, 3); // the input is not changed
        }
        assertThat(moved).isTrue();
    }

    @Test
    void refusesACoordinateOutsideTheVectors() {
        assertThatThrownBy(() -> new SourcePitch(CODEBOOKS, 3)).hasMessageContaining("coordinate 3");
        assertThatThrownBy(() -> new SourcePitch(CODEBOOKS, 2).apply(batch(), -1, new SplittableRandom(1)))
                .hasMessageContaining("maxShift");
    }
}
