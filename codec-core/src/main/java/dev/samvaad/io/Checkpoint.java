package dev.samvaad.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.samvaad.tensor.Tensor;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The contents of a checkpoint: what kind of payload it is, the payload's own format version, a
 * JSON config and named float32 arrays. Stored on disk by {@link CheckpointFile}.
 *
 * <p>Immutable: the array map keeps the order the arrays were given in and cannot be modified.
 * The tensors are held as given, without a copy (checkpoints can be large); like every
 * {@link Tensor} they must be treated as values, so do not write to their {@code data()} after
 * building a checkpoint.
 *
 * <p>Values are not judged: NaN and infinities are stored and compared bit for bit like any other
 * value.
 */
public final class Checkpoint {

    /** The largest number of dimensions an array may have. */
    public static final int MAX_RANK = 8;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final String kind;
    private final int kindVersion;
    private final String configJson;
    private final Map<String, Tensor> arrays;

    /**
     * @param kind what the payload is, e.g. {@code "rvq-codec"}; not empty
     * @param kindVersion the payload's own format version; not negative
     * @param configJson the config, a JSON object
     * @param arrays the arrays by name, in the order to store them; names not empty, ranks at most
     *     {@link #MAX_RANK}
     * @throws IllegalArgumentException if any of these does not hold
     */
    public Checkpoint(String kind, int kindVersion, String configJson, Map<String, Tensor> arrays) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(configJson, "configJson");
        Objects.requireNonNull(arrays, "arrays");
        if (kind.isEmpty()) {
            throw new IllegalArgumentException("kind is empty");
        }
        if (kindVersion < 0) {
            throw new IllegalArgumentException("kind version " + kindVersion + " is negative");
        }
        requireJsonObject(configJson);
        this.kind = kind;
        this.kindVersion = kindVersion;
        this.configJson = configJson;
        this.arrays = Collections.unmodifiableMap(checkedCopy(arrays));
    }

    /** {@return what the payload is, e.g. {@code "rvq-codec"}} */
    public String kind() {
        return kind;
    }

    /** {@return the payload's own format version (not the container's)} */
    public int kindVersion() {
        return kindVersion;
    }

    /** {@return the config as JSON text, exactly as given (a JSON object)} */
    public String configJson() {
        return configJson;
    }

    /** {@return the arrays by name, in insertion order; unmodifiable} */
    public Map<String, Tensor> arrays() {
        return arrays;
    }

    /**
     * One array.
     *
     * @param name the array's name
     * @return the array called {@code name}
     * @throws CheckpointException naming the missing array and the arrays present
     */
    public Tensor array(String name) {
        Tensor tensor = arrays.get(name);
        if (tensor == null) {
            throw new CheckpointException("no array '" + name + "' in this '" + kind + "' checkpoint; it holds "
                    + (arrays.isEmpty() ? "no arrays" : "'" + String.join("', '", arrays.keySet()) + "'"));
        }
        return tensor;
    }

    /**
     * Identifies the contents: the first 16 hex digits of the SHA-256 of kind, kind version,
     * config and, for each array in order, its name, shape and values. It depends on nothing else
     * (not on the container format), so a checkpoint keeps its fingerprint through a write and a
     * read, and any change to a value, a name or the config changes it.
     *
     * <p>The digested bytes, all little-endian: kind as int32 length + UTF-8, kind version as
     * int32, config as int32 length + UTF-8, then per array its name as int32 length + UTF-8, its
     * rank as int32, each dimension as int32 and its values as raw float32 bits. Computed on each
     * call, in one pass over the values.
     *
     * @return 16 lower-case hex digits
     */
    public String fingerprint() {
        return CheckpointFingerprint.of(this);
    }

    /** Equal when kind, kind version, config text, array names and order, shapes and value bits are. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Checkpoint other)) {
            return false;
        }
        return kind.equals(other.kind) && kindVersion == other.kindVersion && configJson.equals(other.configJson)
                && sameArrays(arrays, other.arrays);
    }

    @Override
    public int hashCode() {
        // Leaves the values out: hashing them would cost a pass over all the data.
        return Objects.hash(kind, kindVersion, configJson, arrays.keySet());
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Checkpoint[").append(kind).append(" v").append(kindVersion);
        arrays.forEach((name, tensor) -> sb.append(", ").append(name).append(Arrays.toString(tensor.shape())));
        return sb.append(']').toString();
    }

    private static void requireJsonObject(String configJson) {
        JsonNode root;
        try {
            root = JSON.readTree(configJson);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("config is not a JSON object: " + e.getOriginalMessage(), e);
        }
        if (!root.isObject()) {
            throw new IllegalArgumentException("config is not a JSON object but "
                    + (root.isMissingNode() ? "empty" : "a JSON " + root.getNodeType().name().toLowerCase(Locale.ROOT)));
        }
    }

    private static Map<String, Tensor> checkedCopy(Map<String, Tensor> arrays) {
        Map<String, Tensor> copy = new LinkedHashMap<>();
        arrays.forEach((name, tensor) -> {
            Objects.requireNonNull(name, "array name");
            Objects.requireNonNull(tensor, () -> "array '" + name + "'");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("array name is empty");
            }
            if (tensor.rank() > MAX_RANK) {
                throw new IllegalArgumentException("array '" + name + "' has rank " + tensor.rank()
                        + "; at most " + MAX_RANK + " is supported");
            }
            copy.put(name, tensor);
        });
        return copy;
    }

    private static boolean sameArrays(Map<String, Tensor> a, Map<String, Tensor> b) {
        if (a.size() != b.size()) {
            return false;
        }
        Iterator<Map.Entry<String, Tensor>> others = b.entrySet().iterator();
        for (Map.Entry<String, Tensor> entry : a.entrySet()) {
            Map.Entry<String, Tensor> other = others.next();
            if (!entry.getKey().equals(other.getKey())
                    || !Arrays.equals(entry.getValue().shape(), other.getValue().shape())
                    || !sameBits(entry.getValue().data(), other.getValue().data())) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameBits(float[] a, float[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) {
                return false;
            }
        }
        return true;
    }
}
