package dev.samvaad.audio;

import dev.samvaad.io.SamvaadException;
import java.nio.file.Path;

/**
 * An audio file could not be read or written: it is missing, unreadable, malformed or in an
 * unsupported format. The message always starts with the file (or, for in-memory sources, the
 * given source name), followed by the problem, e.g.
 * {@code "q.wav: data chunk declares 1000000 bytes but only 512 remain in the file"}.
 */
public class AudioFileException extends SamvaadException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    /**
     * @param file the file concerned
     * @param problem what is wrong with it
     */
    public AudioFileException(Path file, String problem) {
        this(file.toString(), file, problem, null);
    }

    /**
     * @param file the file concerned
     * @param problem what is wrong with it
     * @param cause the underlying failure
     */
    public AudioFileException(Path file, String problem, Throwable cause) {
        this(file.toString(), file, problem, cause);
    }

    /**
     * For sources that are not files, such as byte arrays or streams.
     *
     * @param sourceName a name for the source, used at the start of the message
     * @param problem what is wrong with it
     */
    public AudioFileException(String sourceName, String problem) {
        this(sourceName, null, problem, null);
    }

    AudioFileException(String sourceName, Path file, String problem, Throwable cause) {
        super(sourceName + ": " + problem, cause);
        this.file = file;
    }

    /** @return the file concerned, or {@code null} when the source was not a file */
    public Path file() {
        return file;
    }
}
