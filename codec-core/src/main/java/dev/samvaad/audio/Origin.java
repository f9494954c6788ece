package dev.samvaad.audio;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/** Where audio bytes come from, so that every error can name it. */
record Origin(String name, Path file) {

    static Origin of(Path file) {
        return new Origin(file.toString(), file);
    }

    static Origin named(String sourceName) {
        return new Origin(sourceName, null);
    }

    AudioFileException error(String problemFormat, Object... args) {
        return new AudioFileException(name, file, String.format(Locale.ROOT, problemFormat, args), null);
    }

    /** @param action what was being attempted, e.g. "cannot read" */
    AudioFileException ioError(String action, IOException cause) {
        return new AudioFileException(name, file, action + ": " + describe(cause), cause);
    }

    // NIO often puts only a path into its exception messages; the exception type says what went wrong.
    private static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException || e.getMessage() == null) {
            return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        return e.getMessage();
    }
}
