package dev.samvaad.training;

import dev.samvaad.io.AtomicFiles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/** Draws the loss and accuracy curves of a run as a PNG (headless AWT). */
final class Curves {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 420;
    private static final int MARGIN = 50;

    private Curves() {}

    static void write(Path png, List<MetricsLog.Row> rows) {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        long maxStep = Math.max(1, rows.stream().mapToLong(MetricsLog.Row::step).max().orElse(1));
        double maxLoss = Math.max(1e-9, rows.stream().mapToDouble(MetricsLog.Row::loss).filter(Double::isFinite).max().orElse(1));
        g.setColor(Color.GRAY);
        g.drawRect(MARGIN, MARGIN / 2, WIDTH - 2 * MARGIN, HEIGHT - MARGIN - MARGIN / 2);
        g.drawString("step " + maxStep, WIDTH - MARGIN - 60, HEIGHT - MARGIN / 2 + 15);
        g.drawString(String.format(Locale.ROOT, "loss (max %.2f)", maxLoss), MARGIN + 5, MARGIN / 2 + 15);
        g.setStroke(new BasicStroke(1.5f));
        plot(g, rows, "train", maxStep, r -> r.loss() / maxLoss, new Color(40, 90, 200));
        plot(g, rows, "val", maxStep, r -> r.loss() / maxLoss, new Color(220, 120, 20));
        plot(g, rows, "val", maxStep, MetricsLog.Row::accuracy, new Color(30, 150, 60));
        plot(g, rows, MetricsLog.RETRIEVAL, maxStep, MetricsLog.Row::accuracy, new Color(160, 40, 160));
        g.setColor(Color.DARK_GRAY);
        g.drawString("blue: train loss   orange: validation loss   green: validation accuracy   purple: free-running "
                + "retrieval (0..1)", MARGIN, HEIGHT - 8);
        g.dispose();
        AtomicFiles.write(png, out -> ImageIO.write(image, "png", out));
    }

    private static void plot(Graphics2D g, List<MetricsLog.Row> rows, String kind, long maxStep,
            java.util.function.ToDoubleFunction<MetricsLog.Row> value, Color color) {
        g.setColor(color);
        int plotW = WIDTH - 2 * MARGIN, plotH = HEIGHT - MARGIN - MARGIN / 2;
        int px = -1, py = -1;
        for (MetricsLog.Row r : rows) {
            double v = value.applyAsDouble(r);
            if (!r.kind().equals(kind) || !Double.isFinite(v)) {
                continue;
            }
            int x = MARGIN + (int) (plotW * r.step() / (double) maxStep);
            int y = MARGIN / 2 + plotH - (int) (plotH * Math.max(0, Math.min(1, v)));
            if (px >= 0) {
                g.drawLine(px, py, x, y);
            } else {
                g.fillOval(x - 2, y - 2, 4, 4);
            }
            px = x;
            py = y;
        }
    }
}
