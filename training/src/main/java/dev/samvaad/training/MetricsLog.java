package dev.samvaad.training;

import dev.samvaad.io.AtomicFiles;
import dev.samvaad.model.BatchMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * The metrics CSV: one {@code train} row per step (with the process's peak resident memory so
 * far) and one {@code val} row per epoch, appended as they happen. After a resume, rows past the checkpoint's step (steps that will be redone) are
 * dropped first, so the file reads like one uninterrupted run.
 */
final class MetricsLog {
    static final String HEADER = "step,epoch,kind,loss,learning_rate,tokens_per_s,accuracy,per_codebook_accuracy,grad_norm,peak_rss_mb";

    /** The kind of the rows of free-running validation retrieval (in the accuracy column). */
    static final String RETRIEVAL = "val_retrieval";

    /** One parsed row. */
    record Row(long step, int epoch, String kind, double loss, double accuracy) {}

    private final Path file;

    MetricsLog(Path file) {
        this.file = file;
    }

    void reset() {
        AtomicFiles.write(file, (HEADER + "\n").getBytes(StandardCharsets.UTF_8));
    }

    void truncateAfter(long step) {
        if (!Files.exists(file)) {
            reset();
            return;
        }
        try {
            StringBuilder kept = new StringBuilder(HEADER).append('\n');
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] cells = line.split(",", -1);
                if (!line.equals(HEADER) && cells.length > 2 && Long.parseLong(cells[0]) <= step) {
                    kept.append(line).append('\n');
                }
            }
            AtomicFiles.write(file, kept.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException | NumberFormatException e) {
            throw new UncheckedIOException(file + ": unreadable metrics log: " + e.getMessage(),
                    e instanceof IOException io ? io : new IOException(e));
        }
    }

    /** A training step's row; {@code peakResidentBytes} is the process's peak so far, or empty if unknown. */
    void step(long step, int epoch, double loss, double learningRate, double tokensPerSecond, double gradientNorm,
            OptionalLong peakResidentBytes) {
        append(String.format(Locale.ROOT, "%d,%d,train,%.6f,%.3e,%.1f,,,%.4f,%s", step, epoch, loss, learningRate,
                tokensPerSecond, gradientNorm,
                peakResidentBytes.isPresent() ? Long.toString(peakResidentBytes.getAsLong() >> 20) : ""));
    }

    void validation(long step, int epoch, BatchMetrics m) {
        StringBuilder perCodebook = new StringBuilder();
        for (int q = 0; q < m.correct().length; q++) {
            perCodebook.append(q == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.4f", m.accuracy(q)));
        }
        append(String.format(Locale.ROOT, "%d,%d,val,%.6f,,,%.4f,%s,,", step, epoch, m.loss(), m.accuracy(), perCodebook));
    }

    void retrieval(long step, int epoch, double accuracy) {
        append(String.format(Locale.ROOT, "%d,%d,%s,,,,%.4f,,,", step, epoch, RETRIEVAL, accuracy));
    }

    List<Row> read() {
        List<Row> rows = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.equals(HEADER) || line.isBlank()) {
                    continue;
                }
                String[] c = line.split(",", -1);
                rows.add(new Row(Long.parseLong(c[0]), Integer.parseInt(c[1]), c[2],
                        c[3].isEmpty() ? Double.NaN : Double.parseDouble(c[3]),
                        c[6].isEmpty() ? Double.NaN : Double.parseDouble(c[6])));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
        return rows;
    }

    private void append(String line) {
        try {
            Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot append: " + e.getMessage(), e);
        }
    }
}
