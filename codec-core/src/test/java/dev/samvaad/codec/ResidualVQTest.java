package dev.samvaad.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ResidualVQTest {

    private static final int STAGES = 3;
    private static final int SIZE = 40;
    private static final int DIM = 7;

    /** Random codebooks whose scale shrinks per stage, as trained residual codebooks do. */
    private static float[][][] randomCodebooks(SplittableRandom random) {
        float[][][] codebooks = new float[STAGES][][];
        for (int s = 0; s < STAGES; s++) {
            codebooks[s] = RvqTestData.gaussian(SIZE, DIM, 2.0 / (s + 1), random);
        }
        return codebooks;
    }

    @Test
    void eachStagePicksTheEntryNearestToTheResidualOfTheStagesBefore() {
        SplittableRandom random = new SplittableRandom(3);
        float[][][] codebooks = randomCodebooks(random);
        ResidualVQ rvq = ResidualVQ.of(codebooks);
        for (float[] x : RvqTestData.gaussian(500, DIM, 2.0, random)) {
            int[] codes = rvq.encode(x);
            double[] residual = new double[DIM];
            for (int d = 0; d < DIM; d++) {
                residual[d] = x[d];
            }
            for (int s = 0; s < STAGES; s++) {
                int bruteForce = 0;
                for (int k = 1; k < SIZE; k++) {
                    if (RvqTestData.squaredDistance(residual, codebooks[s][k])
                            < RvqTestData.squaredDistance(residual, codebooks[s][bruteForce])) {
                        bruteForce = k;
                    }
                }
                double chosen = RvqTestData.squaredDistance(residual, codebooks[s][codes[s]]);
                double nearest = RvqTestData.squaredDistance(residual, codebooks[s][bruteForce]);
                // Float rounding may only swap entries that are tied to within a hair.
                if (codes[s] != bruteForce) {
                    assertThat(chosen).as("stage %d", s).isCloseTo(nearest, within(1e-4 * (1 + nearest)));
                }
                for (int d = 0; d < DIM; d++) {
                    residual[d] -= codebooks[s][codes[s]][d];
                }
            }
        }
    }

    @Test
    void allocationFreeEncodeGivesTheSameCodes() {
        SplittableRandom random = new SplittableRandom(5);
        ResidualVQ rvq = ResidualVQ.of(randomCodebooks(random));
        int[] codes = new int[STAGES + 2];
        float[] scratch = new float[rvq.scratchSize()];
        for (float[] x : RvqTestData.gaussian(50, DIM, 2.0, random)) {
            rvq.encode(x, codes, scratch);
            assertThat(Arrays.copyOf(codes, STAGES)).containsExactly(rvq.encode(x));
        }
    }

    @Test
    void decodeSumsTheChosenEntriesOfTheStagesUsed() {
        float[][][] codebooks = {
            {{1, 2}, {10, 20}},
            {{0.5f, -0.5f}, {3, 3}},
        };
        ResidualVQ rvq = ResidualVQ.of(codebooks);
        int[] codes = {1, 0};
        assertThat(rvq.decode(codes, 0)).containsExactly(0, 0);
        assertThat(rvq.decode(codes, 1)).containsExactly(10, 20);
        assertThat(rvq.decode(codes, 2)).containsExactly(10.5f, 19.5f);
        float[] out = {7, 7};
        rvq.decode(new int[] {0, 1}, 2, out);
        assertThat(out).containsExactly(4, 5);
        assertThat(rvq.encode(new float[] {10.4f, 19.6f})).containsExactly(1, 0);
    }

    @Test
    void quantisationErrorIsTheMeanSquaredDistanceToTheDecodingPerStageCount() {
        SplittableRandom random = new SplittableRandom(9);
        ResidualVQ rvq = ResidualVQ.of(randomCodebooks(random));
        float[][] data = RvqTestData.gaussian(300, DIM, 2.0, random);
        double[] expected = new double[STAGES];
        for (float[] x : data) {
            int[] codes = rvq.encode(x);
            for (int q = 1; q <= STAGES; q++) {
                float[] decoded = rvq.decode(codes, q);
                double[] xd = new double[DIM];
                for (int d = 0; d < DIM; d++) {
                    xd[d] = x[d];
                }
                expected[q - 1] += RvqTestData.squaredDistance(xd, decoded) / data.length;
            }
        }
        double[] actual = rvq.quantisationError(data);
        assertThat(actual).hasSize(STAGES);
        for (int q = 0; q < STAGES; q++) {
            assertThat(actual[q]).as("after %d stages", q + 1).isCloseTo(expected[q], within(1e-5 * expected[q]));
        }
    }

    @Test
    void codebooksAreCopiedInAndOut() {
        float[][][] codebooks = {{{1, 2}, {3, 4}, {5, 6}}};
        ResidualVQ rvq = ResidualVQ.of(codebooks);
        codebooks[0][0][0] = 99;
        float[][][] copy = rvq.codebooks();
        assertThat(copy[0][0]).containsExactly(1, 2);
        copy[0][1][0] = 99;
        assertThat(rvq.codebooks()[0][1]).containsExactly(3, 4);
        assertThat(rvq.stages()).isEqualTo(1);
        assertThat(rvq.size()).isEqualTo(3);
        assertThat(rvq.dim()).isEqualTo(2);
    }

    @Test
    void decodeRejectsOutOfRangeCodesNamingTheStage() {
        ResidualVQ rvq = ResidualVQ.of(new float[][][] {{{1}, {2}}, {{3}, {4}}});
        assertThatThrownBy(() -> rvq.decode(new int[] {1, 2}, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stage 1")
                .hasMessageContaining("code 2");
        assertThatThrownBy(() -> rvq.decode(new int[] {-1, 0}, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stage 0")
                .hasMessageContaining("code -1");
        // A bad code beyond stagesUsed is never looked at.
        assertThat(rvq.decode(new int[] {1, 7}, 1)).containsExactly(2);
        assertThatThrownBy(() -> rvq.decode(new int[] {0, 0}, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stagesUsed");
    }

    @Test
    void ofRejectsMalformedCodebooks() {
        assertThatThrownBy(() -> ResidualVQ.of(new float[0][][]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one stage");
        assertThatThrownBy(() -> ResidualVQ.of(new float[][][] {{{1, 2}, {3}}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ragged");
        assertThatThrownBy(() -> ResidualVQ.of(new float[][][] {{{1, Float.NaN}}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not finite");
        assertThatThrownBy(() -> ResidualVQ.of(new float[][][] {{{1, 2}}, {{1, 2}, {3, 4}}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("codebooks[1] is 2 x 2");
        ResidualVQ rvq = ResidualVQ.of(new float[][][] {{{1, 2}}});
        assertThatThrownBy(() -> rvq.encode(new float[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected dim 2");
    }
}
