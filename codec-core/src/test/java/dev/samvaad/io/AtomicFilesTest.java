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
    void deleteTreeRemovesAFolderAndAllInItAndIgnoresOneThatIsAbsent() throws IOException {
        Path tree = dir.resolve("scratch");
        AtomicFiles.write(tree.resolve("a/b/c.txt"), new byte[] {1});
        AtomicFiles.write(tree.resolve("d.txt"), new byte[] {2});
        AtomicFiles.write(dir.resolve("kept.txt"), new byte[] {3});
        AtomicFiles.deleteTree(tree);
        assertThat(tree).doesNotExist();
        assertThat(dir.resolve("kept.txt")).exists();
        AtomicFiles.deleteTree(tree); // absent: nothing to do
        assertThat(dir).isDirectory();
    }

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
