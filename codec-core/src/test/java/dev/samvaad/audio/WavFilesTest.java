package dev.samvaad.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavFilesTest {
    @TempDir
    Path dir;

    @Test
    void everyWavAtAnyDepthInAnyCaseSorted() throws Exception {
        Files.createDirectories(dir.resolve("sub"));
        for (String name : new String[] {"b.wav", "a.WAV", "sub/c.wav", "notes.txt", "d.wav.txt"}) {
            Files.writeString(dir.resolve(name), "");
        }
        Files.createDirectories(dir.resolve("e.wav"));

        assertThat(WavFiles.under(dir)).containsExactly(dir.resolve("a.WAV"), dir.resolve("b.wav"),
                dir.resolve("sub/c.wav"));
    }

    @Test
    void aFolderWithoutWavsGivesNoneAndTheCallerSaysWhatThatMeans() throws Exception {
        Files.writeString(dir.resolve("notes.txt"), "");

        assertThat(WavFiles.under(dir)).isEmpty();
    }

    @Test
    void aFileIsNotAFolder() throws Exception {
        Path file = Files.writeString(dir.resolve("q.wav"), "");

        assertThatThrownBy(() -> WavFiles.under(file)).isInstanceOf(AudioFileException.class)
                .hasMessage(file + ": not a folder");
        assertThatThrownBy(() -> WavFiles.under(dir.resolve("missing"))).hasMessage(dir.resolve("missing") + ": not a folder");
    }
}
