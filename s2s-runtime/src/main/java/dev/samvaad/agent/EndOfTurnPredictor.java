package dev.samvaad.agent;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.samvaad.codec.RvqCodec;
import dev.samvaad.io.Checkpoint;
import dev.samvaad.io.CheckpointException;
import dev.samvaad.io.CheckpointFile;
import dev.samvaad.io.JsonKeys;
import dev.samvaad.tensor.Tensor;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Predicts, at a frame of silence inside the user's turn, whether the user has finished: a small
 * classifier over {@link TurnFeatures} (the codec features of the last second of speech and how
 * it ended). Trained by {@code bin/samvaad train-turns}; pure Java, a few microseconds a frame.
 * Immutable and thread-safe.
 *
 * <p>Stored as one checkpoint file ({@link CheckpointFile}: versioned, CRC-checked, written
 * atomically) of kind {@value #KIND}, version {@value #VERSION}: a JSON config (the fingerprint of
 * the codec it was trained with, the feature layout, the calibrated threshold and the training
 * record) and the arrays {@code feature_mean}, {@code feature_scale} ({@code [F]}), {@code w1}
 * ({@code [H, F]}), {@code b1} ({@code [H]}), {@code w2} ({@code [H]}, or {@code [F]} without a
 * hidden layer) and {@code b2} ({@code [1]}). It reads the codec's own codebooks, so it is refused
 * with any other codec.
 */
public final class EndOfTurnPredictor {
    /** The checkpoint kind. */
    public static final String KIND = "end-of-turn";
    /** The checkpoint kind version this build writes and reads. */
    public static final int VERSION = 1;
    /** The file name the quickstart writes, and that {@code agent} and {@code web} look for beside the codec. */
    public static final String FILE_NAME = "end-of-turn.smvd";
    private static final com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>> CONFIG_MAP =
            new com.fasterxml.jackson.core.type.TypeReference<>() {};
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The checkpoint's JSON config.
     *
     * @param codecFingerprint the codec whose features it reads
     * @param features         the feature layout, {@link TurnFeatures#VERSION}
     * @param featureSize      F
     * @param hidden           H, 0 for a logistic regression
     * @param threshold        the calibrated probability from which the turn counts as ended
     * @param minSilenceMs     the silence after which it is first asked (as trained)
     * @param training         what it was trained on and how well it did
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Config(@JsonProperty("codecFingerprint") String codecFingerprint,
                         @JsonProperty("features") String features,
                         @JsonProperty("featureSize") int featureSize,
                         @JsonProperty("hidden") int hidden,
                         @JsonProperty("threshold") double threshold,
                         @JsonProperty("minSilenceMs") int minSilenceMs,
                         @JsonProperty("training") Map<String, Object> training) {
        /**
         * Copies the training record.
         *
         * @param codecFingerprint the codec whose features it reads
         * @param features         the feature layout
         * @param featureSize      F
         * @param hidden           H
         * @param threshold        the calibrated threshold
         * @param minSilenceMs     the silence after which it is first asked
         * @param training         the training record, or {@code null}
         */
        public Config {
            training = training == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(training));
        }
    }

    private final Config config;
    private final java.util.function.Supplier<TurnFeatures> features;
    private final float[] mean;
    private final float[] scale;
    private final float[] invScale;
    private final float[] w1;
    private final float[] b1;
    private final float[] w2;
    private final float b2;

