package dev.samvaad.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RvqTrainerTest {

    /** What the listener was told about one stage. */
    private record StageReport(int stage, int iterations, double mse, int restarts) {}

    private static RvqTrainer.Options.Builder options(int stages, int size) {
        return RvqTrainer.Options.builder().stages(stages).size(size).threads(2);
    }

    @Test
    void everyStageLowersTheErrorAndTheReportsAgreeWithQuantisationError() {
        float[][] data = RvqTestData.gaussianMixture(20_000, 8, 200, 11);
        List<StageReport> reports = new ArrayList<>();
        ResidualVQ rvq = RvqTrainer.train(data, options(4, 64).build(),
                (stage, iterations, mse, restarts) -> reports.add(new StageReport(stage, iterations, mse, restarts)));

        assertThat(rvq.stages()).isEqualTo(4);
        assertThat(rvq.size()).isEqualTo(64);
        assertThat(rvq.dim()).isEqualTo(8);
        double[] errors = rvq.quantisationError(data);
        double variance = totalVariance(data);
        assertThat(errors[0]).isLessThan(0.3 * variance);
        for (int q = 1; q < errors.length; q++) {
            assertThat(errors[q]).as("after %d stages", q + 1).isLessThan(0.9 * errors[q - 1]);
        }
        assertThat(reports).extracting(StageReport::stage).containsExactly(0, 1, 2, 3);
        for (StageReport report : reports) {
            assertThat(report.iterations()).isBetween(1, 20);
            // Training residuals and encode() can differ only on float near-ties.
            assertThat(report.mse()).isCloseTo(errors[report.stage()], within(1e-3 * errors[report.stage()]));
        }
        double[] direct = new double[4];
        for (float[] x : data) {
            int[] codes = rvq.encode(x);
            for (int q = 1; q <= 4; q++) {
                float[] decoded = rvq.decode(codes, q);
                double sum = 0;
                for (int d = 0; d < x.length; d++) {
                    sum += ((double) x[d] - decoded[d]) * ((double) x[d] - decoded[d]);
                }
                direct[q - 1] += sum / data.length;
            }
        }
        for (int q = 0; q < 4; q++) {
            assertThat(errors[q]).isCloseTo(direct[q], within(1e-5 * direct[q]));
        }
    }

    @Test
    void oneStageRecoversWellSeparatedClusterCentres() {
        SplittableRandom random = new SplittableRandom(21);
        float[][] centres = RvqTestData.gaussian(16, 4, 100.0, random);
        float[][] data = new float[16 * 30][];
        for (int n = 0; n < data.length; n++) {
            data[n] = centres[random.nextInt(16)].clone();
        }
        for (int c = 0; c < 16; c++) {
            data[c] = centres[c].clone(); // every centre present at least once
        }
        List<StageReport> reports = new ArrayList<>();
        ResidualVQ rvq = RvqTrainer.train(data, options(1, 16).build(),
                (stage, iterations, mse, restarts) -> reports.add(new StageReport(stage, iterations, mse, restarts)));

        assertThat(reports.get(0).mse()).isLessThan(1e-9);
        float[][] entries = rvq.codebooks()[0];
        for (float[] centre : centres) {
            double nearest = Double.MAX_VALUE;
            for (float[] entry : entries) {
                nearest = Math.min(nearest, squaredDistance(centre, entry));
            }
            assertThat(nearest).isLessThan(1e-8);
        }
    }

    @Test
    void deadEntriesAreRestartedUntilEveryEntryIsUsed() {
        // One point repeated 5000 times plus 39 distinct outliers: the k-means++ sample (20 * K
        // vectors) sees only a few outliers, so most seeds land on the repeated point and die.
        int size = 40;
        float[][] data = new float[5000 + size - 1][];
        for (int n = 0; n < 5000; n++) {
            data[n] = new float[] {0, 0, 0};
        }
        for (int i = 1; i < size; i++) {
            data[5000 - 1 + i] = new float[] {i, (i * 7) % 13, (i * 5) % 11};
        }
        List<StageReport> reports = new ArrayList<>();
        ResidualVQ rvq = RvqTrainer.train(data, options(1, size).build(),
                (stage, iterations, mse, restarts) -> reports.add(new StageReport(stage, iterations, mse, restarts)));

        assertThat(reports.get(0).restarts()).isPositive();
        assertThat(reports.get(0).mse()).isLessThan(1e-9);
        int[] usage = new int[size];
        for (float[] x : data) {
            usage[rvq.encode(x)[0]]++;
        }
        assertThat(usage).as("vectors per entry").doesNotContain(0);
    }

    @Test
    void fewerDistinctVectorsThanEntriesStillTrains() {
        float[][] data = new float[100][];
        for (int n = 0; n < data.length; n++) {
            data[n] = new float[] {n % 3, 1};
        }
        ResidualVQ rvq = RvqTrainer.train(data, options(2, 8).build());
        assertThat(rvq.quantisationError(data)).containsExactly(0.0, 0.0);
    }

    @Test
    void sameSeedGivesIdenticalCodebooksOnAnyThreadCount() {
        float[][] data = RvqTestData.gaussianMixture(5000, 6, 40, 31);
        RvqTrainer.Options.Builder builder = options(3, 32).iterations(10).tolerance(0).maxTrainingVectors(4500);
        float[][][] oneThread = RvqTrainer.train(data, builder.threads(1).build()).codebooks();
        float[][][] twoThreads = RvqTrainer.train(data, builder.threads(2).build()).codebooks();
        float[][][] otherSeed = RvqTrainer.train(data, builder.seed(2).build()).codebooks();

        assertThat(twoThreads).isDeepEqualTo(oneThread);
        assertThat(Arrays.deepEquals(otherSeed, oneThread)).as("codebooks from another seed equal").isFalse();
    }

    @Test
    void rejectsTooLittleRaggedOrNonFiniteData() {
        RvqTrainer.Options options = options(2, 8).build();
        assertThatThrownBy(() -> RvqTrainer.train(new float[7][3], options))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("need at least 8 training vectors")
                .hasMessageContaining("got 7");
        float[][] ragged = new float[10][3];
        ragged[4] = new float[2];
        assertThatThrownBy(() -> RvqTrainer.train(ragged, options))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ragged").hasMessageContaining("row 4");
        float[][] withNaN = new float[10][3];
        withNaN[6][1] = Float.NaN;
        assertThatThrownBy(() -> RvqTrainer.train(withNaN, options))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("data[6][1] is not finite");
        assertThatThrownBy(() -> RvqTrainer.train(new float[0][], options))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no rows");
    }

    @Test
    void rejectsOutOfRangeOptions() {
        assertThatThrownBy(() -> RvqTrainer.Options.builder().size(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("size must be >= 1, got 0");
        assertThatThrownBy(() -> RvqTrainer.Options.builder().stages(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("stages must be >= 1, got 0");
        assertThatThrownBy(() -> RvqTrainer.Options.builder().iterations(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("iterations must be >= 1, got 0");
        assertThatThrownBy(() -> RvqTrainer.Options.builder().threads(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessage("threads must be >= 1, got 0");
        assertThatThrownBy(() -> RvqTrainer.Options.builder().tolerance(Double.NaN).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tolerance");
        assertThatThrownBy(() -> RvqTrainer.Options.builder().size(64).maxTrainingVectors(10).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxTrainingVectors (10) must be at least size (64)");
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        RvqTrainer.Options defaults = RvqTrainer.Options.defaults();
        assertThat(defaults.stages()).isEqualTo(6);
        assertThat(defaults.size()).isEqualTo(1024);
        assertThat(defaults.iterations()).isEqualTo(20);
        assertThat(defaults.maxTrainingVectors()).isEqualTo(200_000);
        assertThat(defaults.seed()).isEqualTo(1);
        assertThat(defaults.threads()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(defaults.tolerance()).isEqualTo(1e-4);
    }

    private static double totalVariance(float[][] data) {
        int dim = data[0].length;
        double[] mean = new double[dim];
        for (float[] x : data) {
            for (int d = 0; d < dim; d++) {
                mean[d] += x[d] / (double) data.length;
            }
        }
        double sum = 0;
        for (float[] x : data) {
            sum += RvqTestData.squaredDistance(mean, x);
        }
        return sum / data.length;
    }

    private static double squaredDistance(float[] a, float[] b) {
        double sum = 0;
        for (int d = 0; d < a.length; d++) {
            sum += ((double) a[d] - b[d]) * ((double) a[d] - b[d]);
        }
        return sum;
    }
}
