package dev.samvaad.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property: a damaged checkpoint fails with a {@link CheckpointException} naming the file, never
 * with another exception (no OutOfMemoryError, no NegativeArraySizeException), and quickly.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class CheckpointFileRobustnessTest {

    @TempDir
    Path dir;

    @Test
    void everyTruncationIsRefusedAsTruncated() throws IOException {
        byte[] full = validFile();
        Path file = dir.resolve("cut.ckpt");
        for (int length = 0; length < full.length; length++) {
            Files.write(file, Arrays.copyOf(full, length));

            Throwable thrown = readBothWays(file);

            assertThat(thrown).as("read of %d bytes", length).isExactlyInstanceOf(CheckpointException.class)
                    .hasMessageStartingWith(file + ": ")
                    .hasMessageContaining(length == 0 ? "empty file" : "truncated");
        }
    }

    @Test
    void everyByteInvertedIsRefused() throws IOException {
        byte[] original = validFile();
        Path file = dir.resolve("inverted.ckpt");
        for (int position = 0; position < original.length; position++) {
            byte[] damaged = original.clone();
            damaged[position] ^= (byte) 0xFF;
            Files.write(file, damaged);

            assertThat(readBothWays(file)).as("byte %d inverted", position)
                    .isExactlyInstanceOf(CheckpointException.class)
                    .hasMessageStartingWith(file + ": ");
        }
    }

    @Test
    void randomSingleByteFlipsAreRefused() throws IOException {
        byte[] original = validFile();
        Path file = dir.resolve("flipped.ckpt");
        Random random = new Random(0x5A4D_7661_6164L);
        for (int trial = 0; trial < 500; trial++) {
            byte[] damaged = original.clone();
            int position = random.nextInt(damaged.length);
            int mask = 1 + random.nextInt(255);
            damaged[position] ^= (byte) mask;
            Files.write(file, damaged);

            assertThat(readBothWays(file)).as("trial %d: byte %d ^ 0x%02x", trial, position, mask)
                    .isExactlyInstanceOf(CheckpointException.class)
                    .hasMessageStartingWith(file + ": ");
        }
    }

    @Test
    void theUndamagedFileReads() throws IOException {
        Path file = Files.write(dir.resolve("whole.ckpt"), validFile());
        assertThat(CheckpointFile.read(file, "rvq-codec", 1)).isEqualTo(CheckpointFileTest.sample(new Random(11)));
    }

    /**
     * Reads with and without expectations, which stop at different points; both must refuse the
     * same way.
     *
     * @return what the first read threw
     */
    private static Throwable readBothWays(Path file) {
        Throwable expecting = catchThrowable(() -> CheckpointFile.read(file, "rvq-codec", 1));
        Throwable open = catchThrowable(() -> CheckpointFile.read(file));
        assertThat(open).isExactlyInstanceOf(CheckpointException.class);
        return expecting;
    }

    private byte[] validFile() throws IOException {
        Path file = dir.resolve("valid.ckpt");
        CheckpointFile.write(file, CheckpointFileTest.sample(new Random(11)));
        byte[] bytes = Files.readAllBytes(file);
        Files.delete(file);
        return bytes;
    }
}
