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
}
