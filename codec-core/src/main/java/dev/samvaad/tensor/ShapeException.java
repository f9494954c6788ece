package dev.samvaad.tensor;

/** A tensor has the wrong shape for an operation; the message names both shapes. */
public class ShapeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /**
     * A shape error.
     *
     * @param message names the operation and the shapes it got
     */
    public ShapeException(String message) {
        super(message);
    }
}
