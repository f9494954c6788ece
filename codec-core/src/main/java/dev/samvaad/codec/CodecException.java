package dev.samvaad.codec;

import dev.samvaad.io.SamvaadException;

/** A codec cannot be built, loaded or used as asked; the message says what and where. */
public class CodecException extends SamvaadException {
    private static final long serialVersionUID = 1L;

    /**
     * A codec error.
     *
     * @param message what went wrong, naming the file or setting concerned
     */
    public CodecException(String message) {
        super(message);
    }

    /**
     * A codec error with its cause.
     *
     * @param message what went wrong, naming the file or setting concerned
     * @param cause   the underlying failure
     */
    public CodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
