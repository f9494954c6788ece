package dev.samvaad.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.samvaad.io.Checkpoint;
import dev.samvaad.io.CheckpointFile;
import dev.samvaad.tensor.Tensor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The codec checkpoint: one {@link CheckpointFile} of kind {@code "rvq-codec"} (format 1) whose
 * JSON config holds the vocoder settings and codebook sizes, and whose arrays are the feature
 * {@code mean} and {@code scale} ({@code [D]}) and the {@code codebooks} ({@code [Q, K, D]}). The
 * container's CRC32 refuses corrupted files; its fingerprint identifies the codec.
 */
final class CodecFiles {
    static final String KIND = "rvq-codec";
    static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The JSON config of a codec checkpoint. */
    record Config(String model, int sampleRate, int hop, double[] bandCentres, double minF0, double maxF0,
            int codebooks, int codebookSize, int featureSize) {}

    private CodecFiles() {}

    static Checkpoint checkpoint(RvqCodec codec) {
        VocoderConfig v = codec.vocoder();
        ResidualVQ rvq = codec.quantizer();
        Config config = new Config("vocoder-rvq", v.sampleRate(), v.hop(), v.bandCentres(), v.minF0(), v.maxF0(),
                rvq.stages(), rvq.size(), rvq.dim());
        float[][][] books = rvq.codebooks();
        float[] flat = new float[rvq.stages() * rvq.size() * rvq.dim()];
        int i = 0;
        for (float[][] book : books) {
            for (float[] entry : book) {
                System.arraycopy(entry, 0, flat, i, entry.length);
                i += entry.length;
            }
        }
        Map<String, Tensor> arrays = new LinkedHashMap<>();
        arrays.put("mean", Tensor.of(codec.scaling().mean(), rvq.dim()));
        arrays.put("scale", Tensor.of(codec.scaling().scale(), rvq.dim()));
        arrays.put("codebooks", Tensor.wrap(flat, rvq.stages(), rvq.size(), rvq.dim()));
        try {
            return new Checkpoint(KIND, FORMAT, JSON.writeValueAsString(config), arrays);
        } catch (JsonProcessingException e) {
            throw new CodecException("cannot serialise the codec config: " + e.getMessage(), e);
        }
    }

    static String fingerprint(RvqCodec codec) {
        return checkpoint(codec).fingerprint();
    }

    static void write(Path file, RvqCodec codec) {
        CheckpointFile.write(file, checkpoint(codec));
    }

    static RvqCodec read(Path file) {
        return fromCheckpoint(file, CheckpointFile.read(file, KIND, FORMAT));
    }

    /**
     * Builds the codec a checkpoint (already read and checksum-verified) describes. Everything a
     * well-formed container can still get wrong (a config field missing or out of range, an array
     * missing or of the wrong shape, non-finite codebook values) is a {@link CodecException}
     * naming {@code file}.
     */
    static RvqCodec fromCheckpoint(Path file, Checkpoint cp) {
        Config c;
        try {
            c = JSON.readValue(cp.configJson(), Config.class);
        } catch (JsonProcessingException e) {
            throw new CodecException(file + ": codec config unreadable: " + e.getOriginalMessage(), e);
        }
        if (!"vocoder-rvq".equals(c.model())) {
            throw new CodecException(file + ": codec model '" + c.model() + "' is not supported (expected 'vocoder-rvq')");
        }
        if (c.bandCentres() == null) {
            throw new CodecException(file + ": codec config has no bandCentres");
        }
        try {
            VocoderConfig vocoder = new VocoderConfig(c.sampleRate(), c.hop(), c.bandCentres(), c.minF0(), c.maxF0());
            int d = vocoder.featureSize();
            Tensor books = array(file, cp, "codebooks", c.codebooks(), c.codebookSize(), d);
            float[] mean = array(file, cp, "mean", d).toArray();
            float[] scale = array(file, cp, "scale", d).toArray();
            int[] shape = books.shape();
            float[][][] nested = new float[shape[0]][shape[1]][shape[2]];
            float[] flat = books.data();
            for (int q = 0, i = 0; q < shape[0]; q++) {
                for (int k = 0; k < shape[1]; k++, i += shape[2]) {
                    System.arraycopy(flat, i, nested[q][k], 0, shape[2]);
                }
            }
            return new RvqCodec(vocoder, new FeatureScaling(mean, scale), ResidualVQ.of(nested));
        } catch (CodecException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(file + ": ")) {
                throw e;
            }
            throw new CodecException(file + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            // Values a checkpoint can hold but a codec cannot use (e.g. a bad band layout).
            throw new CodecException(file + ": " + e.getMessage(), e);
        }
    }

    /** The array {@code name}, which must have exactly {@code shape}. */
    private static Tensor array(Path file, Checkpoint cp, String name, int... shape) {
        Tensor t = cp.arrays().get(name);
        if (t == null) {
            throw new CodecException(file + ": no '" + name + "' array in the codec checkpoint (it holds "
                    + cp.arrays().keySet() + ")");
        }
        if (!java.util.Arrays.equals(t.shape(), shape)) {
            throw new CodecException(file + ": '" + name + "' has shape " + java.util.Arrays.toString(t.shape())
                    + ", the config needs " + java.util.Arrays.toString(shape));
        }
        return t;
    }
}
