package dev.samvaad.dataset.synth;

/** Speech synthesis failed; the message says which engine, which text and why. */
public class TtsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TtsException(String message) {
        super(message);
    }

    public TtsException(String message, Throwable cause) {
        super(message, cause);
    }
}
