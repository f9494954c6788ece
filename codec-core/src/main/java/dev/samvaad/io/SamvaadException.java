package dev.samvaad.io;

/**
 * The root of Samvaad's errors that the user can fix: a file that is missing, damaged or of the
 * wrong kind, or a setting that cannot work. The message alone tells what and where (it names the
 * file or the setting), so a command line prints it as one line; bugs are not among these.
 */
public abstract class SamvaadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * An error with its whole message.
     *
     * @param message what went wrong, naming the file or setting concerned
     */
    protected SamvaadException(String message) {
        super(message);
    }

    /**
     * An error with its whole message and cause.
     *
     * @param message what went wrong, naming the file or setting concerned
     * @param cause   the underlying failure, or {@code null}
     */
    protected SamvaadException(String message, Throwable cause) {
        super(message, cause);
    }
}
