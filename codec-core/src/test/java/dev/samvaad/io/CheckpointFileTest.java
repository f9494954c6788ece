package dev.samvaad.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.samvaad.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointFileTest {

    private static final String TELUGU_CONFIG =
            "{\"codebooks\": 4, \"greeting\": \"నమస్కారం\", \"rate\": 24000, \"nested\": {\"ok\": true}}";

    @TempDir
    Path dir;

    @Test
    void roundTripKeepsEverythingBitExact() {
        Checkpoint original = sample(new Random(42));
        Path file = dir.resolve("codec.ckpt");

        CheckpointFile.write(file, original);
        Checkpoint read = CheckpointFile.read(file, "rvq-codec", 1);

        assertThat(read.kind()).isEqualTo("rvq-codec");
        assertThat(read.kindVersion()).isEqualTo(1);
        assertThat(read.configJson()).isEqualTo(TELUGU_CONFIG).contains("నమస్కారం");
        assertThat(read.arrays()).containsOnlyKeys("scale", "bias", "weights", "codebooks", "empty");
        for (Map.Entry<String, Tensor> expected : original.arrays().entrySet()) {
            Tensor actual = read.array(expected.getKey());
            assertThat(actual.shape()).as(expected.getKey()).containsExactly(expected.getValue().shape());
            assertThat(rawBits(actual.data())).as(expected.getKey()).containsExactly(rawBits(expected.getValue().data()));
        }
        assertThat(read.array("scale").rank()).isZero();
        assertThat(read.array("scale").get()).isEqualTo(original.array("scale").get());
        assertThat(read.array("empty").shape()).containsExactly(3, 0, 2);
        assertThat(read.array("empty").size()).isZero();
        assertThat(read).isEqualTo(original);
        assertThat(read.fingerprint()).isEqualTo(original.fingerprint());
    }

    @Test
    void keepsNanPayloadsInfinitiesAndNegativeZero() {
        float[] special = {Float.intBitsToFloat(0x7fc0_0123), Float.intBitsToFloat(0xffc0_0001),
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0.0f, Float.MIN_VALUE, Float.MAX_VALUE};
        Checkpoint original = new Checkpoint("probe", 3, "{}", Map.of("special", Tensor.wrap(special, 7)));
        Path file = dir.resolve("special.ckpt");

        CheckpointFile.write(file, original);

        assertThat(rawBits(CheckpointFile.read(file).array("special").data())).containsExactly(rawBits(special));
    }

    @Test
    void writesExactlyTheDocumentedLayout() throws IOException {
        Map<String, Tensor> arrays = new LinkedHashMap<>();
        arrays.put("w", Tensor.wrap(new float[] {1.5f, -2f, 3.25f, 0f, 7f, -0.5f}, 2, 3));
        arrays.put("s", Tensor.wrap(new float[] {9f}));
        Path file = dir.resolve("layout.ckpt");

        CheckpointFile.write(file, new Checkpoint("rvq-codec", 1, "{\"k\":1}", arrays));

        byte[] expected = CheckpointBytes.header("rvq-codec", 1, "{\"k\":1}").int32(2)
                .array("w", new int[] {2, 3}, 1.5f, -2f, 3.25f, 0f, 7f, -0.5f)
                .array("s", new int[] {}, 9f)
                .withCrc();
        assertThat(Files.readAllBytes(file)).containsExactly(expected);
    }

    @Test
    void keepsInsertionOrder() {
        Map<String, Tensor> arrays = new LinkedHashMap<>();
        for (String name : new String[] {"zeta", "alpha", "mu", "beta"}) {
            arrays.put(name, Tensor.wrap(new float[] {name.length()}, 1));
        }
        Path file = dir.resolve("order.ckpt");

        CheckpointFile.write(file, new Checkpoint("ordered", 1, "{}", arrays));

        assertThat(CheckpointFile.read(file).arrays().keySet()).containsExactly("zeta", "alpha", "mu", "beta");
    }

    @Test
    void fingerprintIsSha256OfTheDocumentedContents() throws Exception {
        Checkpoint checkpoint = new Checkpoint("rvq-codec", 2, TELUGU_CONFIG,
                Map.of("cb", Tensor.wrap(new float[] {0.25f, -1f, 8f, 3f}, 2, 2)));

        byte[] contents = new CheckpointBytes().sized("rvq-codec").int32(2).sized(TELUGU_CONFIG)
                .array("cb", new int[] {2, 2}, 0.25f, -1f, 8f, 3f).body();
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(contents));

        assertThat(checkpoint.fingerprint()).isEqualTo(sha256.substring(0, 16)).matches("[0-9a-f]{16}");
    }

    @Test
    void fingerprintChangesWithAnyContent() {
        Checkpoint base = sample(new Random(7));
        String fingerprint = base.fingerprint();
        assertThat(sample(new Random(7)).fingerprint()).isEqualTo(fingerprint);

        Map<String, Tensor> oneFloatChanged = copyArrays(base);
        float[] weights = oneFloatChanged.get("weights").toArray();
        weights[5] = Math.nextUp(weights[5]);
        oneFloatChanged.put("weights", Tensor.wrap(weights, base.array("weights").shape()));

        Map<String, Tensor> renamed = new LinkedHashMap<>();
        base.arrays().forEach((name, tensor) -> renamed.put(name.equals("bias") ? "bias2" : name, tensor));

        Map<String, Tensor> reshaped = copyArrays(base);
        reshaped.put("weights", base.array("weights").reshape(3, 4));

        assertThat(new Checkpoint("rvq-codec", 1, TELUGU_CONFIG, oneFloatChanged).fingerprint()).isNotEqualTo(fingerprint);
        assertThat(new Checkpoint("rvq-codec", 1, TELUGU_CONFIG, renamed).fingerprint()).isNotEqualTo(fingerprint);
        assertThat(new Checkpoint("rvq-codec", 1, TELUGU_CONFIG, reshaped).fingerprint()).isNotEqualTo(fingerprint);
        assertThat(new Checkpoint("rvq-codec", 1, TELUGU_CONFIG.replace("24000", "16000"), base.arrays())
                .fingerprint()).isNotEqualTo(fingerprint);
        assertThat(new Checkpoint("rvq-codec", 2, TELUGU_CONFIG, base.arrays()).fingerprint()).isNotEqualTo(fingerprint);
        assertThat(new Checkpoint("rvq-codec-x", 1, TELUGU_CONFIG, base.arrays()).fingerprint()).isNotEqualTo(fingerprint);
    }

    @Test
    void failedOverwriteHalfwayLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path file = dir.resolve("codec.ckpt");
        Checkpoint old = sample(new Random(1));
        CheckpointFile.write(file, old);
        byte[] oldBytes = Files.readAllBytes(file);
        // Several buffers' worth, so the failure comes after part of it has gone to the file.
        Checkpoint big = new Checkpoint("rvq-codec", 1, "{}",
                Map.of("big", Tensor.wrap(randomFloats(new Random(2), 200_000), 200_000)));

        // An interrupted thread's file channel refuses the first write that reaches it.
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> CheckpointFile.write(file, big))
                    .isExactlyInstanceOf(CheckpointException.class)
                    .hasMessageStartingWith(file.toString())
                    .hasMessageContaining("cannot write");
        } finally {
            Thread.interrupted();
        }

        assertThat(Files.readAllBytes(file)).containsExactly(oldBytes);
        assertThat(CheckpointFile.read(file)).isEqualTo(old);
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void failedWriteUnderAFileNamesTheTargetAndLeavesNothing() throws IOException {
        Path notAFolder = Files.writeString(dir.resolve("plain.txt"), "precious");
        Path file = notAFolder.resolve("codec.ckpt");

        assertThatThrownBy(() -> CheckpointFile.write(file, sample(new Random(3))))
                .isExactlyInstanceOf(CheckpointException.class)
                .hasMessageStartingWith(file.toString())
                .hasMessageContaining("cannot write");

        assertThat(notAFolder).hasContent("precious");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(notAFolder);
        }
    }

    @Test
    void writingOverAFolderIsRefused() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("codec.ckpt"));

        assertThatThrownBy(() -> CheckpointFile.write(folder, sample(new Random(4))))
                .isExactlyInstanceOf(CheckpointException.class)
                .hasMessageStartingWith(folder.toString())
                .hasMessageContaining("is a directory");
        assertThat(folder).isEmptyDirectory();
    }

    /** Arrays of ranks 0 to 3 and an empty one, filled from {@code random}. */
    static Checkpoint sample(Random random) {
        Map<String, Tensor> arrays = new LinkedHashMap<>();
        arrays.put("scale", Tensor.wrap(randomFloats(random, 1)));
        arrays.put("bias", Tensor.wrap(randomFloats(random, 5), 5));
        arrays.put("weights", Tensor.wrap(randomFloats(random, 12), 4, 3));
        arrays.put("codebooks", Tensor.wrap(randomFloats(random, 24), 2, 3, 4));
        arrays.put("empty", Tensor.wrap(new float[0], 3, 0, 2));
        return new Checkpoint("rvq-codec", 1, TELUGU_CONFIG, arrays);
    }

    static float[] randomFloats(Random random, int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    private static Map<String, Tensor> copyArrays(Checkpoint checkpoint) {
        return new LinkedHashMap<>(checkpoint.arrays());
    }

    private static int[] rawBits(float[] values) {
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return bits;
    }
}
