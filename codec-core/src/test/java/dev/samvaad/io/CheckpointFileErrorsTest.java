package dev.samvaad.io;

import static dev.samvaad.io.CheckpointBytes.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Each way a file can be unfit, and the message that names it. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class CheckpointFileErrorsTest {

    private static final String CONFIG = "{\"rate\":24000}";

    @TempDir
    Path dir;

    private int filesWritten;

    @Test
    void missingFile() {
        assertRefused(dir.resolve("absent.ckpt"), "no such file");
    }

    @Test
    void directory() throws IOException {
        assertRefused(Files.createDirectory(dir.resolve("folder.ckpt")), "is a directory");
    }

    @Test
    void unreadableFile() throws IOException {
        Path file = Files.write(dir.resolve("locked.ckpt"), validFile());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        assumeThat(Files.isReadable(file)).as("permissions are enforced (not running as root)").isFalse();
        assertRefused(file, "cannot read: permission denied");
    }

    @Test
    void emptyFile() {
        assertRefused(new byte[0], "empty file");
    }

    @Test
    void wrongMagic() {
        byte[] riff = "RIFF\u0024\0\0\0WAVEfmt ".getBytes(StandardCharsets.ISO_8859_1);
        assertRefused(riff, "not a Samvaad checkpoint");
        assertRefused("abc".getBytes(StandardCharsets.US_ASCII), "not a Samvaad checkpoint");
    }

    @Test
    void unsupportedContainerVersion() {
        byte[] bytes = validFile();
        bytes[8] = 2;
        assertRefused(bytes, "unsupported container version 2; this build reads version 1");
    }

    @Test
    void wrongKind() {
        byte[] bytes = header("tokenizer", 1, CONFIG).int32(0).withCrc();
        assertRefused(bytes, "holds a 'tokenizer' checkpoint, expected 'rvq-codec'");
    }

    @Test
    void newerKindVersion() {
        byte[] bytes = header("rvq-codec", 2, CONFIG).int32(0).withCrc();
        assertRefused(bytes, "'rvq-codec' format version 2 is newer than this build supports (up to 1)");
        assertThat(CheckpointFile.read(write(bytes)).kindVersion()).as("no limit without one").isEqualTo(2);
    }

    @Test
    void negativeKindVersion() {
        assertRefused(header("rvq-codec", -1, CONFIG).int32(0).withCrc(), "negative kind version -1");
    }

    @Test
    void negativeLength() {
        byte[] bytes = header("rvq-codec", 1, "").body();
        byte[] withNegativeConfigLength = new CheckpointBytes().bytes(Arrays.copyOf(bytes, bytes.length - 4))
                .int32(-5).bytes(CONFIG.getBytes(StandardCharsets.UTF_8)).int32(0).withCrc();
        assertRefused(withNegativeConfigLength, "negative config length -5");
    }

    @Test
    void lengthLargerThanTheFile() {
        byte[] bytes = new CheckpointBytes().bytes("SAMVAAD\0".getBytes(StandardCharsets.US_ASCII)).int32(1)
                .int32(Integer.MAX_VALUE).bytes(new byte[20]).withCrc();
        assertRefused(bytes, "kind length 2147483647 needs at least 2147483647 bytes but only 28 remain");
    }

    @Test
    void arrayCountLargerThanTheFile() {
        assertRefused(header("rvq-codec", 1, CONFIG).int32(1_000_000).withCrc(),
                "array count 1000000 needs at least 8000000 bytes");
        assertRefused(header("rvq-codec", 1, CONFIG).int32(-1).withCrc(), "negative array count -1");
    }

    @Test
    void rankAboveEight() {
        byte[] bytes = header("rvq-codec", 1, CONFIG).int32(1).sized("deep").int32(9).withCrc();
        assertRefused(bytes, "array #0 has rank 9; ranks 0 to 8 are supported");
        assertRefused(header("rvq-codec", 1, CONFIG).int32(1).sized("odd").int32(-3).withCrc(), "rank -3");
    }

    @Test
    void negativeDimension() {
        byte[] bytes = header("rvq-codec", 1, CONFIG).int32(1).sized("w").int32(2).int32(4).int32(-2).withCrc();
        assertRefused(bytes, "array #0 has a negative dimension in shape [4, -2]");
    }

    @Test
    void dimensionsLargerThanTheFileAllocateNothing() {
        byte[] bytes = header("rvq-codec", 1, CONFIG).int32(1).sized("huge").int32(8)
                .int32(65536).int32(65536).int32(65536).int32(65536)
                .int32(65536).int32(65536).int32(65536).int32(65536).withCrc();
        assertRefused(bytes, "truncated: the values of array #0, shape [65536, 65536, 65536, 65536, 65536, 65536, 65536, 65536],"
                + " need more than the 8 bytes that remain");
    }

    @Test
    void emptyArrayWhoseOtherDimensionsNoArrayCouldHoldIsRefused() {
        // Found by Jazzer (CheckpointFuzzTest): [1818321779, 357, 0] has no values, but code that
        // trusts its shape would allocate 1818321779 x 357 rows; it used to escape as a ShapeException.
        byte[] bytes = header("rvq-codec", 1, CONFIG).int32(1).sized("empty").int32(3)
                .int32(1818321779).int32(357).int32(0).withCrc();
        assertRefused(bytes, "corrupt: array #0 has shape [1818321779, 357, 0], whose dimensions multiply past");
    }

    @Test
    void trailingBytes() {
        byte[] valid = validFile();
        byte[] bytes = Arrays.copyOf(valid, valid.length + 3);
        assertRefused(bytes, "3 trailing bytes after the checksum");
    }

    @Test
    void checksumMismatch() {
        byte[] bytes = validFile();
        bytes[bytes.length - 10] ^= 0x01; // inside the last value
        assertRefused(bytes, "corrupted: checksum mismatch");
    }

    @Test
    void checksumWithHighBitsSet() {
        byte[] bytes = validFile();
        bytes[bytes.length - 1] = 0x40; // the high half of the int64 must be zero
        assertRefused(bytes, "corrupted: checksum mismatch");
    }

    @Test
    void truncatedFile() {
        byte[] valid = validFile();
        assertRefused(Arrays.copyOf(valid, valid.length - 12), "truncated: ");
        assertRefused(Arrays.copyOf(valid, valid.length - 3), "truncated: the file ends at byte "
                + (valid.length - 3) + ", inside the checksum");
    }

    @Test
    void configThatIsNotUtf8() {
        byte[] bytes = header("rvq-codec", 1, "").body();
        byte[] invalid = new CheckpointBytes().bytes(Arrays.copyOf(bytes, bytes.length - 4))
                .sized(new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'}).int32(0).withCrc();
        assertRefused(invalid, "the config is not valid UTF-8");
    }

    @Test
    void configThatIsNotAJsonObject() {
        assertRefused(header("rvq-codec", 1, "[1, 2]").int32(0).withCrc(), "config is not a JSON object but a JSON array");
        assertRefused(header("rvq-codec", 1, "{\"rate\": ").int32(0).withCrc(), "config is not a JSON object");
        assertRefused(header("rvq-codec", 1, "{} {}").int32(0).withCrc(), "config is not a JSON object");
        assertRefused(header("rvq-codec", 1, "").int32(0).withCrc(), "config is not a JSON object but empty");
    }

    @Test
    void arrayNameThatIsNotUtf8() {
        byte[] bytes = header("rvq-codec", 1, CONFIG).int32(1)
                .sized(new byte[] {(byte) 0xFF, 'x'}).int32(1).int32(1).floats(1f).withCrc();
        assertRefused(bytes, "an array name is not valid UTF-8");
    }

    @Test
    void duplicateArrayNames() {
        byte[] bytes = header("rvq-codec", 1, CONFIG).int32(2)
                .array("codebook", new int[] {2}, 1f, 2f)
                .array("codebook", new int[] {1}, 3f)
                .withCrc();
        assertRefused(bytes, "duplicate array name 'codebook'");
    }

    @Test
    void emptyArrayName() {
        byte[] bytes = header("rvq-codec", 1, CONFIG).int32(1).array("", new int[] {1}, 1f).withCrc();
        assertRefused(bytes, "array name is empty");
    }

    @Test
    void emptyKind() {
        byte[] bytes = header("", 1, CONFIG).int32(0).withCrc();
        Path file = write(bytes);
        assertThatThrownBy(() -> CheckpointFile.read(file))
                .isExactlyInstanceOf(CheckpointException.class)
                .hasMessageStartingWith(file + ": ")
                .hasMessageContaining("kind is empty");
    }

    @Test
    void validFileReads() {
        assertThat(CheckpointFile.read(write(validFile()), "rvq-codec", 1).array("w").data())
                .containsExactly(0.5f, -1.5f, 2f);
    }

    /** A small valid file that the refusals above each break in one way. */
    private static byte[] validFile() {
        return header("rvq-codec", 1, CONFIG).int32(1).array("w", new int[] {3}, 0.5f, -1.5f, 2f).withCrc();
    }

    private Path write(byte[] bytes) {
        try {
            return Files.write(dir.resolve("bad-" + filesWritten++ + ".ckpt"), bytes);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private void assertRefused(byte[] bytes, String phrase) {
        assertRefused(write(bytes), phrase);
    }

    private static void assertRefused(Path file, String phrase) {
        assertThatThrownBy(() -> CheckpointFile.read(file, "rvq-codec", 1))
                .isExactlyInstanceOf(CheckpointException.class)
                .hasMessageStartingWith(file + ": ")
                .hasMessageContaining(phrase)
                .satisfies(e -> assertThat(((CheckpointException) e).file()).isEqualTo(file));
    }
}
