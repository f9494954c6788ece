package dev.samvaad.audio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** The WAV files of a folder, for the commands that take "every WAV under DIR". */
public final class WavFiles {
    private WavFiles() {
    }

    /**
     * Lists without judging: what an empty folder means (nothing to train on, nothing to answer)
     * is the caller's to say.
     *
     * @param dir a folder
     * @return every {@code .wav} (any case) under {@code dir}, at any depth, sorted so a run over
     *     them is reproducible; empty when there is none
     * @throws AudioFileException if {@code dir} is not a folder
     * @throws UncheckedIOException naming {@code dir} if it cannot be listed
     */
    public static List<Path> under(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new AudioFileException(dir, "not a folder");
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".wav"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot list: " + e.getMessage(), e);
        }
    }
}
