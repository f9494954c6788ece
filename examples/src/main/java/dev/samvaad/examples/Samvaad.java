package dev.samvaad.examples;

import dev.samvaad.io.SamvaadException;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The {@code bin/samvaad} launcher: one entry point whose subcommands are the example mains. */
@Command(
        name = "samvaad",
        mixinStandardHelpOptions = true,
        versionProvider = Samvaad.Version.class,
        description = "Samvaad: speech-to-speech conversation models in Java.",
        footer = {"", "bin/samvaad bench [REGEX] [JMH flags] runs the benchmark suite (bench/run; see BENCHMARKS.md)."},
        subcommands = {
            Quickstart.class,
            CodecDemo.class,
            GenerateConversationData.class,
            TrainCodec.class,
            CodecRoundtrip.class,
            CodecEval.class,
            TrainS2SConversation.class,
            EvaluateModel.class,
            PerturbQuestions.class,
            TrainTurns.class,
            EvaluateTurns.class,
            RealtimeS2SAgent.class,
            WebDemo.class,
            ExportWeights.class,
            ResampleAudio.class,
            Doctor.class,
            CommandLine.HelpCommand.class,
        })
public final class Samvaad implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, shared by every example main so errors look the same. */
    static CommandLine commandLine() {
        return configure(new CommandLine(new Samvaad()));
    }

    /** Same error handling for the launcher and for each main run on its own. */
    static CommandLine configure(CommandLine cl) {
        return cl.setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(new OneLineErrors())
                .setExecutionStrategy(parsed -> {
                    applyLogLevel(parsed);
                    return new CommandLine.RunLast().execute(parsed);
                });
    }

    /** The log level the command's {@link CommonFlags} ask for, set before the command runs. */
    private static void applyLogLevel(CommandLine.ParseResult parsed) {
        CommandLine.ParseResult last = parsed;
        while (last.hasSubcommand()) {
            last = last.subcommand();
        }
        CommonFlags.LogLevel level = CommonFlags.LogLevel.INFO;
        for (CommandLine.Model.CommandSpec mixin : last.commandSpec().mixins().values()) {
            if (mixin.userObject() instanceof CommonFlags flags) {
                if (flags.quiet && flags.logLevel != null) {
                    throw new CommandLine.ParameterException(last.commandSpec().commandLine(),
                            "give --quiet or --log-level, not both");
                }
                level = flags.level();
            }
        }
        LogLevels.apply(level);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** {@code --version} of the launcher and of every command (through {@link CommonFlags}). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"samvaad " + version()};
        }
    }

    /**
     * The project version: the examples jar's manifest (Implementation-Version), else the version
     * Maven wrote into {@code version.properties} when it built these classes (bin/samvaad runs
     * target/classes), else "dev build" (classes compiled by an IDE).
     */
    static String version() {
        String v = Samvaad.class.getPackage().getImplementationVersion();
        if (v != null && !v.isBlank()) {
            return v;
        }
        try (java.io.InputStream in = Samvaad.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                java.util.Properties p = new java.util.Properties();
                p.load(in);
                v = p.getProperty("version", "");
                if (!v.isBlank() && !v.contains("${")) {
                    return v;
                }
            }
        } catch (java.io.IOException e) {
            // fall through
        }
        return "dev build";
    }

    /**
     * Failures the user can fix (bad file, bad value: a {@link SamvaadException}) print one line and
     * exit 1; anything else keeps its stack trace, since that is a bug to report.
     */
    static final class OneLineErrors implements CommandLine.IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
            if (isUserFixable(e)) {
                cl.getErr().println(cl.getCommandName() + ": " + e.getMessage());
                return 1;
            }
            e.printStackTrace(cl.getErr());
            return 2;
        }

        /** The project's own user-fixable errors, and the JDK's for a bad value or a failed read or write. */
        private static boolean isUserFixable(Exception e) {
            return e instanceof SamvaadException || e instanceof IllegalArgumentException
                    || e instanceof java.io.UncheckedIOException;
        }
    }
}
