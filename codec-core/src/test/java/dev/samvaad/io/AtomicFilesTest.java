package dev.samvaad.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void writesContentAndCreatesParents() throws IOException {
        Path file = dir.resolve("a/b/c.txt");
        AtomicFiles.write(file, "hello".getBytes(StandardCharsets.UTF_8));
        assertThat(file).hasContent("hello");
        AtomicFiles.write(file, "replaced".getBytes(StandardCharsets.UTF_8));
        assertThat(file).hasContent("replaced");
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void failedWriteLeavesOldContentAndNoTemporaryFile() throws IOException {
        Path file = dir.resolve("keep.txt");
        Files.writeString(file, "precious");
        assertThatThrownBy(() -> AtomicFiles.write(file, out -> {
            out.write("half of the new".getBytes(StandardCharsets.UTF_8));
            throw new IOException("disk full");
        })).isInstanceOf(UncheckedIOException.class).hasMessageContaining("keep.txt").hasMessageContaining("disk full");
        assertThat(file).hasContent("precious");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }
}
