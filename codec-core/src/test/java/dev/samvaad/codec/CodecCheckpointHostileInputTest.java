package dev.samvaad.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.samvaad.io.Checkpoint;
import dev.samvaad.io.CheckpointException;
import dev.samvaad.io.CheckpointFile;
import dev.samvaad.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The codec-checkpoint part of the hostile-input catalogue (RELIABILITY.md). The container
 * (magic, sizes, checksum) has its own tests in {@code dev.samvaad.io}; these are files whose
 * container is intact (right checksum) but whose contents no codec can be built from, and files of
 * the wrong kind or version. Each must be a {@link CodecException} or {@link CheckpointException}
 * whose message starts with the file.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CodecCheckpointHostileInputTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** A small valid codec: 2 codebooks of 4 random entries over the standard 22 features. */
    static RvqCodec tinyCodec() {
        SplittableRandom rng = new SplittableRandom(5);
        int d = VocoderConfig.standard().featureSize();
        float[][][] books = new float[2][4][d];
        for (float[][] book : books) {
            for (float[] e : book) {
                for (int i = 0; i < d; i++) {
                    e[i] = (float) rng.nextGaussian();
                }
            }
        }
        float[] mean = new float[d];
        float[] scale = new float[d];
        java.util.Arrays.fill(scale, 1f);
        return new RvqCodec(VocoderConfig.standard(), new FeatureScaling(mean, scale), ResidualVQ.of(books));
    }

    static Stream<Arguments> damagedContents() {
        return Stream.of(
                damaged("config without bandCentres", config(c -> c.remove("bandCentres")), arrays(a -> a),
                        "no bandCentres"),
                damaged("config of another codec model", config(c -> c.put("model", "mdct")), arrays(a -> a),
                        "codec model 'mdct' is not supported"),
                damaged("config with a sample rate of 0", config(c -> c.put("sampleRate", 0)), arrays(a -> a),
                        "sample rate and hop must be positive"),
                damaged("config with decreasing band centres",
                        config(c -> c.putArray("bandCentres").add(0).add(4000).add(2000).add(8000)), arrays(a -> a),
                        "band centres must increase"),
                damaged("config with an unknown field", config(c -> c.put("surprise", 1)), arrays(a -> a),
                        "codec config unreadable"),
                damaged("config with a string for a number", config(c -> c.put("hop", "320 samples")), arrays(a -> a),
                        "codec config unreadable"),
                damaged("codebooks array missing", config(c -> { }), arrays(a -> {
                    a.remove("codebooks");
                    return a;
                }), "no 'codebooks' array"),
                damaged("codebooks of another shape than the config", config(c -> c.put("codebooks", 3)), arrays(a -> a),
                        "'codebooks' has shape [2, 4, 22], the config needs [3, 4, 22]"),
                damaged("mean of the wrong length", config(c -> { }), arrays(a -> {
                    a.put("mean", Tensor.zeros(5));
                    return a;
                }), "'mean' has shape [5]"),
                damaged("a zero feature scale", config(c -> { }), arrays(a -> {
                    a.put("scale", Tensor.zeros(22));
                    return a;
                }), "feature scales must be positive"),
                damaged("a NaN in the codebooks", config(c -> { }), arrays(a -> {
                    float[] books = a.get("codebooks").toArray();
                    books[7] = Float.NaN;
                    a.put("codebooks", Tensor.wrap(books, 2, 4, 22));
                    return a;
                }), "is not finite"),
                damaged("zero codebooks", config(c -> c.put("codebooks", 0)), arrays(a -> {
                    a.put("codebooks", Tensor.zeros(0, 4, 22));
                    return a;
                }), "at least one stage"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damagedContents")
    void contentsNoCodecCanBeBuiltFromAreRefusedNamingTheFile(String what, UnaryOperator<ObjectNode> config,
            UnaryOperator<Map<String, Tensor>> arrays, String problem) throws Exception {
        Checkpoint valid = CodecFiles.checkpoint(tinyCodec());
        ObjectNode json = (ObjectNode) JSON.readTree(valid.configJson());
        Checkpoint bad = new Checkpoint(CodecFiles.KIND, CodecFiles.FORMAT, JSON.writeValueAsString(config.apply(json)),
                arrays.apply(new LinkedHashMap<>(valid.arrays())));
        Path file = dir.resolve("codec.smvd");
        CheckpointFile.write(file, bad);

        assertThatThrownBy(() -> RvqCodec.load(file)).isInstanceOf(CodecException.class)
                .hasMessageStartingWith(file + ": ").hasMessageContaining(problem);
    }

    private static Arguments damaged(String what, UnaryOperator<ObjectNode> config, UnaryOperator<Map<String, Tensor>> arrays,
            String problem) {
        return Arguments.of(what, config, arrays, problem);
    }

    private static UnaryOperator<ObjectNode> config(java.util.function.Consumer<ObjectNode> edit) {
        return c -> {
            edit.accept(c);
            return c;
        };
    }

    private static UnaryOperator<Map<String, Tensor>> arrays(UnaryOperator<Map<String, Tensor>> edit) {
        return edit;
    }

    @Test
    void theUndamagedTinyCodecLoads() {
        Path file = dir.resolve("codec.smvd");
        RvqCodec codec = tinyCodec();
        codec.save(file);
        assertThat(RvqCodec.load(file).fingerprint()).isEqualTo(codec.fingerprint());
    }

    @Test
    void aNewerCodecFormatIsRefusedAsNewer() {
        Checkpoint valid = CodecFiles.checkpoint(tinyCodec());
        Path file = dir.resolve("future.smvd");
        CheckpointFile.write(file, new Checkpoint(CodecFiles.KIND, CodecFiles.FORMAT + 1, valid.configJson(), valid.arrays()));
        assertThatThrownBy(() -> RvqCodec.load(file)).isInstanceOf(CheckpointException.class)
                .hasMessageStartingWith(file + ": ").hasMessageContaining("format version 2 is newer than this build supports");
    }

    @Test
    void aCheckpointOfAnotherKindIsRefusedAsSuch() {
        Path file = dir.resolve("other.smvd");
        CheckpointFile.write(file, new Checkpoint("s2s-model", 1, "{}", Map.of("w", Tensor.zeros(2))));
        assertThatThrownBy(() -> RvqCodec.load(file)).isInstanceOf(CheckpointException.class)
                .hasMessageStartingWith(file + ": ").hasMessageContaining("holds a 's2s-model' checkpoint, expected 'rvq-codec'");
    }

    @Test
    void aWavFileGivenAsTheCodecIsNotACheckpoint() throws Exception {
        Path file = dir.resolve("question.wav");
        dev.samvaad.audio.WavWriter.writePcm16(file, new float[100], 16_000);
        assertThatThrownBy(() -> RvqCodec.load(file)).isInstanceOf(CheckpointException.class)
                .hasMessageStartingWith(file + ": ").hasMessageContaining("not a Samvaad checkpoint");
    }

    @Test
    void aFailedSaveOverAnExistingCodecLeavesItLoadable() throws Exception {
        Path file = dir.resolve("codec.smvd");
        RvqCodec codec = tinyCodec();
        codec.save(file);
        byte[] before = Files.readAllBytes(file);
        // The save fails at the rename: the target has become a non-empty folder meanwhile is
        // not possible to arrange portably, so fail it the way a full disk would, mid-stream.
        assertThatThrownBy(() -> dev.samvaad.io.AtomicFiles.write(file, out -> {
            out.write(before, 0, before.length / 2);
            throw new java.io.IOException("No space left on device");
        })).hasMessageContaining("No space left on device");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        assertThat(RvqCodec.load(file).fingerprint()).isEqualTo(codec.fingerprint());
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }
}
