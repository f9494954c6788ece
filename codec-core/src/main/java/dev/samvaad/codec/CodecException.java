package dev.samvaad.codec;

/** A codec cannot be built, loaded or used as asked; the message says what and where. */
public class CodecException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CodecException(String message) {
        super(message);
    }

    public CodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
