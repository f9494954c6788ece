package dev.samvaad.dataset;

import java.io.PrintStream;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarRenderer;
import me.tongfei.progressbar.ProgressState;

/**
 * A progress bar in a log (CI, a pipe), where a redrawn line would pile up: lets through one
 * full line per tenth of the way, and the last state once the bar is closed. The library renders and hands over on its one timer thread
 * (the last time inside {@code close()}, waiting for it), so the two halves never race.
 */
final class OnePerTenthLog implements ProgressBarRenderer, ProgressBarConsumer {
    private final ProgressBarRenderer line;
    private final PrintStream out;
    private final int width;
    private final Runnable whenClosed;
    private long lastTenth = -1;
    private long lastCount = -1;

    OnePerTenthLog(ProgressBarRenderer line, PrintStream out, int width, Runnable whenClosed) {
        this.line = line;
        this.out = out;
        this.width = width;
        this.whenClosed = whenClosed;
    }

    @Override
    public String render(ProgressState state, int maxLength) {
        long count = state.getCurrent(), max = state.getMax();
        long tenth = max <= 0 ? 10 : Math.min(10, count * 10 / max);
        // Once closed the library draws the last state more than once: it is printed once.
        boolean news = state.isAlive() ? tenth > lastTenth : count != lastCount;
        if (!news) {
            return "";
        }
        lastTenth = Math.max(lastTenth, tenth);
        lastCount = count;
        return line.render(state, maxLength);
    }

    @Override
    public int getMaxRenderedLength() {
        return width;
    }

    @Override
    public void accept(String rendered) {
        if (!rendered.isEmpty()) {
            out.println(rendered);
            out.flush();
        }
    }

    @Override
    public void close() {
        out.flush();
        whenClosed.run();
    }
}
