package dev.samvaad.examples;

import java.math.BigDecimal;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Range checks of command-line values, made before any work starts. A value out of range is an
 * {@link IllegalArgumentException} (one line, exit 1, see {@link Samvaad.OneLineErrors}) whose
 * message names the flag as the user typed it ({@code --max-reply-seconds} or
 * {@code --max_reply_seconds}) and the value: {@code --epochs must be >= 1, got -1}.
 */
final class Flags {
    private final CommandSpec spec;

    Flags(CommandSpec spec) {
        this.spec = spec;
    }

    /** {@code value >= min}. */
    Flags atLeast(String flag, long value, long min) {
        if (value < min) {
            throw refused(flag, "must be >= " + min, show(value));
        }
        return this;
    }

    /** {@code value >= min} and finite. */
    Flags atLeast(String flag, double value, double min) {
        if (!(value >= min) || Double.isInfinite(value)) {
            throw refused(flag, "must be >= " + show(min) + (Double.isInfinite(value) ? " and finite" : ""), show(value));
        }
        return this;
    }

    /** {@code value > 0} ({@code Infinity} included: some flags mean "no limit" by it). */
    Flags positive(String flag, double value) {
        if (!(value > 0)) {
            throw refused(flag, "must be > 0", show(value));
        }
        return this;
    }

    /** {@code 0 <= value < 1}. */
    Flags fraction(String flag, double value) {
        if (!(value >= 0 && value < 1)) {
            throw refused(flag, "must be in [0, 1)", show(value));
        }
        return this;
    }

    /** {@code min <= value <= max}. */
    Flags between(String flag, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw refused(flag, "must be in [" + show(min) + ", " + show(max) + "]", show(value));
        }
        return this;
    }

    /** Not NaN or infinite. */
    Flags finite(String flag, double value) {
        if (!Double.isFinite(value)) {
            throw refused(flag, "must be a finite number", show(value));
        }
        return this;
    }

    private IllegalArgumentException refused(String flag, String rule, String value) {
        OptionSpec option = spec.findOption(flag);
        // The value as typed ("1e-3" stays 1e-3); the parsed one for a default.
        String got = option != null && !option.originalStringValues().isEmpty()
                ? option.originalStringValues().get(option.originalStringValues().size() - 1) : value;
        return new IllegalArgumentException(typed(flag) + " " + rule + ", got " + got);
    }

    /** The name of {@code flag}'s option that the user typed (it may have several), else {@code flag}. */
    String typed(String flag) {
        OptionSpec option = spec.findOption(flag);
        CommandLine.ParseResult parsed = spec.commandLine() == null ? null : spec.commandLine().getParseResult();
        if (option == null || parsed == null) {
            return flag;
        }
        for (String arg : parsed.originalArgs()) {
            for (String name : option.names()) {
                if (arg.equals(name) || arg.startsWith(name + "=")) {
                    return name;
                }
            }
        }
        return flag;
    }

    /** {@code 0.001}, {@code 3}, {@code -1.5}: as a user would type it. */
    static String show(double value) {
        return Double.isFinite(value) ? new BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString()
                : Double.toString(value);
    }

    private static String show(long value) {
        return Long.toString(value);
    }
}
