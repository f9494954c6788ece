package dev.samvaad.metrics;

/** Argument checks shared by the metrics, so that every one reports bad input the same way. */
final class Signals {

    private Signals() {
    }

    /** Requires a non-null, non-empty signal; {@code name} is what the message calls it. */
    static void requireSignal(String name, float[] signal) {
        if (signal == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        if (signal.length == 0) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
    }

    static void requireSampleRate(int sampleRate) {
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("sampleRate must be positive, got " + sampleRate);
        }
    }
}
