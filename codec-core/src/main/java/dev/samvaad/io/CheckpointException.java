package dev.samvaad.io;

import java.nio.file.Path;

/**
 * A checkpoint could not be read or written, or does not hold what was asked of it. For file
 * problems the message starts with the file, followed by the problem, e.g.
 * {@code "codec.ckpt: corrupted: checksum mismatch (stored 0x1234abcd, computed 0x9f00e2c1)"}.
 */
public class CheckpointException extends SamvaadException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    /**
     * @param file the file concerned
     * @param problem what is wrong with it
     */
    public CheckpointException(Path file, String problem) {
        this(file, problem, null);
    }

    /**
     * @param file the file concerned
     * @param problem what is wrong with it
     * @param cause the underlying failure
     */
    public CheckpointException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /**
     * For problems with a checkpoint in memory, such as asking for an array it does not hold.
     *
     * @param message the whole message
     */
    public CheckpointException(String message) {
        super(message);
        this.file = null;
    }

    /** @return the file concerned, or {@code null} when the problem is not about a file */
    public Path file() {
        return file;
    }
}
