package dev.samvaad.examples;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The flags every command has (a picocli mixin): how much it logs, and {@code --version} through
 * {@link Samvaad.Version}. {@link Samvaad#configure} applies the log level after parsing, before
 * the command runs.
 */
@Command(versionProvider = Samvaad.Version.class)
final class CommonFlags {

    /** Levels of Samvaad's log lines, quietest last. */
    enum LogLevel { TRACE, DEBUG, INFO, WARN, ERROR, OFF }

    @Option(names = {"-q", "--quiet"}, description = "Log only warnings and errors (the command's results still print).")
    boolean quiet;

    @Option(names = {"--log-level", "--log_level"}, paramLabel = "LEVEL",
            description = "Log level of Samvaad's own lines: trace, debug, info, warn, error or off (default: info; "
                    + "other libraries log only warnings and errors).")
    LogLevel logLevel;

    /** The level these flags ask for: {@code --log-level}, else warn with {@code --quiet}, else info. */
    LogLevel level() {
        return logLevel != null ? logLevel : quiet ? LogLevel.WARN : LogLevel.INFO;
    }
}
