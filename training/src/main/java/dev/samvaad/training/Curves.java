package dev.samvaad.training;

import dev.samvaad.io.AtomicFiles;
import java.awt.Color;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws the loss and accuracy curves of a run as a PNG with XChart (headless AWT): losses on the
 * left axis, accuracies (0..1) on the right, against the training step.
 */
final class Curves {
    static final int WIDTH = 900;
    static final int HEIGHT = 480;
    /** XChart's second y-axis group: the accuracies, whose 0..1 scale would flatten the losses. */
    private static final int ACCURACY_AXIS = 1;

    private Curves() {}

    static void write(Path png, List<MetricsLog.Row> rows) {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = chart(rows);
        AtomicFiles.write(png, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
    }

    static XYChart chart(List<MetricsLog.Row> rows) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title("Training curves")
                .xAxisTitle("step").yAxisTitle("loss").build();
        XYStyler styler = chart.getStyler();
        styler.setLegendPosition(Styler.LegendPosition.OutsideS);
        styler.setLegendLayout(Styler.LegendLayout.Horizontal);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setYAxisGroupPosition(ACCURACY_AXIS, Styler.YAxisPosition.Right);
        styler.setYAxisMin(ACCURACY_AXIS, 0.0);
        styler.setYAxisMax(ACCURACY_AXIS, 1.0);
        chart.setYAxisGroupTitle(ACCURACY_AXIS, "accuracy (0..1)");
        add(chart, rows, "train", "train loss", MetricsLog.Row::loss, 0, new Color(40, 90, 200));
        add(chart, rows, "val", "validation loss", MetricsLog.Row::loss, 0, new Color(220, 120, 20));
        add(chart, rows, "val", "validation accuracy", MetricsLog.Row::accuracy, ACCURACY_AXIS, new Color(30, 150, 60));
        add(chart, rows, MetricsLog.RETRIEVAL, "free-running retrieval", MetricsLog.Row::accuracy, ACCURACY_AXIS,
                new Color(160, 40, 160));
        return chart;
    }

    /** Adds one curve, or nothing when the log has no finite value of that kind yet. */
    private static void add(XYChart chart, List<MetricsLog.Row> rows, String kind, String name,
            ToDoubleFunction<MetricsLog.Row> value, int axis, Color color) {
        List<MetricsLog.Row> points = rows.stream()
                .filter(r -> r.kind().equals(kind) && Double.isFinite(value.applyAsDouble(r))).toList();
        if (points.isEmpty()) {
            return;
        }
        double[] x = points.stream().mapToDouble(MetricsLog.Row::step).toArray();
        double[] y = points.stream().mapToDouble(value).toArray();
        XYSeries series = chart.addSeries(name, x, y);
        series.setYAxisGroup(axis);
        series.setLineColor(color);
        series.setMarkerColor(color);
        // Per-step training rows are dense enough to read as a line; per-epoch ones get dots.
        series.setMarker(kind.equals("train") ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
    }
}
