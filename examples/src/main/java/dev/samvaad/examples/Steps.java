package dev.samvaad.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;

/** Runs example commands one after another inside a composite command (quickstart, codec-demo). */
final class Steps {
    private Steps() {}

    /**
     * Runs one command with the caller's output streams and log level ({@code quickstart --quiet}
     * makes its steps quiet); false (after its own error message) when it failed.
     */
    static boolean run(CommandLine.Model.CommandSpec caller, String title, Object command, String... args) {
        caller.commandLine().getOut().println("== " + title);
        caller.commandLine().getOut().flush();
        CommandLine cl = Samvaad.configure(new CommandLine(command));
        cl.setOut(caller.commandLine().getOut());
        cl.setErr(caller.commandLine().getErr());
        List<String> all = new ArrayList<>(List.of(args));
        caller.mixins().values().stream().map(CommandLine.Model.CommandSpec::userObject)
                .filter(CommonFlags.class::isInstance).map(o -> ((CommonFlags) o).level()).findFirst()
                .ifPresent(level -> all.addAll(List.of("--log-level", level.name().toLowerCase(Locale.ROOT))));
        return cl.execute(all.toArray(String[]::new)) == 0;
    }

    /**
     * What a command run in the background printed, and whether it succeeded.
     *
     * @param ok     whether it exited 0
     * @param output its standard output and error, in that order
     */
    record Captured(boolean ok, String output) {}

    /**
     * Runs one command with what it prints kept for later (it runs beside another step), at the
     * caller's log level (the level is the process's: the same one, so neither changes the other's).
     */
    static Captured capture(CommandLine.Model.CommandSpec caller, Object command, String... args) {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        CommandLine cl = Samvaad.configure(new CommandLine(command));
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--log-level", level(caller)));
        boolean ok = cl.execute(all.toArray(String[]::new)) == 0;
        return new Captured(ok, out.toString() + err);
    }

    private static String level(CommandLine.Model.CommandSpec caller) {
        return caller.mixins().values().stream().map(CommandLine.Model.CommandSpec::userObject)
                .filter(CommonFlags.class::isInstance).map(o -> ((CommonFlags) o).level().name())
                .findFirst().orElse("INFO").toLowerCase(Locale.ROOT);
    }
}
