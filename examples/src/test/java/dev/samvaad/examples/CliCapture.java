package dev.samvaad.examples;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * The samvaad command line run in-process, with what it prints to standard output and error kept,
 * and the log lines of the libraries (slf4j-simple, which looks up {@code System.err} at each
 * write) kept as well, while they still reach the console.
 */
final class CliCapture {
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    /** Runs {@code args} as typed after {@code bin/samvaad}; returns the exit code. */
    int run(String... args) {
        CommandLine cl = Samvaad.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        PrintStream console = System.err;
        System.setErr(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                console.write(b);
                synchronized (log) {
                    log.write(b);
                }
            }

            @Override
            public void write(byte[] b, int off, int len) {
                console.write(b, off, len);
                synchronized (log) {
                    log.write(b, off, len);
                }
            }
        }, true, StandardCharsets.UTF_8));
        try {
            return cl.execute(args);
        } finally {
            System.setErr(console);
        }
    }

    /** {@return what was logged to {@code System.err} while the commands ran} */
    String log() {
        synchronized (log) {
            return log.toString(StandardCharsets.UTF_8);
        }
    }
}
