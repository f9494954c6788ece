package dev.samvaad.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.samvaad.io.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The S2S checkpoint, a folder: {@code model.sd} (the SameDiff graph with weights and Adam state),
 * {@code model.json} (hyperparameters, task, token layout, codebook model, codec fingerprint,
 * step, validation metrics) and {@code checksums.sha256} over both. It is written to a temporary
 * sibling folder first and then renamed into place, so a crash leaves the previous checkpoint.
 */
public final class ModelCheckpoint {
    /** The {@code format} value of model.json that this build writes and reads. */
    public static final String FORMAT = "samvaad-s2s/1";
    static final String GRAPH = "model.sd";
    static final String JSON_FILE = "model.json";
    static final String CHECKSUMS = "checksums.sha256";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * A loaded model with its record.
     *
     * @param model the model, with its optimiser state
     * @param info  what model.json records besides the hyperparameters
     */
    public record Loaded(S2sModel model, ModelInfo info) {}

    private ModelCheckpoint() {}

    /**
     * Saves {@code model} with {@code info} as the folder {@code dir}, replacing an older one.
     *
     * @param dir   the checkpoint folder; its parent is created
     * @param model the model, weights and optimiser state
     * @param info  the task, codec fingerprint, step and metrics to record
     * @throws ModelException naming the folder when it cannot be written
     */
    public static void save(Path dir, S2sModel model, ModelInfo info) {
        Path target = dir.toAbsolutePath();
        Path tmp = target.resolveSibling("." + target.getFileName() + ".partial-" + System.nanoTime());
        try {
            Files.createDirectories(tmp);
            model.sameDiff().save(tmp.resolve(GRAPH).toFile(), true);
            AtomicFiles.write(tmp.resolve(JSON_FILE), JSON.writeValueAsBytes(describe(model.config(), info)));
            String sums = sha256(tmp.resolve(GRAPH)) + "  " + GRAPH + "\n" + sha256(tmp.resolve(JSON_FILE)) + "  " + JSON_FILE + "\n";
            AtomicFiles.write(tmp.resolve(CHECKSUMS), sums.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            Path old = null;
            if (Files.exists(target)) {
                old = target.resolveSibling("." + target.getFileName() + ".old-" + System.nanoTime());
                Files.move(target, old);
            }
            Files.move(tmp, target);
            if (old != null) {
                deleteTree(old);
            }
        } catch (IOException | RuntimeException e) {
            deleteQuietly(tmp);
            throw new ModelException(dir + ": cannot save the model: " + e.getMessage(), e);
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
        if (!Files.isDirectory(dir)) {
            throw new ModelException(dir + ": not a model folder (expected " + GRAPH + ", " + JSON_FILE + ", " + CHECKSUMS + ")");
        }
        try {
            verifyChecksums(dir);
            JsonNode json = JSON.readTree(dir.resolve(JSON_FILE).toFile());
            if (!FORMAT.equals(json.path("format").asText())) {
                throw new ModelException(dir + ": model.json has format " + json.path("format") + ", this build reads " + FORMAT);
            }
            ModelConfig config = JSON.treeToValue(json.path("config"), ModelConfig.class);
            @SuppressWarnings("unchecked")
            Map<String, Double> metrics = JSON.treeToValue(json.path("metrics"), Map.class);
            @SuppressWarnings("unchecked")
            Map<String, Object> trainer = json.has("trainer") ? JSON.treeToValue(json.path("trainer"), Map.class) : Map.of();
            ModelInfo info = new ModelInfo(json.path("task").asText(), json.path("codec_fingerprint").asText(),
                    json.path("step").asLong(), metrics, trainer);
            if (!info.codecFingerprint().equals(codecFingerprint)) {
                throw new ModelException(dir + ": the model was trained on codes of codec " + info.codecFingerprint()
                        + ", but the codec given is " + codecFingerprint + "; use the codec it was trained with");
            }
            SameDiff sd = SameDiff.load(dir.resolve(GRAPH).toFile(), true);
            return new Loaded(new S2sModel(config, sd), info);
        } catch (IOException e) {
            throw new ModelException(dir + ": cannot read the model: " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> describe(ModelConfig c, ModelInfo info) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("task", info.task());
        m.put("codec_fingerprint", info.codecFingerprint());
        m.put("step", info.step());
        m.put("config", c);
        m.put("tokens", Map.of("codes", c.codebookSize(), "pad", c.pad(), "bos", c.bos(), "eos", c.eos(),
                "vocabulary", c.vocabulary()));
        m.put("codebook_model", S2sModel.CODEBOOK_MODEL);
        m.put("metrics", info.metrics());
        m.put("trainer", info.trainer());
        return m;
    }

    private static void verifyChecksums(Path dir) throws IOException {
        Path sums = dir.resolve(CHECKSUMS);
        if (!Files.exists(sums)) {
            throw new ModelException(dir + ": " + CHECKSUMS + " is missing; the checkpoint is incomplete");
        }
        for (String line : Files.readAllLines(sums)) {
            String[] parts = line.trim().split("\\s+", 2);
            if (parts.length != 2) {
                continue;
            }
            Path file = dir.resolve(parts[1]);
            if (!Files.exists(file)) {
                throw new ModelException(dir + ": " + parts[1] + " is missing");
            }
            if (!sha256(file).equals(parts[0])) {
                throw new ModelException(dir + ": " + parts[1] + " is corrupted (checksum mismatch)");
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

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            if (Files.exists(dir)) {
                deleteTree(dir);
            }
        } catch (IOException ignored) {
            // A leftover ".partial" folder is harmless and named as such.
        }
    }
}