    /**
     * A predictor for {@code codec} with the given weights (for the trainer; others load one).
     *
     * @param codec  the codec whose features it reads
     * @param config what it is; its fingerprint must be the codec's
     * @param mean   feature means, {@code [F]}
     * @param scale  feature spreads, {@code [F]}, positive
     * @param w1     hidden weights, {@code [H * F]} row-major (empty when H = 0)
     * @param b1     hidden biases, {@code [H]}
     * @param w2     output weights, {@code [H]} (or {@code [F]} when H = 0)
     * @param b2     output bias
     * @throws IllegalArgumentException if a shape, the codec or a value does not fit
     */
    public EndOfTurnPredictor(RvqCodec codec, Config config, float[] mean, float[] scale, float[] w1, float[] b1,
                              float[] w2, float b2) {
        this.config = Objects.requireNonNull(config, "config");
        if (!codec.fingerprint().equals(config.codecFingerprint())) {
            throw new IllegalArgumentException("the predictor reads codec " + config.codecFingerprint()
                    + "'s features, the codec given is " + codec.fingerprint());
        }
        if (!TurnFeatures.VERSION.equals(config.features())) {
            throw new IllegalArgumentException("features '" + config.features() + "' are not known to this build (it computes "
                    + TurnFeatures.VERSION + ")");
        }
        this.features = TurnFeatures.factory(codec);
        int f = TurnFeatures.SIZE;
        int h = config.hidden();
        if (config.featureSize() != f || h < 0 || h > 4096) {
            throw new IllegalArgumentException("the predictor reads " + config.featureSize() + " features with " + h
                    + " hidden units; this codec gives " + f + " features");
        }
        check("feature_mean", mean, f);
        check("feature_scale", scale, f);
        check("w1", w1, h * f);
        check("b1", b1, h);
        check("w2", w2, h == 0 ? f : h);
        if (!Float.isFinite(b2)) {
            throw new IllegalArgumentException("b2 is not finite");
        }
        if (!(config.threshold() > 0 && config.threshold() < 1)) {
            throw new IllegalArgumentException("threshold must be in (0, 1), got " + config.threshold());
        }
        if (config.minSilenceMs() < 0) {
            throw new IllegalArgumentException("minSilenceMs must be >= 0, got " + config.minSilenceMs());
        }
        this.invScale = new float[f];
        for (int i = 0; i < f; i++) {
            if (!(scale[i] > 0)) {
                throw new IllegalArgumentException("feature_scale[" + i + "] must be positive, got " + scale[i]);
            }
            invScale[i] = 1 / scale[i];
        }
        this.mean = mean.clone();
        this.scale = scale.clone();
        this.w1 = w1.clone();
        this.b1 = b1.clone();
        this.w2 = w2.clone();
        this.b2 = b2;
    }

