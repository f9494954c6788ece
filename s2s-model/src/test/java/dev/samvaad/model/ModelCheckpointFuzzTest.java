package dev.samvaad.model;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.samvaad.infer.ModelConfig;
import dev.samvaad.infer.ModelException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jazzer fuzz targets for {@link ModelCheckpoint#load}, the reader of the S2S checkpoint folder:
 * fuzzed {@code model.json} or {@code model.sd} bytes, with {@code checksums.sha256} made right
 * each time so that the fuzzer gets past the checksums into the JSON, the config, and SameDiff's
 * own FlatBuffers reader. Either the folder loads or the error is a {@link ModelException} whose
 * message starts with the folder. Seeds and past findings are under
 * {@code src/test/resources/dev/samvaad/model/ModelCheckpointFuzzTestInputs/}.
 */
class ModelCheckpointFuzzTest {
    /** The smallest model there is, so that model.sd is small and quick to rewrite and hash. */
    static final ModelConfig CONFIG = new ModelConfig(1, 2, 4, 1, 1, 1, 4, 4);
    private static final String CODEC = "codec-fuzz";
    private static Path folder;
    private static byte[] graph;
    private static byte[] json;
    private static String graphSum;
    private static String jsonSum;

    @FuzzTest(maxDuration = "10m")
    void modelJson(byte[] data) throws IOException {
        setUp();
        Files.write(folder.resolve(ModelCheckpoint.JSON_FILE), data);
        writeChecksums(graphSum, ModelCheckpoint.sha256(folder.resolve(ModelCheckpoint.JSON_FILE)));
        loadOrRefuse();
    }

    @FuzzTest(maxDuration = "10m")
    void modelGraph(byte[] data) throws IOException {
        setUp();
        Files.write(folder.resolve(ModelCheckpoint.GRAPH), data);
        writeChecksums(ModelCheckpoint.sha256(folder.resolve(ModelCheckpoint.GRAPH)), jsonSum);
        try {
            loadOrRefuse();
        } finally {
            Files.write(folder.resolve(ModelCheckpoint.GRAPH), graph);
        }
    }

    private static void loadOrRefuse() {
        try {
            ModelCheckpoint.Loaded loaded = ModelCheckpoint.load(folder, CODEC);
            assertThat(loaded.model().weights()).isNotEmpty();
        } catch (ModelException e) {
            assertThat(e.getMessage()).startsWith(folder + ": ");
        } finally {
            Files.exists(folder); // keeps the folder for the next input: load never deletes it
        }
    }

    private static void writeChecksums(String graphHash, String jsonHash) throws IOException {
        Files.write(folder.resolve(ModelCheckpoint.CHECKSUMS), (graphHash + "  " + ModelCheckpoint.GRAPH + "\n" + jsonHash
                + "  " + ModelCheckpoint.JSON_FILE + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    private static synchronized void setUp() {
        if (folder != null) {
            Files.exists(folder);
            return;
        }
        try {
            Path dir = Files.createTempDirectory("samvaad-model-fuzz");
            folder = dir.resolve("model");
            S2sModel model = S2sModel.create(CONFIG, 1, 1e-2);
            ModelCheckpoint.save(folder, model, new ModelInfo("conversation", CODEC, 0, Map.of()));
            graph = Files.readAllBytes(folder.resolve(ModelCheckpoint.GRAPH));
            json = Files.readAllBytes(folder.resolve(ModelCheckpoint.JSON_FILE));
            graphSum = ModelCheckpoint.sha256(folder.resolve(ModelCheckpoint.GRAPH));
            jsonSum = ModelCheckpoint.sha256(folder.resolve(ModelCheckpoint.JSON_FILE));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try (var files = Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException ignored) {
                    // a temp folder left behind is harmless
                }
            }));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the seeds (a valid model.json and model.sd of {@link #CONFIG}) into {@code args[0]}. */
    public static void main(String[] args) throws IOException {
        setUp();
        Path out = Path.of(args[0]);
        Files.createDirectories(out.resolve("modelJson"));
        Files.createDirectories(out.resolve("modelGraph"));
        Files.write(out.resolve("modelJson/valid-model.json"), json);
        Files.write(out.resolve("modelGraph/valid-model.sd"), graph);
    }
}
