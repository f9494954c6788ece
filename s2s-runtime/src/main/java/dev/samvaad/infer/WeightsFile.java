package dev.samvaad.infer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.samvaad.io.Checkpoint;
import dev.samvaad.io.CheckpointException;
import dev.samvaad.io.CheckpointFile;
import dev.samvaad.tensor.ShapeException;
import dev.samvaad.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A model's weights for inference, with no optimiser state and no graph: what the pure-Java
 * {@link FastDecoder} needs and nothing more, so that answering a question needs no ND4J.
 * Training writes it into each checkpoint folder beside {@code model.sd}
 * ({@link ModelFolder#WEIGHTS_FILE}).
 *
 * <p>One checkpoint file ({@link CheckpointFile}: versioned, CRC-checked, written atomically) of
 * kind {@value #KIND}, version {@value #VERSION}: a JSON config ({@code model}, the
 * {@link ModelConfig}; {@code codecFingerprint}, the codec whose codes it reads and writes;
 * {@code task}; {@code step}) and one array per weight, named and shaped as
 * {@link WeightNames#shapes} says.
 *
 * <pre>{@code
 * WeightsFile.Loaded model = WeightsFile.read(Path.of("run/best"), codec.fingerprint(), null);
 * FastDecoder decoder = FastDecoder.of(model.config(), model.weights());
 * }</pre>
 */
public final class WeightsFile {
    /** The checkpoint kind. */
    public static final String KIND = "s2s-weights";
    /** The kind version this build writes and reads. */
    public static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A model read for inference.
     *
     * @param config           the model's shape
     * @param weights          every weight by name, row-major
     * @param codecFingerprint the codec it was trained with
     * @param task             what it was trained for, e.g. {@code conversation}
     * @param step             the training step it was saved at
     */
    public record Loaded(ModelConfig config, Map<String, float[]> weights, String codecFingerprint, String task,
                         long step) {
        /**
         * @param config           the model's shape
         * @param weights          every weight by name, row-major
         * @param codecFingerprint the codec it was trained with
         * @param task             what it was trained for
         * @param step             the training step it was saved at
         * @throws NullPointerException if a field is null
         */
        public Loaded {
            Objects.requireNonNull(config, "config");
            Objects.requireNonNull(weights, "weights");
            Objects.requireNonNull(codecFingerprint, "codecFingerprint");
            Objects.requireNonNull(task, "task");
        }
    }

    private WeightsFile() {}

    /**
     * Writes a model's weights as {@code dir/weights.smvd}, atomically.
     *
     * @param dir              the checkpoint folder; created if missing
     * @param config           the model's shape
     * @param weights          every weight {@link WeightNames#shapes} names, row-major; others are refused
     * @param codecFingerprint the codec it was trained with
     * @param task             what it was trained for
     * @param step             the training step
     * @throws IllegalArgumentException if a weight is missing, unexpected or of the wrong size
     * @throws CheckpointException naming the file when it cannot be written
     */
    public static void write(Path dir, ModelConfig config, Map<String, float[]> weights, String codecFingerprint,
                             String task, long step) {
        Map<String, long[]> shapes = WeightNames.shapes(config);
        if (!shapes.keySet().equals(weights.keySet())) {
            throw new IllegalArgumentException("the weights do not match the config: expected " + shapes.keySet()
                    + ", got " + weights.keySet());
        }
        Map<String, Tensor> arrays = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            int[] shape = Arrays.stream(e.getValue()).mapToInt(Math::toIntExact).toArray();
            try {
                arrays.put(e.getKey(), Tensor.wrap(weights.get(e.getKey()), shape));
            } catch (ShapeException wrongSize) {
                throw new IllegalArgumentException("weight '" + e.getKey() + "': " + wrongSize.getMessage(), wrongSize);
            }
        }
        ObjectNode json = JSON.createObjectNode();
        json.set("model", JSON.valueToTree(config));
        json.put("codecFingerprint", Objects.requireNonNull(codecFingerprint, "codecFingerprint"));
        json.put("task", Objects.requireNonNull(task, "task"));
        json.put("step", step);
        Path file = dir.resolve(ModelFolder.WEIGHTS_FILE);
        try {
            CheckpointFile.write(file, new Checkpoint(KIND, VERSION, JSON.writeValueAsString(json), arrays));
        } catch (JsonProcessingException e) {
            throw new CheckpointException(file, "cannot serialise the model config: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a checkpoint folder's weights for use with the codec of fingerprint
     * {@code codecFingerprint}.
     *
     * @param dir              the checkpoint folder ({@link ModelFolder#resolve} finds it in a run folder)
     * @param codecFingerprint the fingerprint of the codec the caller will use
     * @param codecFile        the file that codec came from, named by a refusal, or {@code null}
     * @return the model
     * @throws ModelException naming the folder when it holds no weights file, when the file is
     *     damaged or does not match its config, or when the model was trained with another codec
     */
    public static Loaded read(Path dir, String codecFingerprint, Path codecFile) {
        Path file = dir.resolve(ModelFolder.WEIGHTS_FILE);
        if (!Files.isRegularFile(file)) {
            throw new ModelException(missing(dir));
        }
        Checkpoint cp;
        try {
            cp = CheckpointFile.read(file, KIND, VERSION);
        } catch (CheckpointException e) {
            throw new ModelException(e.getMessage(), e);
        }
        ModelConfig config;
        String trained;
        String task;
        long step;
        try {
            JsonNode json = JSON.readTree(cp.configJson());
            for (String field : List.of("model", "codecFingerprint", "task", "step")) {
                if (!json.has(field)) {
                    throw new ModelException(file + ": the config has no \"" + field + "\"");
                }
            }
            config = JSON.treeToValue(json.get("model"), ModelConfig.class);
            trained = json.get("codecFingerprint").asText();
            task = json.get("task").asText();
            step = json.get("step").asLong();
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new ModelException(file + ": the model config is unreadable: " + e.getMessage(), e);
        }
        if (!trained.equals(codecFingerprint)) {
            throw new ModelException(ModelFolder.codecMismatch(dir, trained, codecFingerprint, codecFile));
        }
        return new Loaded(config, weights(file, config, cp), trained, task, step);
    }

    /** Every array the config names, with its shape, and no other; checked by sizes before any name is listed. */
    private static Map<String, float[]> weights(Path file, ModelConfig config, Checkpoint cp) {
        long stored = cp.arrays().values().stream().mapToLong(Tensor::size).sum();
        long needed;
        try {
            needed = WeightNames.count(config);
        } catch (ArithmeticException e) {
            needed = Long.MAX_VALUE;
        }
        if (needed != stored) {
            throw new ModelException(file + ": the config needs " + (needed == Long.MAX_VALUE ? "more than 2^63"
                    : Long.toString(needed)) + " weight values, the file holds " + stored);
        }
        Map<String, float[]> weights = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : WeightNames.shapes(config).entrySet()) {
            Tensor t = cp.arrays().get(e.getKey());
            long[] shape = t == null ? null : Arrays.stream(t.shape()).asLongStream().toArray();
            if (!Arrays.equals(shape, e.getValue())) {
                throw new ModelException(file + ": weight '" + e.getKey() + "' is " + (shape == null ? "missing"
                        : Arrays.toString(shape)) + ", the config says " + Arrays.toString(e.getValue()));
            }
            weights.put(e.getKey(), t.data());
        }
        return weights;
    }

    private static String missing(Path dir) {
        if (!Files.isDirectory(dir)) {
            return dir + ": not a model folder (a checkpoint folder holds " + ModelFolder.MODEL_JSON + " and "
                    + ModelFolder.WEIGHTS_FILE + "; a training run folder holds best/ and last/)";
        }
        if (Files.isRegularFile(dir.resolve(ModelFolder.MODEL_JSON))) {
            return dir + ": no " + ModelFolder.WEIGHTS_FILE + " (a checkpoint written before the weights file; "
                    + "write it with: bin/samvaad export-weights --model " + dir + ")";
        }
        Path inside = ModelFolder.resolve(dir);
        return dir + ": not a model folder: no " + ModelFolder.WEIGHTS_FILE
                + (!inside.equals(dir) ? " (a training run folder? its checkpoint is " + inside + ")"
                        : " (a checkpoint folder holds " + ModelFolder.MODEL_JSON + " and " + ModelFolder.WEIGHTS_FILE
                                + "; a training run folder holds best/ and last/)");
    }
}
