package dev.samvaad.training;

import dev.samvaad.io.SamvaadException;

/** Training cannot go on; the message says why and what was kept. */
public class TrainingException extends SamvaadException {
    private static final long serialVersionUID = 1L;

    /**
     * A training failure.
     *
     * @param message why training stopped and what was kept
     */
    public TrainingException(String message) {
        super(message);
    }
}
