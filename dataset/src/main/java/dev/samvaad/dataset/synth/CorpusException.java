package dev.samvaad.dataset.synth;

/** A dialogue corpus file is malformed; the message names the file and the intent. */
public class CorpusException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CorpusException(String message) {
        super(message);
    }

    public CorpusException(String message, Throwable cause) {
        super(message, cause);
    }
}
