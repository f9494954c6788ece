package dev.samvaad.dataset.synth;

import dev.samvaad.io.SamvaadException;

/** Speech synthesis failed; the message says which engine, which text and why. */
public class TtsException extends SamvaadException {
    private static final long serialVersionUID = 1L;

    /**
     * A TTS failure.
     *
     * @param message what went wrong and where
     */
    public TtsException(String message) {
        super(message);
    }

    /**
     * A TTS failure with its cause.
     *
     * @param message what went wrong and where
     * @param cause   the underlying failure
     */
    public TtsException(String message, Throwable cause) {
        super(message, cause);
    }
}
