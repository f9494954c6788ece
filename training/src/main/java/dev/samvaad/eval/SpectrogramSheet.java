package dev.samvaad.eval;

import dev.samvaad.io.AtomicFiles;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A PNG of log-mel spectrograms stacked top to bottom (low frequencies at the bottom of each), so
 * generated answers can be looked at next to their references: speech shows as harmonics and
 * formant bands in syllable-long blocks, a model that lost the thread as smears or repeats.
 */
final class SpectrogramSheet {
    private static final int BAND_PIXELS = 2;
    private static final int GAP = 6;
    private static final int TITLE = 18;
    private static final double RANGE_DB = 80;

    private SpectrogramSheet() {}

    /**
     * Writes the sheet atomically.
     *
     * @param png          the file
     * @param spectrograms log-mel spectrograms {@code [frames][bands]} in dB, drawn in order
     * @param title        drawn on top
     */
    static void write(Path png, List<float[][]> spectrograms, String title) {
        int width = 1, height = TITLE;
        for (float[][] s : spectrograms) {
            width = Math.max(width, s.length);
            height += (s.length == 0 ? 0 : s[0].length) * BAND_PIXELS + GAP;
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString(title, 4, 13);
        int top = TITLE;
        for (float[][] s : spectrograms) {
            int bands = s.length == 0 ? 0 : s[0].length;
            float max = Float.NEGATIVE_INFINITY;
            for (float[] frame : s) {
                for (float v : frame) {
                    max = Math.max(max, v);
                }
            }
            for (int t = 0; t < s.length; t++) {
                for (int b = 0; b < bands; b++) {
                    double level = Math.max(0, Math.min(1, 1 - (max - s[t][b]) / RANGE_DB));
                    int rgb = heat(level);
                    for (int p = 0; p < BAND_PIXELS; p++) {
                        image.setRGB(t, top + (bands - 1 - b) * BAND_PIXELS + p, rgb);
                    }
                }
            }
            top += bands * BAND_PIXELS + GAP;
        }
        g.dispose();
        AtomicFiles.write(png, out -> ImageIO.write(image, "png", out));
    }

    /** Dark blue through red to yellow-white. */
    private static int heat(double level) {
        int r = (int) (255 * Math.min(1, level * 1.6));
        int gr = (int) (255 * Math.max(0, Math.min(1, level * 1.6 - 0.6)));
        int b = (int) (255 * Math.max(0, 0.5 - Math.abs(level - 0.25)) * 1.6);
        return (r << 16) | (gr << 8) | Math.min(255, b);
    }
}
