package dev.samvaad.model;

/** A model cannot be saved, loaded or used as asked; the message says what and where. */
public class ModelException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ModelException(String message) {
        super(message);
    }

    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
