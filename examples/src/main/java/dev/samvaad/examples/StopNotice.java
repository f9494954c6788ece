package dev.samvaad.examples;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * One line on standard error when the JVM stops (Ctrl-C, {@code kill}) while a long command runs:
 * how to go on from where it stopped. A JVM shutdown hook, which prints only when the command did
 * not finish ({@link #close()} was not reached). Only the outermost command's notice is installed
 * (the quickstart's, not that of the train step it runs).
 */
final class StopNotice implements AutoCloseable {
    private static final AtomicReference<StopNotice> ACTIVE = new AtomicReference<>();

    private final Thread hook;
    private volatile boolean finished;

    private StopNotice(PrintWriter err, Supplier<String> message) {
        this.hook = new Thread(() -> {
            if (!finished) {
                err.println();
                err.println(message.get());
                err.flush();
            }
        }, "samvaad-stop-notice");
    }

    /**
     * Installs the notice whose text {@code message} gives at the time of the stop; a no-op when an
     * outer command's notice is installed already.
     */
    static StopNotice install(CommandSpec spec, Supplier<String> message) {
        StopNotice notice = new StopNotice(spec.commandLine().getErr(), message);
        if (!ACTIVE.compareAndSet(null, notice)) {
            notice.finished = true;
            return notice;
        }
        try {
            Runtime.getRuntime().addShutdownHook(notice.hook);
        } catch (IllegalStateException e) {
            ACTIVE.set(null); // already shutting down
        }
        return notice;
    }

    /** The command finished (or failed with its own message): no notice. */
    @Override
    public void close() {
        if (finished) {
            return;
        }
        finished = true;
        ACTIVE.compareAndSet(this, null);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // shutting down: the hook sees finished
        }
    }

    /**
     * The command as the user typed it, as {@code bin/samvaad NAME --flag value ...}: every option
     * given, by the name typed, except those in {@code dropped}, then {@code added}. Values with
     * spaces or shell characters are quoted.
     */
    static String commandLine(CommandSpec spec, Set<String> dropped, String... added) {
        List<String> words = new ArrayList<>(List.of("bin/samvaad", spec.name()));
        CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
        Flags flags = new Flags(spec);
        for (OptionSpec option : parsed.matchedOptions()) {
            if (dropped.stream().anyMatch(d -> List.of(option.names()).contains(d))) {
                continue;
            }
            String name = flags.typed(option.longestName());
            if (option.arity().max() == 0) {
                words.add(name);
            } else {
                for (String value : option.originalStringValues()) {
                    words.add(name);
                    words.add(quote(value));
                }
            }
        }
        words.addAll(List.of(added));
        return String.join(" ", words);
    }

    static String quote(String word) {
        return word.matches("[A-Za-z0-9_./:,=+@%-]+") ? word : "'" + word.replace("'", "'\\''") + "'";
    }
}
