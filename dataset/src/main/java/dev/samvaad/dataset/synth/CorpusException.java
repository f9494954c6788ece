package dev.samvaad.dataset.synth;

import dev.samvaad.io.SamvaadException;

/** A dialogue corpus file is malformed; the message names the file and the intent. */
public class CorpusException extends SamvaadException {
    private static final long serialVersionUID = 1L;

    /**
     * A corpus error.
     *
     * @param message what went wrong and where
     */
    public CorpusException(String message) {
        super(message);
    }

    /**
     * A corpus error with its cause.
     *
     * @param message what went wrong and where
     * @param cause   the underlying failure
     */
    public CorpusException(String message, Throwable cause) {
        super(message, cause);
    }
}
