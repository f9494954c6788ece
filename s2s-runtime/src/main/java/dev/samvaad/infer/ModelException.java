package dev.samvaad.infer;

import dev.samvaad.io.SamvaadException;

/** A model cannot be saved, loaded or used as asked; the message says what and where. */
public class ModelException extends SamvaadException {
    private static final long serialVersionUID = 1L;

    /**
     * A model error.
     *
     * @param message what went wrong, naming the folder or setting
     */
    public ModelException(String message) {
        super(message);
    }

    /**
     * A model error with its cause.
     *
     * @param message what went wrong, naming the folder or setting
     * @param cause   the underlying failure
     */
    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
