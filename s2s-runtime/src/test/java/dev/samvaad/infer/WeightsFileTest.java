package dev.samvaad.infer;

import dev.samvaad.io.Checkpoint;
import dev.samvaad.io.CheckpointFile;
import dev.samvaad.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The weights file round trip, and every way a damaged or foreign one is refused by name. */
class WeightsFileTest {
    private static final ModelConfig CONFIG = new ModelConfig(2, 16, 32, 4, 1, 1, 64, 128);

    @Test
    void roundTripsEveryWeightBitForBitAndTheDecoderAnswersTheSame(@TempDir Path dir) {
        Map<String, float[]> weights = WeightNames.initial(CONFIG, 5);
        WeightsFile.write(dir, CONFIG, weights, "codec-a", "conversation", 12);
        WeightsFile.Loaded loaded = WeightsFile.read(dir, "codec-a", null);
        assertThat(loaded.config()).isEqualTo(CONFIG);
        assertThat(loaded.codecFingerprint()).isEqualTo("codec-a");
        assertThat(loaded.task()).isEqualTo("conversation");
        assertThat(loaded.step()).isEqualTo(12);
        assertThat(loaded.weights()).containsOnlyKeys(weights.keySet());
        weights.forEach((name, w) -> assertThat(loaded.weights().get(name)).as(name).containsExactly(w));

        int[][] question = {{1, 2, 3, 4, 5, 6, 7, 8}, {8, 7, 6, 5, 4, 3, 2, 1}};
        GenerationOptions options = GenerationOptions.builder().maxFrames(12).build();
        assertThat(FastDecoder.of(loaded.config(), loaded.weights()).start(question).generate(options, FrameListener.none()))
                .isDeepEqualTo(FastDecoder.of(CONFIG, weights).start(question).generate(options, FrameListener.none()));
    }

    @Test
    void aModelOfAnotherCodecIsRefusedNamingBoth(@TempDir Path dir) {
        WeightsFile.write(dir, CONFIG, WeightNames.initial(CONFIG, 5), "codec-a", "conversation", 1);
        assertThatThrownBy(() -> WeightsFile.read(dir, "codec-b", dir.resolve("other.smvd")))
                .isInstanceOf(ModelException.class)
                .hasMessage(dir + ": the model was trained on codes of codec codec-a, but " + dir.resolve("other.smvd")
                        + " holds codec codec-b; use the codec it was trained with");
    }

    @Test
    void weightsThatDoNotMatchTheConfigAreRefusedOnWriteAndOnRead(@TempDir Path dir) {
        Map<String, float[]> missing = new LinkedHashMap<>(WeightNames.initial(CONFIG, 5));
        String first = missing.keySet().iterator().next();
        missing.remove(first);
        assertThatThrownBy(() -> WeightsFile.write(dir, CONFIG, missing, "codec-a", "conversation", 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("do not match the config");
        Map<String, float[]> short1 = new LinkedHashMap<>(WeightNames.initial(CONFIG, 5));
        short1.put(first, new float[short1.get(first).length - 1]);
        assertThatThrownBy(() -> WeightsFile.write(dir, CONFIG, short1, "codec-a", "conversation", 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("weight '" + first + "': shape ");

        // A file whose arrays hold as many values as the config needs, but under another shape.
        Map<String, Tensor> arrays = new LinkedHashMap<>();
        WeightNames.initial(CONFIG, 5).forEach((name, w) -> arrays.put(name, Tensor.wrap(w, w.length)));
        String json = "{\"model\":" + new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(CONFIG)
                + ",\"codecFingerprint\":\"codec-a\",\"task\":\"conversation\",\"step\":1}";
        CheckpointFile.write(dir.resolve("weights.smvd"), new Checkpoint(WeightsFile.KIND, 1, json, arrays));
        assertThatThrownBy(() -> WeightsFile.read(dir, "codec-a", null)).isInstanceOf(ModelException.class)
                .hasMessageContaining(dir.resolve("weights.smvd") + ": weight '").hasMessageContaining("the config says");

        // A config that claims more weights than the file holds is refused before any name is listed.
        String huge = json.replace("\"encoderLayers\":1", "\"encoderLayers\":90000000");
        CheckpointFile.write(dir.resolve("weights.smvd"), new Checkpoint(WeightsFile.KIND, 1, huge, arrays));
        assertThatThrownBy(() -> WeightsFile.read(dir, "codec-a", null)).isInstanceOf(ModelException.class)
                .hasMessageContaining("weight values, the file holds");
    }

    @Test
    void aDamagedFileOrAnotherKindIsRefusedNamingTheFile(@TempDir Path dir) throws Exception {
        WeightsFile.write(dir, CONFIG, WeightNames.initial(CONFIG, 5), "codec-a", "conversation", 1);
        Path file = dir.resolve("weights.smvd");
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 1;
        Files.write(file, bytes);
        assertThatThrownBy(() -> WeightsFile.read(dir, "codec-a", null)).isInstanceOf(ModelException.class)
                .hasMessageStartingWith(file.toString());

        CheckpointFile.write(file, new Checkpoint("rvq-codec", 1, "{}", Map.of()));
        assertThatThrownBy(() -> WeightsFile.read(dir, "codec-a", null)).isInstanceOf(ModelException.class)
                .hasMessageStartingWith(file.toString()).hasMessageContaining("rvq-codec");
    }

    @Test
    void aFolderWithoutWeightsSaysWhatItIs(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> WeightsFile.read(dir.resolve("nowhere"), "c", null)).isInstanceOf(ModelException.class)
                .hasMessageContaining("nowhere: not a model folder");
        Path run = dir.resolve("run");
        WeightsFile.write(run.resolve("best"), CONFIG, WeightNames.initial(CONFIG, 5), "c", "conversation", 1);
        assertThat(ModelFolder.resolve(run)).isEqualTo(run.resolve("best"));
        assertThatThrownBy(() -> WeightsFile.read(run, "c", null)).isInstanceOf(ModelException.class)
                .hasMessage(run + ": not a model folder: no weights.smvd (a training run folder? its checkpoint is "
                        + run.resolve("best") + ")");
        Files.createDirectories(dir.resolve("empty"));
        assertThat(ModelFolder.isCheckpointFolder(dir.resolve("empty"))).isFalse();
        assertThat(ModelFolder.isCheckpointFolder(run.resolve("best"))).isTrue();
    }
}
