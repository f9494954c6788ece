package dev.samvaad.dataset.synth;

import dev.samvaad.io.SamvaadException;

/**
 * Thrown by a {@link ResponseSource} when it cannot produce an answer. The message says what went
 * wrong and where (for a remote source: the URL, the HTTP status, a snippet of the body and how
 * many attempts were made), so that a failed generation run can be diagnosed from its log alone.
 */
public class ResponseSourceException extends SamvaadException {

    private static final long serialVersionUID = 1L;

    /**
     * An exception with the given message.
     *
     * @param message what went wrong and where
     */
    public ResponseSourceException(String message) {
        super(message);
    }

    /**
     * An exception with the given message and underlying cause.
     *
     * @param message what went wrong and where
     * @param cause   the underlying failure
     */
    public ResponseSourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
