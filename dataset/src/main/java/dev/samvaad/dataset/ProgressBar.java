package dev.samvaad.dataset;

import java.io.PrintStream;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DefaultProgressBarRenderer;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarRenderer;
import me.tongfei.progressbar.ProgressBarStyle;
import me.tongfei.progressbar.ProgressState;

/**
 * A progress bar for long jobs, drawn by {@code me.tongfei:progressbar}:
 * {@code train  52% [=======>      ] 523/1000 (0:01:02 / 0:00:57) 8.4/s loss 2.31}. On a terminal it
 * redraws one line, as wide as the terminal; in logs (CI, a pipe) it prints at most one line per
 * tenth of the way, so a log is not flooded. Thread-safe: workers call {@link #advance()}.
 */
public final class ProgressBar {
    /** How often the library's timer thread redraws; the last state is drawn by {@link #finish()}. */
    private static final int REDRAW_MILLIS = 200;
    /** Log lines have no terminal to fit: a fixed width, the bar filling what the text leaves. */
    private static final int LOG_LINE_WIDTH = 100;

    private final String label;
    private final long total;
    private final PrintStream out;
    private final boolean interactive;
    private final int redrawMillis;
    private volatile long resumedAt;
    private volatile String status = "";
    private volatile me.tongfei.progressbar.ProgressBar bar;
    /** Set when the library has drawn the last state and ended the output. */
    private final AtomicBoolean ended = new AtomicBoolean();

    /**
     * A bar writing to any stream.
     *
     * @param label       printed before the bar
     * @param total       units of work in the job
     * @param out         where the bar goes
     * @param interactive redraw one line in place (a terminal) rather than print a line per tenth
     */
    public ProgressBar(String label, long total, PrintStream out, boolean interactive) {
        this(label, total, out, interactive, REDRAW_MILLIS);
    }

    ProgressBar(String label, long total, PrintStream out, boolean interactive, int redrawMillis) {
        this.label = label;
        this.total = Math.max(0, total);
        this.out = out;
        this.interactive = interactive;
        this.redrawMillis = redrawMillis;
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
    }

    /** Counts one unit of work done. */
    public void advance() {
        bar().step();
    }

    /**
     * Sets extra text shown after the counts.
     *
     * @param text e.g. {@code "loss 2.31 1840 tok/s"}; {@code null} for none
     */
    public void setStatus(String text) {
        // The library writes the message straight after the rate: the space is ours.
        status = text == null || text.isEmpty() ? "" : " " + text;
        me.tongfei.progressbar.ProgressBar started = bar;
        if (started != null) {
            started.setExtraMessage(status);
        }
    }

    /** Draws the final state, ends the line and stops the redrawing. */
    public void finish() {
        me.tongfei.progressbar.ProgressBar started = bar();
        started.close();
        if (!ended.get()) {
            // A close() that comes before the library's first redraw draws only that one and
            // skips the ending (0.10.1); a second close() draws the ending.
            started.close();
        }
    }

    /** Built at the first count, so that {@link #resumeFrom} can still set where it starts. */
    private me.tongfei.progressbar.ProgressBar bar() {
        me.tongfei.progressbar.ProgressBar started = bar;
        if (started == null) {
            synchronized (this) {
                started = bar;
                if (started == null) {
                    started = bar = build();
                    started.setExtraMessage(status);
                }
            }
        }
        return started;
    }

    private me.tongfei.progressbar.ProgressBar build() {
        DecimalFormat rate = new DecimalFormat("0.0", DecimalFormatSymbols.getInstance(Locale.ROOT));
        // The library's own line (its constructor is protected: hence the empty subclass).
        ProgressBarRenderer line = new DefaultProgressBarRenderer(ProgressBarStyle.ASCII, "", 1, true, rate,
                ChronoUnit.SECONDS, true, ProgressBar::etaOfThisRun) {};
        ProgressBarBuilder builder = new ProgressBarBuilder().setTaskName(label).setInitialMax(total)
                .setUpdateIntervalMillis(redrawMillis).startsFrom(resumedAt, Duration.ZERO);
        if (interactive) {
            return builder.setRenderer(line).setConsumer(new ConsoleProgressBarConsumer(out) {
                @Override
                public void close() {
                    super.close();
                    ended.set(true);
                }
            }).build();
        }
        OnePerTenthLog log = new OnePerTenthLog(line, out, LOG_LINE_WIDTH, () -> ended.set(true));
        return builder.setRenderer(log).setConsumer(log).build();
    }

    /** The time left at this run's pace: work resumed from an earlier run does not count. */
    static Optional<Duration> etaOfThisRun(ProgressState state) {
        long doneNow = state.getCurrent() - state.getStart();
        if (state.getMax() <= 0 || doneNow <= 0) {
            return Optional.empty();
        }
        return Optional.of(state.getElapsedAfterStart().dividedBy(doneNow)
                .multipliedBy(Math.max(0, state.getMax() - state.getCurrent())));
    }
}