    private static void check(String name, float[] values, int length) {
        if (values.length != length) {
            throw new IllegalArgumentException(name + " has " + values.length + " values, expected " + length);
        }
        for (float v : values) {
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException(name + " holds a value that is not finite");
            }
        }
    }

    /**
     * Loads a predictor for use with {@code codec}.
     *
     * @param file  the checkpoint
     * @param codec the codec the agent uses
     * @return the predictor
     * @throws CheckpointException naming the file when it is missing, damaged (checksum, length),
     *     of another kind or a newer version, malformed, or made for another codec
     */
    public static EndOfTurnPredictor load(Path file, RvqCodec codec) {
        Checkpoint cp = CheckpointFile.read(file, KIND, VERSION);
        Config config;
        try {
            // Configs written by earlier builds have snake_case keys ("codec_fingerprint").
            Map<String, Object> keys = JSON.readValue(cp.configJson(), CONFIG_MAP);
            config = JSON.convertValue(JsonKeys.camelCaseKeys(keys), Config.class);
        } catch (JsonProcessingException e) {
            throw new CheckpointException(file, "the end-of-turn predictor's config is unreadable: "
                    + e.getOriginalMessage(), e);
        } catch (IllegalArgumentException e) {
            String why = e.getCause() instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new CheckpointException(file, "the end-of-turn predictor's config is unreadable: " + why, e);
        }
        if (config.codecFingerprint() == null || !config.codecFingerprint().equals(codec.fingerprint())) {
            throw new CheckpointException(file, "the end-of-turn predictor was trained with codec "
                    + config.codecFingerprint() + ", but the codec given is " + codec.fingerprint()
                    + "; train one for this codec (bin/samvaad train-turns) or use the codec it was trained with");
        }
        try {
            return new EndOfTurnPredictor(codec, config, array(file, cp, "feature_mean"), array(file, cp, "feature_scale"),
                    array(file, cp, "w1"), array(file, cp, "b1"), array(file, cp, "w2"), scalar(file, cp, "b2"));
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(file, "not a usable end-of-turn predictor: " + e.getMessage(), e);
        }
    }

    private static float[] array(Path file, Checkpoint cp, String name) {
        Tensor t = cp.arrays().get(name);
        if (t == null) {
            throw new CheckpointException(file, "no '" + name + "' array in the end-of-turn predictor (it holds "
                    + cp.arrays().keySet() + ")");
        }
        return t.toArray();
    }

    private static float scalar(Path file, Checkpoint cp, String name) {
        float[] v = array(file, cp, name);
        if (v.length != 1) {
            throw new CheckpointException(file, "'" + name + "' must hold one value, it holds " + v.length);
        }
        return v[0];
    }

    /**
     * Saves the predictor as one checkpoint file, atomically.
     *
     * @param file the file to create or replace
     * @throws CheckpointException naming the file when it cannot be written
     */
    public void save(Path file) {
        int f = config.featureSize(), h = config.hidden();
        Map<String, Tensor> arrays = new LinkedHashMap<>();
        arrays.put("feature_mean", Tensor.of(mean, f));
        arrays.put("feature_scale", Tensor.of(scale, f));
        arrays.put("w1", Tensor.of(w1, h, f));
        arrays.put("b1", Tensor.of(b1, h));
        arrays.put("w2", Tensor.of(w2, w2.length));
        arrays.put("b2", Tensor.of(new float[] {b2}, 1));
        try {
            CheckpointFile.write(file, new Checkpoint(KIND, VERSION, JSON.writeValueAsString(config), arrays));
        } catch (JsonProcessingException e) {
            throw new CheckpointException(file, "cannot serialise the predictor's config: " + e.getMessage(), e);
        }
    }

    /** {@return what the predictor is: codec, features, threshold, training record} */
    public Config config() {
        return config;
    }

    /** {@return the calibrated probability from which the turn counts as ended} */
    public double threshold() {
        return config.threshold();
    }

    /** {@return new feature state for one question} */
    public TurnFeatures newFeatures() {
        return features.get();
    }

    /**
     * The probability that the user has finished.
     *
     * @param features a {@link TurnFeatures#compute} vector
     * @return P(turn over), 0..1
     * @throws IllegalArgumentException if the vector has the wrong length
     */
    public double probability(float[] features) {
        int f = config.featureSize(), h = config.hidden();
        if (features.length != f) {
            throw new IllegalArgumentException("expected " + f + " features, got " + features.length);
        }
        float[] z = new float[f];
        for (int i = 0; i < f; i++) {
            z[i] = (features[i] - mean[i]) * invScale[i];
        }
        double logit = b2;
        if (h == 0) {
            for (int i = 0; i < f; i++) {
                logit += w2[i] * z[i];
            }
        } else {
            for (int j = 0; j < h; j++) {
                double a = b1[j];
                int row = j * f;
                for (int i = 0; i < f; i++) {
                    a += w1[row + i] * z[i];
                }
                logit += w2[j] * Math.tanh(a);
            }
        }
        return 1 / (1 + Math.exp(-logit));
    }

    @Override
    public String toString() {
        return "EndOfTurnPredictor[codec " + config.codecFingerprint() + ", " + config.featureSize() + " features, "
                + config.hidden() + " hidden, threshold " + config.threshold() + "]";
    }

    /** Test hook: the weights, for comparing a reloaded predictor. */
    float[][] weights() {
        return new float[][] {mean, scale, w1, b1, w2, {b2}};
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EndOfTurnPredictor p && config.equals(p.config)
                && Arrays.deepEquals(weights(), p.weights());
    }

    @Override
    public int hashCode() {
        return config.hashCode();
    }
}
