package dev.samvaad.dataset;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A progress bar for long jobs: {@code [#######.....]  523/1000  52%  41.2 /s  ETA 0:12}. On a
 * terminal it redraws one line; in logs (CI, a pipe) it prints a line every tenth of the way, so
 * a log is not flooded. Thread-safe: workers call {@link #advance()}.
 */
public final class ProgressBar {
    private static final int WIDTH = 30;

    private final String label;
    private final long total;
    private final PrintStream out;
    private final boolean interactive;
    private final long startNanos = System.nanoTime();
    private final AtomicLong done = new AtomicLong();
    private volatile long resumedAt;
    private long lastDrawNanos;
    private long lastDecile = -1;
    private long lastDrawnCount = -1;
    private volatile String status = "";

    /**
     * A bar writing to any stream.
     *
     * @param label       printed before the bar
     * @param total       units of work in the job
     * @param out         where the bar goes
     * @param interactive redraw one line in place (a terminal) rather than print a line per tenth
     */
    public ProgressBar(String label, long total, PrintStream out, boolean interactive) {
        this.label = label;
        this.total = Math.max(0, total);
        this.out = out;
        this.interactive = interactive;
    }

    /**
     * A bar on standard error that redraws in place when a console is attached.
     *
     * @param label printed before the bar
     * @param total units of work in the job
     * @return the bar, drawn at the first {@link #advance()}
     */
    public static ProgressBar onStderr(String label, long total) {
        return new ProgressBar(label, total, System.err, System.console() != null);
    }

    /**
     * Counts {@code count} units as done by an earlier run (a resumed job): they fill the bar but
     * do not count toward the rate and ETA, which describe this run. Call before any {@link #advance()}.
     *
     * @param count units finished before this run started
     */
    public void resumeFrom(long count) {
        resumedAt = Math.max(0, count);
        done.set(resumedAt);
    }

    /** Counts one unit of work done. */
    public void advance() {
        long now = done.incrementAndGet();
        draw(now, false);
    }

    /**
     * Sets extra text shown after the counts.
     *
     * @param text e.g. {@code "loss 2.31 1840 tok/s"}; {@code null} for none
     */
    public void setStatus(String text) {
        status = text == null ? "" : text;
    }

    /** Draws the final state and ends the line. */
    public void finish() {
        draw(done.get(), true);
    }

    private synchronized void draw(long now, boolean last) {
        // Workers race between counting and drawing: a count older than one already drawn is stale.
        if (now < lastDrawnCount) {
            return;
        }
        lastDrawnCount = now;
        long t = System.nanoTime();
        if (interactive) {
            if (!last && now < total && t - lastDrawNanos < 100_000_000L) {
                return;
            }
            lastDrawNanos = t;
            out.print("\r" + line(now, t) + (last ? System.lineSeparator() : ""));
        } else {
            long decile = total == 0 ? 10 : now * 10 / total;
            if (decile > lastDecile) {
                lastDecile = decile;
                out.println(line(now, t));
            }
        }
        out.flush();
    }

    private String line(long now, long nanos) {
        double seconds = Math.max(1e-9, (nanos - startNanos) / 1e9);
        double rate = (now - resumedAt) / seconds;
        int filled = total == 0 ? WIDTH : (int) (WIDTH * Math.min(now, total) / total);
        String eta = rate > 0 && now < total ? format(Duration.ofSeconds((long) ((total - now) / rate))) : "0:00";
        return String.format("%s [%s%s] %d/%d %3d%% %.1f /s ETA %s%s", label, "#".repeat(filled),
                ".".repeat(WIDTH - filled), now, total, total == 0 ? 100 : now * 100 / total, rate, eta,
                status.isEmpty() ? "" : " " + status);
    }

    static String format(Duration d) {
        long s = d.getSeconds();
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format("%d:%02d", s / 60, s % 60);
    }
}
