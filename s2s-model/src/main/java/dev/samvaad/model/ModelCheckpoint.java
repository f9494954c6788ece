package dev.samvaad.model;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.samvaad.infer.ModelConfig;
import dev.samvaad.infer.ModelFolder;
import dev.samvaad.infer.WeightsFile;
import dev.samvaad.infer.ModelException;
import dev.samvaad.infer.WeightNames;
import dev.samvaad.io.AtomicFiles;
import dev.samvaad.io.JsonKeys;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The S2S checkpoint, a folder: {@code model.sd} (the SameDiff graph with weights and Adam state),
 * {@code model.json} (hyperparameters, task, token layout, codebook model, codec fingerprint,
 * step, validation metrics) and {@code checksums.sha256} over both, and {@code weights.smvd}, the
 * weights alone for inference without ND4J ({@link WeightsFile}, checksummed inside). It is written to a temporary
 * sibling folder first and then renamed into place, so a crash leaves the previous checkpoint.
 *
 * <p>model.json's keys are camelCase ({@code codecFingerprint}, {@code bestValLoss}), as in every
 * JSON file Samvaad writes; a model.json written by an earlier build with snake_case keys
 * ({@code codec_fingerprint}, {@code best_val_loss}) loads the same, its metrics and trainer state
 * under the camelCase keys.
 *
 * <p>A training run folder keeps the codec its model was trained with beside its checkpoints
 * ({@link ModelFolder#CODEC_FILE}); {@link ModelFolder#codecFile} finds it from the run folder or
 * from a checkpoint folder in it.
 */
public final class ModelCheckpoint {
    /** The {@code format} value of model.json that this build writes and reads. */
    public static final String FORMAT = "samvaad-s2s/3";
    /**
     * The format before an encoder could read codec features ({@code sourceFeatures}): read, as a
     * model whose encoder reads code embeddings.
     */
    static final String FORMAT_2 = "samvaad-s2s/2";
    /** The format before grouped steps and source normalisation; refused with a message that says so. */
    static final String FORMAT_1 = "samvaad-s2s/1";
    static final String GRAPH = "model.sd";
    static final String JSON_FILE = ModelFolder.MODEL_JSON;
    static final String CHECKSUMS = "checksums.sha256";
    private static final String PARTIAL = ".partial-";
    private static final String OLD = ".old-";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final TypeReference<Map<String, Double>> METRICS = new TypeReference<>() {};
    private static final TypeReference<Map<String, Object>> TRAINER = new TypeReference<>() {};
    private static final Logger LOG = LoggerFactory.getLogger(ModelCheckpoint.class);

    /**
     * A loaded model with its record.
     *
     * @param model the model, with its optimiser state
     * @param info  what model.json records besides the hyperparameters
     */
    public record Loaded(S2sModel model, ModelInfo info) {}

    private ModelCheckpoint() {}

    /**
     * Saves {@code model} with {@code info} as the folder {@code dir}, replacing an older one. A
     * failure, or a kill, at any point leaves the previous checkpoint loadable: if the process
     * dies between moving the old folder aside and moving the new one in, {@link #recover} (which
     * {@link #load} and the trainer call first) puts the old one back.
     *
     * @param dir   the checkpoint folder; its parent is created
     * @param model the model, weights and optimiser state
     * @param info  the task, codec fingerprint, step and metrics to record
     * @throws ModelException naming the folder when it cannot be written
     */
    public static void save(Path dir, S2sModel model, ModelInfo info) {
        Path target = dir.toAbsolutePath();
        recover(target);
        Path tmp = target.resolveSibling("." + target.getFileName() + PARTIAL + System.nanoTime());
        try {
            Files.createDirectories(tmp);
            model.sameDiff().save(tmp.resolve(GRAPH).toFile(), true);
            AtomicFiles.write(tmp.resolve(JSON_FILE), JSON.writeValueAsBytes(describe(model.config(), info)));
            // What inference reads, without ND4J (s2s-runtime); the container carries its own checksum.
            WeightsFile.write(tmp, model.config(), model.weights(), info.codecFingerprint(), info.task(), info.step());
            String sums = sha256(tmp.resolve(GRAPH)) + "  " + GRAPH + "\n" + sha256(tmp.resolve(JSON_FILE)) + "  " + JSON_FILE + "\n";
            AtomicFiles.write(tmp.resolve(CHECKSUMS), sums.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            Path old = null;
            if (Files.exists(target)) {
                old = target.resolveSibling("." + target.getFileName() + OLD + System.nanoTime());
                Files.move(target, old);
            }
            Files.move(tmp, target);
            if (old != null) {
                AtomicFiles.deleteTree(old);
            }
        } catch (IOException | RuntimeException e) {
            deleteQuietly(tmp);
            throw new ModelException(dir + ": cannot save the model: " + e.getMessage(), e);
        }
    }

    /**
     * Finishes what an interrupted {@link #save} left: when {@code dir} is missing but the
     * previous checkpoint was moved aside ({@code .NAME.old-*}), it is moved back; leftover
     * {@code .NAME.partial-*} and {@code .NAME.old-*} folders are then removed. Does nothing
     * when there is nothing to recover.
     *
     * @param dir the checkpoint folder
     * @return whether {@code dir} exists afterwards
     * @throws ModelException naming {@code dir} when the leftovers cannot be tidied
     */
    public static boolean recover(Path dir) {
        Path target = dir.toAbsolutePath();
        Path parent = target.getParent();
        if (parent == null || target.getFileName() == null || !Files.isDirectory(parent)) {
            return Files.isDirectory(target);
        }
        String name = target.getFileName().toString();
        try {
            List<Path> olds = siblings(parent, "." + name + OLD);
            if (!Files.exists(target) && !olds.isEmpty()) {
                Path newest = olds.stream().filter(p -> Files.isRegularFile(p.resolve(CHECKSUMS)))
                        .max(Comparator.comparing(ModelCheckpoint::modified)).orElse(null);
                if (newest != null) {
                    Files.move(newest, target);
                    LOG.warn("{}: restored the previous checkpoint, which an interrupted save had moved aside", dir);
                }
            }
            if (Files.exists(target)) {
                deleteLeftovers(parent, name);
            }
        } catch (IOException e) {
            throw new ModelException(dir + ": cannot recover an interrupted save: " + e.getMessage(), e);
        }
        return Files.isDirectory(target);
    }

    /**
     * Deletes a checkpoint folder and what interrupted saves left beside it ({@code .NAME.old-*},
     * {@code .NAME.partial-*}), so that no later {@link #recover} brings an old checkpoint back.
     * Does nothing when there is nothing to delete.
     *
     * @param dir the checkpoint folder
     * @throws ModelException naming {@code dir} when something cannot be deleted
     */
    public static void delete(Path dir) {
        Path target = dir.toAbsolutePath();
        Path parent = target.getParent();
        try {
            AtomicFiles.deleteTree(target);
            if (parent != null && target.getFileName() != null && Files.isDirectory(parent)) {
                deleteLeftovers(parent, target.getFileName().toString());
            }
        } catch (IOException e) {
            throw new ModelException(dir + ": cannot delete the checkpoint: " + e.getMessage(), e);
        }
    }

    /**
     * Loads a checkpoint folder for use with the codec of fingerprint {@code codecFingerprint}.
     *
     * @param dir              the checkpoint folder
     * @param codecFingerprint the fingerprint of the codec the caller will use
     * @return the model and its record
     * @throws ModelException naming the folder when files are missing or damaged, or when the
     *     model was trained on codes of another codec
     */
    public static Loaded load(Path dir, String codecFingerprint) {
        return load(dir, codecFingerprint, null);
    }

    /**
     * {@link #load(Path, String)} for the codec read from {@code codecFile}, which a refusal names:
     * {@code RUN/best: the model was trained on codes of codec A, but other.smvd holds codec B}.
     *
     * @param dir              the checkpoint folder
     * @param codecFingerprint the fingerprint of the codec the caller will use
     * @param codecFile        the file that codec came from, or {@code null}
     * @return the model and its record
     * @throws ModelException naming the folder when files are missing or damaged, or naming the
     *     folder and the codec file when the model was trained on codes of another codec
     */
    public static Loaded load(Path dir, String codecFingerprint, Path codecFile) {
        recover(dir);
        if (!Files.isDirectory(dir)) {
            throw new ModelException(dir + ": not a model folder (expected " + GRAPH + ", " + JSON_FILE + ", " + CHECKSUMS + ")");
        }
        if (!Files.exists(dir.resolve(JSON_FILE))) {
            Path withModel = java.util.stream.Stream.of("best", "last").map(dir::resolve)
                    .filter(d -> Files.isRegularFile(d.resolve(JSON_FILE))).findFirst().orElse(null);
            throw new ModelException(dir + ": not a model folder: no " + JSON_FILE
                    + (withModel != null ? " (a training run folder? its checkpoint is " + withModel + ")"
                            : " (a model folder holds " + JSON_FILE + ", " + GRAPH + " and " + CHECKSUMS
                                    + "; a training run folder holds best/ and last/)"));
        }
        try {
            verifyChecksums(dir);
            JsonNode json = JSON.readTree(dir.resolve(JSON_FILE).toFile());
            if (json == null || !json.isObject()) {
                throw new ModelException(dir + ": " + JSON_FILE + " is not a JSON object");
            }
            if (FORMAT_1.equals(json.path("format").asText())) {
                throw new ModelException(dir + ": model.json has format " + FORMAT_1 + ", written by an earlier build "
                        + "(one frame per step); this build reads " + FORMAT + ": train the model again");
            }
            String format = json.path("format").asText();
            if (!FORMAT.equals(format) && !FORMAT_2.equals(format)) {
                throw new ModelException(dir + ": model.json has format " + json.path("format") + ", this build reads "
                        + FORMAT + " and " + FORMAT_2);
            }
            if (!json.path("config").isObject()) {
                throw new ModelException(dir + ": " + JSON_FILE + " has no \"config\" object");
            }
            List<String> fields = FORMAT_2.equals(format)
                    ? List.of("frameGroup", "sourceNorm", "textSymbols", "summary", "intents")
                    : List.of("frameGroup", "sourceNorm", "textSymbols", "summary", "intents", "sourceFeatures", "maxPool");
            for (String field : fields) {
                if (!json.path("config").has(field)) {
                    throw new ModelException(dir + ": " + JSON_FILE + "'s \"config\" has no \"" + field + "\"");
                }
            }
            ModelConfig config = JSON.treeToValue(json.path("config"), ModelConfig.class);
            checkSize(dir, config);
            // Keys in camelCase whichever spelling the file has (earlier builds wrote "best_val_loss").
            Map<String, Double> metrics = json.has("metrics")
                    ? JsonKeys.camelCaseKeys(JSON.convertValue(json.path("metrics"), METRICS)) : Map.of();
            if (metrics != null && metrics.values().stream().anyMatch(java.util.Objects::isNull)) {
                throw new ModelException(dir + ": " + JSON_FILE + " has a metric without a value: " + json.path("metrics"));
            }
            Map<String, Object> trainer = json.has("trainer")
                    ? JsonKeys.camelCaseKeys(JSON.convertValue(json.path("trainer"), TRAINER)) : Map.of();
            long step = json.path("step").asLong(-1);
            if (!json.path("step").canConvertToLong() || step < 0) {
                throw new ModelException(dir + ": " + JSON_FILE + " has no valid \"step\" (got " + json.path("step") + ")");
            }
            ModelInfo info = new ModelInfo(json.path("task").asText(), JsonKeys.path(json, "codecFingerprint").asText(),
                    step, metrics, trainer);
            if (!info.codecFingerprint().equals(codecFingerprint)) {
                throw new ModelException(ModelFolder.codecMismatch(dir, info.codecFingerprint(), codecFingerprint, codecFile));
            }
            SameDiff sd;
            try {
                String problem = FlatGraphCheck.problem(Files.readAllBytes(dir.resolve(GRAPH)));
                if (problem != null) {
                    throw new ModelException(dir + ": " + GRAPH + " " + problem);
                }
                sd = SameDiff.load(dir.resolve(GRAPH).toFile(), true);
            } catch (ModelException e) {
                throw e;
            } catch (RuntimeException | OutOfMemoryError e) {
                // An OutOfMemoryError here is one allocation SameDiff sized from the file, refused
                // whole: nothing else was half done, so reporting it is safe.
                throw new ModelException(dir + ": " + GRAPH + " is not a readable SameDiff model: " + e, e);
            }
            checkParameters(dir, config, sd);
            return new Loaded(new S2sModel(config, sd), info);
        } catch (IOException e) {
            throw new ModelException(dir + ": cannot read the model: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            // Values model.json can hold but a model cannot use (a blank task, a bad metric, ...).
            throw new ModelException(dir + ": " + JSON_FILE + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes the inference weights file ({@link ModelFolder#WEIGHTS_FILE}) of a checkpoint folder
     * saved before training wrote one, from its {@code model.sd}, with the codec fingerprint its
     * model.json records. A folder that has one gets it written again, the same.
     *
     * @param dir the checkpoint folder
     * @return the weights file written
     * @throws ModelException naming the folder when the checkpoint cannot be read
     */
    public static Path writeWeights(Path dir) {
        String fingerprint;
        try {
            JsonNode json = JSON.readTree(dir.resolve(JSON_FILE).toFile());
            fingerprint = json == null ? "" : JsonKeys.path(json, "codecFingerprint").asText();
        } catch (IOException e) {
            throw new ModelException(dir + ": cannot read " + JSON_FILE + ": " + e.getMessage(), e);
        }
        Loaded loaded = load(dir, fingerprint);
        WeightsFile.write(dir, loaded.model().config(), loaded.model().weights(), loaded.info().codecFingerprint(),
                loaded.info().task(), loaded.info().step());
        return dir.resolve(ModelFolder.WEIGHTS_FILE);
    }

    /**
     * The config's parameters must fit in model.sd (4 bytes each), checked arithmetically before
     * anything is built from it: a config claiming 90 million layers would otherwise be expanded
     * into billions of parameter names (found by fuzzing).
     */
    private static void checkSize(Path dir, ModelConfig config) throws IOException {
        long graphBytes = Files.size(dir.resolve(GRAPH));
        long values;
        try {
            values = WeightNames.count(config);
        } catch (ArithmeticException e) {
            values = Long.MAX_VALUE;
        }
        if (values > graphBytes / Float.BYTES) {
            throw new ModelException(dir + ": the config in " + JSON_FILE + " needs " + (values == Long.MAX_VALUE
                    ? "more than 2^63" : Long.toString(values)) + " parameter values, more than the " + graphBytes
                    + " bytes of " + GRAPH + " can hold");
        }
    }

    /** Every parameter the config implies must be in the graph with its shape. */
    private static void checkParameters(Path dir, ModelConfig config, SameDiff sd) {
        for (Map.Entry<String, long[]> p : WeightNames.shapes(config).entrySet()) {
            SDVariable v = sd.hasVariable(p.getKey()) ? sd.getVariable(p.getKey()) : null;
            long[] shape = v == null || v.getArr() == null ? null : v.getArr().shape();
            if (!java.util.Arrays.equals(shape, p.getValue())) {
                throw new ModelException(dir + ": " + GRAPH + " does not match the config in " + JSON_FILE + ": parameter '"
                        + p.getKey() + "' is " + (shape == null ? "missing" : java.util.Arrays.toString(shape))
                        + ", expected " + java.util.Arrays.toString(p.getValue()));
            }
        }
    }

    private static Map<String, Object> describe(ModelConfig c, ModelInfo info) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("task", info.task());
        m.put("codecFingerprint", info.codecFingerprint());
        m.put("step", info.step());
        m.put("config", c);
        m.put("tokens", Map.of("codes", c.codebookSize(), "pad", c.layout().pad(), "bos", c.layout().bos(), "eos", c.layout().eos(),
                "vocabulary", c.layout().vocabulary()));
        m.put("codebookModel", S2sModel.CODEBOOK_MODEL);
        m.put("metrics", info.metrics());
        m.put("trainer", info.trainer());
        return m;
    }

    /** checksums.sha256 must list model.sd and model.json, each with its SHA-256, and nothing else. */
    private static void verifyChecksums(Path dir) throws IOException {
        Path sums = dir.resolve(CHECKSUMS);
        if (!Files.isRegularFile(sums)) {
            throw new ModelException(dir + ": " + CHECKSUMS + " is missing; the checkpoint is incomplete");
        }
        if (Files.size(sums) > 4096) {
            throw new ModelException(dir + ": " + CHECKSUMS + " is " + Files.size(sums) + " bytes, not a checksum list");
        }
        Map<String, String> expected = new LinkedHashMap<>();
        List<String> lines = new String(Files.readAllBytes(sums), java.nio.charset.StandardCharsets.ISO_8859_1).lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] parts = line.split("\\s+", 2);
            if (parts.length != 2 || !parts[0].matches("[0-9a-f]{64}") || !(parts[1].equals(GRAPH) || parts[1].equals(JSON_FILE))
                    || expected.put(parts[1], parts[0]) != null) {
                throw new ModelException(dir + ": " + CHECKSUMS + " line " + (i + 1) + " is not '<sha256>  " + GRAPH
                        + "' or '<sha256>  " + JSON_FILE + "' (listed once each)");
            }
        }
        for (String name : List.of(GRAPH, JSON_FILE)) {
            Path file = dir.resolve(name);
            if (!expected.containsKey(name)) {
                throw new ModelException(dir + ": " + CHECKSUMS + " does not list " + name + "; the checkpoint is incomplete");
            }
            if (!Files.isRegularFile(file)) {
                throw new ModelException(dir + ": " + name + " is missing");
            }
            if (!sha256(file).equals(expected.get(name))) {
                throw new ModelException(dir + ": " + name + " is corrupted (checksum mismatch)");
            }
        }
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Deletes what interrupted saves of checkpoint {@code name} left in {@code parent} ({@code .NAME.old-*}, {@code .NAME.partial-*}). */
    private static void deleteLeftovers(Path parent, String name) throws IOException {
        for (String kind : List.of(OLD, PARTIAL)) {
            for (Path leftover : siblings(parent, "." + name + kind)) {
                AtomicFiles.deleteTree(leftover);
            }
        }
    }

    private static List<Path> siblings(Path parent, String prefix) throws IOException {
        try (Stream<Path> list = Files.list(parent)) {
            return list.filter(p -> p.getFileName().toString().startsWith(prefix) && Files.isDirectory(p)).toList();
        }
    }

    private static FileTime modified(Path checkpointDir) {
        try {
            return Files.getLastModifiedTime(checkpointDir.resolve(CHECKSUMS));
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            AtomicFiles.deleteTree(dir);
        } catch (IOException ignored) {
            // A leftover ".partial" folder is harmless and named as such.
        }
    }
}
