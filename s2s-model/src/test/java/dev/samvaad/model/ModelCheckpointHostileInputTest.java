package dev.samvaad.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.samvaad.infer.ModelConfig;
import dev.samvaad.infer.ModelException;
import dev.samvaad.infer.ModelFolder;
import dev.samvaad.infer.WeightNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The model-checkpoint part of the hostile-input catalogue (RELIABILITY.md): a damaged or
 * hand-edited checkpoint folder is refused by {@link ModelCheckpoint#load} with a
 * {@link ModelException} whose message starts with the folder, never another exception and never
 * a model that fails later; and a save that fails or is killed leaves the previous checkpoint.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ModelCheckpointHostileInputTest {
    private static final ModelConfig TINY = new ModelConfig(2, 8, 32, 4, 1, 1, 64, 64);
    private static final String CODEC = "codec-abc";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path shared;
    static Path original;
    static S2sModel model;

    @TempDir
    Path dir;

    @BeforeAll
    static void saveOne() {
        model = S2sModel.create(TINY, 3, 1e-2);
        model.trainStep(TinyPairs.batch(TINY, 3, 5));
        original = shared.resolve("original");
        ModelCheckpoint.save(original, model, new ModelInfo("conversation", CODEC, 1, Map.of("valLoss", 1.5)));
    }

    static Stream<Arguments> damagedFolders() {
        return Stream.of(
                damaged("checksums.sha256 missing", f -> delete(f.resolve("checksums.sha256")), "checksums.sha256 is missing"),
                damaged("checksums.sha256 empty", f -> write(f.resolve("checksums.sha256"), ""), "does not list model.sd"),
                damaged("checksums.sha256 of garbage", f -> write(f.resolve("checksums.sha256"), "\u0000\u00ff garbage here\n"),
                        "checksums.sha256 line 1 is not"),
                damaged("checksums.sha256 listing only model.json", f -> keepChecksumLine(f, "model.json"),
                        "does not list model.sd"),
                damaged("checksums.sha256 pointing outside the folder", f -> write(f.resolve("checksums.sha256"),
                        "0".repeat(64) + "  ../../etc/passwd\n"), "line 1 is not"),
                damaged("model.sd missing", f -> delete(f.resolve("model.sd")), "model.sd is missing"),
                damaged("model.sd with a flipped byte", f -> flip(f.resolve("model.sd")), "model.sd is corrupted"),
                damaged("model.json with a flipped byte", f -> flip(f.resolve("model.json")), "model.json is corrupted"),
                damaged("model.sd truncated (checksums updated)", f -> {
                    truncate(f.resolve("model.sd"));
                    rehash(f);
                }, "model.sd is not a"),
                damaged("model.sd of garbage (checksums updated)", f -> {
                    write(f.resolve("model.sd"), "this is not a flatbuffer at all, just text ".repeat(3000)); // larger than the weights
                    rehash(f);
                }, "model.sd is not a"),
                damaged("model.json of garbage (checksums updated)", f -> {
                    write(f.resolve("model.json"), "{\"format\": \"samvaad-s2s/2\", ");
                    rehash(f);
                }, "cannot read the model"),
                damaged("model.json a JSON array (checksums updated)", f -> {
                    write(f.resolve("model.json"), "[]");
                    rehash(f);
                }, "model.json is not a JSON object"),
                damaged("model.json of a newer format", f -> editJson(f, j -> j.put("format", "samvaad-s2s/4")),
                        "this build reads samvaad-s2s/3 and samvaad-s2s/2"),
                damaged("model.json whose config has no sourceFeatures", f -> editJson(f,
                        j -> ((ObjectNode) j.get("config")).remove("sourceFeatures")), "has no \"sourceFeatures\""),
                damaged("model.json of the format before grouped steps", f -> editJson(f, j -> j.put("format", "samvaad-s2s/1")),
                        "written by an earlier build"),
                damaged("model.json whose config has no frame group", f -> editJson(f,
                        j -> ((ObjectNode) j.get("config")).remove("frameGroup")), "has no \"frameGroup\""),
                damaged("model.json without config", f -> editJson(f, j -> j.remove("config")), "has no \"config\" object"),
                damaged("model.json with a config the graph does not have", f -> editJson(f,
                        j -> ((ObjectNode) j.get("config")).put("dModel", 64)), "model.sd does not match the config"),
                damaged("model.json claiming 90 million encoder layers", f -> editJson(f,
                        j -> ((ObjectNode) j.get("config")).put("encoderLayers", 90_000_000)), "parameter values, more than the"),
                damaged("model.json whose parameter count overflows", f -> editJson(f,
                        j -> ((ObjectNode) j.get("config")).put("dModel", 2_000_000_000).put("heads", 1)
                                .put("encoderLayers", 2_000_000_000)), "more than 2^63 parameter values"),
                damaged("model.json with an impossible config", f -> editJson(f,
                        j -> ((ObjectNode) j.get("config")).put("heads", 0)), "heads must be positive"),
                damaged("model.json with a blank codec fingerprint", f -> editJson(f, j -> j.put("codecFingerprint", "")),
                        "needs a task and a codec fingerprint"),
                damaged("model.json with a negative step", f -> editJson(f, j -> j.put("step", -4)), "no valid \"step\""),
                damaged("model.json with a metric that is not a number", f -> editJson(f,
                        j -> ((ObjectNode) j.get("metrics")).put("valLoss", "low")), "model.json: Cannot deserialize"),
                damaged("model.json with a metric without a value", f -> editJson(f,
                        j -> ((ObjectNode) j.get("metrics")).putNull("valLoss")), "has a metric without a value"),
                damaged("model trained with another codec", f -> editJson(f, j -> j.put("codecFingerprint", "codec-xyz")),
                        "trained on codes of codec codec-xyz"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damagedFolders")
    void aDamagedFolderIsRefusedNamingIt(String what, Consumer<Path> damage, String problem) throws Exception {
        Path folder = copyOfOriginal("model dir ✓");
        damage.accept(folder);

        assertThatThrownBy(() -> ModelCheckpoint.load(folder, CODEC)).isExactlyInstanceOf(ModelException.class)
                .hasMessageStartingWith(folder + ": ").hasMessageContaining(problem);
    }

    @Test
    void theParameterCountCheckedBeforeLoadingEqualsTheShapesListed() {
        for (ModelConfig c : java.util.List.of(TINY, ModelConfig.small(6, 1024), new ModelConfig(3, 5, 12, 3, 2, 4, 7, 9))) {
            long listed = WeightNames.shapes(c).values().stream()
                    .mapToLong(shape -> java.util.Arrays.stream(shape).reduce(1, Math::multiplyExact)).sum();
            assertThat(WeightNames.count(c)).as(c.toString()).isEqualTo(listed);
        }
    }

    @Test
    void aFormat2CheckpointLoadsAsAModelReadingCodeEmbeddings() throws Exception {
        Path folder = copyOfOriginal("format 2");
        editJson(folder, j -> {
            j.put("format", "samvaad-s2s/2");
            ((ObjectNode) j.get("config")).remove("sourceFeatures");
            ((ObjectNode) j.get("config")).remove("maxPool");
        });
        ModelConfig config = ModelCheckpoint.load(folder, CODEC).model().config();
        assertThat(config.readsFeatures()).isFalse();
        assertThat(config.maxPool()).isFalse();
        assertThat(config.intentSummary()).isFalse();
    }

    @Test
    void aFormat3CheckpointWrittenBeforeIntentSummariesQuestionRecognitionAndTextDrivenCodesLoadsWithout() throws Exception {
        Path folder = copyOfOriginal("format 3 without the newer fields");
        editJson(folder, j -> ((ObjectNode) j.get("config")).remove(java.util.List.of("intentSummary", "questionSymbols",
                "bagIntent", "codesReadTextOnly")));
        ModelConfig config = ModelCheckpoint.load(folder, CODEC).model().config();
        assertThat(config.intentSummary()).isFalse();
        assertThat(config.recognisesQuestion()).isFalse();
        assertThat(config.bagIntent()).isFalse();
        assertThat(config.codesReadTextOnly()).isFalse();
    }

    @Test
    void theParameterCountOfAFeaturesEncoderEqualsTheShapesListed() {
        ModelConfig base = TINY.withGrouping(4, true).withSourceFeatures(7);
        for (ModelConfig c : java.util.List.of(base.withMaxPool(true),
                base.withSummary(true, java.util.List.of("x", "y", "z")).withIntentSummary(true),
                base.withSummary(true, java.util.List.of("x", "y")).withQuestionSymbols(java.util.List.of("a", "b", "c"), true))) {
            long listed = WeightNames.shapes(c).values().stream()
                    .mapToLong(shape -> java.util.Arrays.stream(shape).reduce(1, Math::multiplyExact)).sum();
            assertThat(WeightNames.count(c)).as(c.toString()).isEqualTo(listed);
        }
    }

    @Test
    void theUndamagedCopyLoads() throws Exception {
        Path folder = copyOfOriginal("copy");
        assertThat(ModelCheckpoint.load(folder, CODEC).info().step()).isEqualTo(1);
    }

    @Test
    void aModelJsonWithoutMetricsOrTrainerStateStillLoads() throws Exception {
        // Found by Jazzer: the check for null metric values threw a NullPointerException when
        // there were no metrics at all.
        Path folder = copyOfOriginal("minimal");
        editJson(folder, j -> {
            j.remove("metrics");
            j.remove("trainer");
        });
        ModelCheckpoint.Loaded loaded = ModelCheckpoint.load(folder, CODEC);
        assertThat(loaded.info().metrics()).isEmpty();
        assertThat(loaded.info().trainer()).isEmpty();
    }

    @Test
    void aFileGivenAsTheModelFolderIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("model.json"), "{}");
        assertThatThrownBy(() -> ModelCheckpoint.load(file, CODEC)).isInstanceOf(ModelException.class)
                .hasMessageStartingWith(file + ": ").hasMessageContaining("not a model folder");
    }

    @Test
    void aFolderWithoutModelJsonIsNotAModelFolderAndARunFolderPointsToItsCheckpoint() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> ModelCheckpoint.load(empty, CODEC)).isInstanceOf(ModelException.class)
                .hasMessageStartingWith(empty + ": not a model folder: no model.json (a model folder holds");

        Path run = dir.resolve("run");
        copy(original, run.resolve("best"));
        copy(original, run.resolve("last"));
        assertThatThrownBy(() -> ModelCheckpoint.load(run, CODEC)).isInstanceOf(ModelException.class)
                .hasMessage(run + ": not a model folder: no model.json (a training run folder? its checkpoint is "
                        + run.resolve("best") + ")");

        assertThat(ModelFolder.resolve(run)).isEqualTo(run.resolve("best"));
        assertThat(ModelCheckpoint.load(ModelFolder.resolve(run), CODEC).info().step()).isEqualTo(1);
        assertThat(ModelFolder.resolve(run.resolve("last"))).isEqualTo(run.resolve("last"));
        assertThat(ModelFolder.resolve(empty)).isEqualTo(empty);
        assertThat(ModelFolder.resolve(dir.resolve("nowhere"))).isEqualTo(dir.resolve("nowhere"));
        // A run without a validation split has no best/: its last/ is the model.
        Path noValidation = dir.resolve("no validation");
        copy(original, noValidation.resolve("last"));
        assertThat(ModelFolder.resolve(noValidation)).isEqualTo(noValidation.resolve("last"));
    }

    @Test
    void modelJsonIsWrittenInCamelCaseAndTheSnakeCaseKeysOfEarlierBuildsStillLoad() throws Exception {
        Path folder = copyOfOriginal("snake case");
        String written = Files.readString(folder.resolve("model.json"));
        assertThat(written).contains("\"codecFingerprint\"", "\"codebookModel\"", "\"valLoss\"").doesNotContain("_");

        // The spelling of earlier builds (TrainerTest loads a real run folder of one).
        editJson(folder, j -> {
            j.put("codec_fingerprint", j.remove("codecFingerprint").asText());
            j.put("codebook_model", j.remove("codebookModel").asText());
            ((ObjectNode) j.get("metrics")).put("best_val_loss", 1.25);
            ((ObjectNode) j.get("metrics")).set("val_loss", ((ObjectNode) j.get("metrics")).remove("valLoss"));
            ((ObjectNode) j.get("trainer")).put("best_val_retrieval", 0.5);
        });
        ModelCheckpoint.Loaded loaded = ModelCheckpoint.load(folder, CODEC);

        assertThat(loaded.info().codecFingerprint()).isEqualTo(CODEC);
        assertThat(loaded.info().metrics()).containsOnly(Map.entry("valLoss", 1.5), Map.entry("bestValLoss", 1.25));
        assertThat(loaded.info().trainer()).containsOnly(Map.entry("bestValRetrieval", 0.5));
        assertThatThrownBy(() -> ModelCheckpoint.load(folder, "codec-xyz")).isInstanceOf(ModelException.class)
                .hasMessageContaining("trained on codes of codec " + CODEC);
    }

    @Test
    void theCodecOfARunFolderIsFoundFromTheRunAndFromItsCheckpointsAndAnotherCodecIsRefusedNamingBoth()
            throws Exception {
        Path run = dir.resolve("run");
        copy(original, run.resolve("best"));
        Path elsewhere = copyOfOriginal("copied elsewhere");
        assertThat(ModelFolder.codecFile(run)).isEmpty();
        assertThat(ModelFolder.codecFile(run.resolve("best"))).isEmpty();

        Files.writeString(run.resolve(ModelFolder.CODEC_FILE), "the codec");
        Files.writeString(elsewhere.resolve(ModelFolder.CODEC_FILE), "its own codec");

        assertThat(ModelFolder.codecFile(run)).contains(run.resolve("codec.smvd"));
        assertThat(ModelFolder.codecFile(run.resolve("best"))).contains(run.resolve("codec.smvd"));
        assertThat(ModelFolder.codecFile(elsewhere)).contains(elsewhere.resolve("codec.smvd"));
        assertThat(ModelFolder.codecFile(dir.resolve("nowhere"))).isEmpty();

        Path other = dir.resolve("other.smvd");
        assertThatThrownBy(() -> ModelCheckpoint.load(run.resolve("best"), "codec-xyz", other))
                .isInstanceOf(ModelException.class)
                .hasMessage(run.resolve("best") + ": the model was trained on codes of codec " + CODEC + ", but " + other
                        + " holds codec codec-xyz; use the codec it was trained with (the run's own is "
                        + run.resolve("codec.smvd") + ")");
        assertThatThrownBy(() -> ModelCheckpoint.load(run.resolve("best"), "codec-xyz", run.resolve("codec.smvd")))
                .isInstanceOf(ModelException.class).hasMessageEndingWith("use the codec it was trained with");
    }

    @Test
    void aSaveKilledBetweenItsTwoRenamesIsRecoveredByLoad() throws Exception {
        Path folder = copyOfOriginal("last");
        // What a kill after "move the old folder aside" and before "move the new one in" leaves.
        Path aside = dir.resolve(".last.old-123");
        Files.move(folder, aside);
        Path partial = dir.resolve(".last.partial-456");
        copy(original, partial);
        delete(partial.resolve("checksums.sha256"));

        ModelCheckpoint.Loaded loaded = ModelCheckpoint.load(folder, CODEC);

        assertThat(loaded.info().step()).isEqualTo(1);
        assertThat(folder.resolve("model.sd")).exists();
        assertThat(aside).doesNotExist();
        assertThat(partial).doesNotExist();
    }

    @Test
    void aFailedSaveLeavesThePreviousCheckpointAndNoLeftovers() throws Exception {
        Path folder = copyOfOriginal("best");
        byte[] before = Files.readAllBytes(folder.resolve("model.sd"));
        // Trainer state Jackson cannot write: the save fails after model.sd is already written.
        ModelInfo unwritable = new ModelInfo("conversation", CODEC, 2, Map.of(), Map.of("state", new Object()));

        assertThatThrownBy(() -> ModelCheckpoint.save(folder, model, unwritable)).isInstanceOf(ModelException.class)
                .hasMessageStartingWith(folder + ": cannot save the model");

        assertThat(Files.readAllBytes(folder.resolve("model.sd"))).isEqualTo(before);
        assertThat(ModelCheckpoint.load(folder, CODEC).info().step()).isEqualTo(1);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(folder);
        }
    }

    private static Arguments damaged(String what, Consumer<Path> damage, String problem) {
        return Arguments.of(what, damage, problem);
    }

    private Path copyOfOriginal(String name) throws IOException {
        Path folder = dir.resolve(name);
        copy(original, folder);
        return folder;
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }

    private static void editJson(Path folder, Consumer<ObjectNode> edit) {
        try {
            ObjectNode json = (ObjectNode) JSON.readTree(folder.resolve("model.json").toFile());
            edit.accept(json);
            Files.write(folder.resolve("model.json"), JSON.writeValueAsBytes(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        rehash(folder);
    }

    /** Rewrites checksums.sha256 to match the files, as a hand edit that knows the format would. */
    private static void rehash(Path folder) {
        try {
            write(folder.resolve("checksums.sha256"), ModelCheckpoint.sha256(folder.resolve("model.sd")) + "  model.sd\n"
                    + ModelCheckpoint.sha256(folder.resolve("model.json")) + "  model.json\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void keepChecksumLine(Path folder, String name) {
        try {
            String kept = Files.readAllLines(folder.resolve("checksums.sha256")).stream().filter(l -> l.endsWith(name))
                    .reduce("", (a, b) -> a + b + "\n");
            write(folder.resolve("checksums.sha256"), kept);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void flip(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            bytes[bytes.length / 2] ^= 0x20;
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void truncate(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            Files.write(file, Arrays.copyOf(bytes, bytes.length / 3));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.write(file, text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
