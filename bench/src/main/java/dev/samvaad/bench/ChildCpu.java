package dev.samvaad.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of finished child processes, from Linux's {@code /proc/self/stat}: the kernel adds a
 * child's user and system time to its parent's {@code cutime} and {@code cstime} once the child
 * has been waited for ({@code Process.waitFor} does that). The clock is coarse (usually 10 ms a
 * tick), so callers run a tool several times and divide.
 */
final class ChildCpu {
    private static final Path STAT = Path.of("/proc/self/stat");

    private final long ticksPerSecond;

    private ChildCpu(long ticksPerSecond) {
        this.ticksPerSecond = ticksPerSecond;
    }

    /** The clock of this machine ({@code getconf CLK_TCK}, 100 when that fails), or null without {@code /proc}. */
    static ChildCpu open() {
        if (!Files.isReadable(STAT)) {
            return null;
        }
        long hz = 100;
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            if (p.waitFor() == 0 && out.matches("\\d+")) {
                hz = Long.parseLong(out);
            }
        } catch (IOException e) {
            // keep the usual 100 Hz
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new ChildCpu(hz);
    }

    long ticksPerSecond() {
        return ticksPerSecond;
    }

    /** Seconds of CPU (user + system) used so far by the waited-for children of this process. */
    double childSeconds() {
        try {
            return (double) childTicks(Files.readString(STAT)) / ticksPerSecond;
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + STAT + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@code cutime + cstime} (fields 16 and 17) of a {@code /proc/PID/stat} line. The command
     * name (field 2) is in parentheses and may itself hold spaces and parentheses, so fields are
     * counted from the last {@code ')'}.
     */
    static long childTicks(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            throw new IllegalArgumentException("not a /proc stat line: " + stat);
        }
        String[] fields = stat.substring(close + 1).trim().split("\\s+");
        // fields[0] is field 3 (state), so field n is fields[n - 3].
        if (fields.length < 15) {
            throw new IllegalArgumentException("a /proc stat line with " + (fields.length + 2) + " fields: " + stat);
        }
        return Long.parseLong(fields[16 - 3]) + Long.parseLong(fields[17 - 3]);
    }
}
