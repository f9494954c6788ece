package dev.samvaad.examples;

import picocli.CommandLine;

/** Runs example commands one after another inside a composite command (quickstart, codec-demo). */
final class Steps {
    private Steps() {}

    /** Runs one command with the caller's output streams; false (after its own error message) when it failed. */
    static boolean run(CommandLine.Model.CommandSpec caller, String title, Object command, String... args) {
        caller.commandLine().getOut().println("== " + title);
        caller.commandLine().getOut().flush();
        CommandLine cl = Samvaad.configure(new CommandLine(command));
        cl.setOut(caller.commandLine().getOut());
        cl.setErr(caller.commandLine().getErr());
        return cl.execute(args) == 0;
    }
}
