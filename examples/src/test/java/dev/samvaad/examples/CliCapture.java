package dev.samvaad.examples;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** The samvaad command line run in-process, with what it prints to standard output and error kept. */
final class CliCapture {
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    /** Runs {@code args} as typed after {@code bin/samvaad}; returns the exit code. */
    int run(String... args) {
        CommandLine cl = Samvaad.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }
}
