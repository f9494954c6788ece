package dev.samvaad.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

class CurvesTest {

    /** Two epochs of five steps: train rows every step, validation and retrieval at each epoch's end. */
    private static List<MetricsLog.Row> twoEpochs() {
        List<MetricsLog.Row> rows = new ArrayList<>();
        for (int step = 1; step <= 10; step++) {
            int epoch = (step - 1) / 5 + 1;
            rows.add(new MetricsLog.Row(step, epoch, "train", 6.0 / step, Double.NaN));
            if (step % 5 == 0) {
                rows.add(new MetricsLog.Row(step, epoch, "val", 5.0 / epoch, 0.2 * epoch));
                rows.add(new MetricsLog.Row(step, epoch, MetricsLog.RETRIEVAL, Double.NaN, 0.25 * epoch));
            }
        }
        return rows;
    }

    @Test
    void theAxesAreLabelledAndLossesAndAccuraciesHaveAnAxisEach() {
        XYChart chart = Curves.chart(twoEpochs());
        assertThat(chart.getXAxisTitle()).isEqualTo("step");
        assertThat(chart.getYAxisTitle()).isEqualTo("loss");
        assertThat(chart.getYAxisGroupTitle(1)).isEqualTo("accuracy (0..1)");
        assertThat(chart.getSeriesMap()).containsOnlyKeys("train loss", "validation loss", "validation accuracy",
                "free-running retrieval");
        XYSeries train = chart.getSeriesMap().get("train loss");
        assertThat(train.getXData()).containsExactly(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0);
        assertThat(train.getYAxisGroup()).isZero();
        assertThat(chart.getSeriesMap().get("validation loss").getYData()).containsExactly(5.0, 2.5);
        assertThat(chart.getSeriesMap().get("validation accuracy").getYAxisGroup()).isEqualTo(1);
        assertThat(chart.getSeriesMap().get("free-running retrieval").getYData()).containsExactly(0.25, 0.5);
    }

    @Test
    void curvesNotLoggedYetAreLeftOutOfTheLegend() {
        List<MetricsLog.Row> trainOnly = twoEpochs().stream().filter(r -> r.kind().equals("train")).toList();
        assertThat(Curves.chart(trainOnly).getSeriesMap()).containsOnlyKeys("train loss");
    }

    @Test
    void writesAPngInPlaceOfTheOldOneWithNoTemporaryLeft(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("curves.png");
        Files.writeString(png, "an older drawing");
        Curves.write(png, twoEpochs());
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(Curves.WIDTH);
        assertThat(image.getHeight()).isEqualTo(Curves.HEIGHT);
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(png);
        }
    }

    @Test
    void anEmptyLogStillDrawsTheAxes(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("curves.png");
        Curves.write(png, List.of());
        assertThat(ImageIO.read(png.toFile()).getWidth()).isEqualTo(Curves.WIDTH);
    }
}
