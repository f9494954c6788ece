package dev.samvaad.model;

import java.io.OutputStream;
import java.io.PrintStream;

/**
 * Runs SameDiff calls that print to System.out (building the gradient graph prints hundreds of
 * "Added differentiated op" lines in 1.0.0-M2.1) without letting that text reach the console.
 */
final class Quiet {
    private static final PrintStream DISCARD = new PrintStream(OutputStream.nullOutputStream());

    private Quiet() {}

    static synchronized void run(Runnable action) {
        PrintStream out = System.out;
        System.setOut(DISCARD);
        try {
            action.run();
        } finally {
            System.setOut(out);
        }
    }
}
