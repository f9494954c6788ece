package dev.samvaad.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.samvaad.codec.CodecException;
import dev.samvaad.codec.RvqCodec;
import dev.samvaad.io.CheckpointException;
import dev.samvaad.io.CheckpointFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;

/**
 * Jazzer fuzz targets for the checkpoint readers, through the files users hand them:
 * {@link CheckpointFile#read(Path)} on raw bytes, and {@link RvqCodec#load} on bytes whose CRC is
 * made right first, so that the fuzzer gets past the checksum into the config and array parsing
 * and the codec's own checks. Either the file loads or the error is a {@link CheckpointException}
 * or {@link CodecException} whose message starts with the file. Seeds and past findings are under
 * {@code src/test/resources/dev/samvaad/fuzz/CheckpointFuzzTestInputs/}.
 */
class CheckpointFuzzTest {
    private static final Path DIR = tempDir();
    private static final Path FILE = DIR.resolve("fuzz.smvd");

    @FuzzTest(maxDuration = "10m")
    void containerBytes(byte[] data) {
        write(data);
        try {
            CheckpointFile.read(FILE);
        } catch (CheckpointException e) {
            assertThat(e.getMessage()).startsWith(FILE + ": ");
        }
    }

    @FuzzTest(maxDuration = "10m")
    void codecWithValidChecksum(byte[] body) {
        CRC32 crc = new CRC32();
        crc.update(body);
        write(ByteBuffer.allocate(body.length + 8).order(ByteOrder.LITTLE_ENDIAN).put(body).putLong(crc.getValue()).array());
        try {
            RvqCodec codec = RvqCodec.load(FILE);
            assertThat(codec.codebooks()).isPositive();
            assertThat(codec.codebookSize()).isPositive();
            assertThat(codec.fingerprint()).isNotBlank();
        } catch (CheckpointException | CodecException e) {
            assertThat(e.getMessage()).startsWith(FILE + ": ");
        }
    }

    private static void write(byte[] bytes) {
        try {
            Files.write(FILE, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path tempDir() {
        try {
            Path dir = Files.createTempDirectory("samvaad-fuzz");
            // Deleted in reverse order of registration: the file first, then its folder.
            dir.toFile().deleteOnExit();
            dir.resolve("fuzz.smvd").toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
