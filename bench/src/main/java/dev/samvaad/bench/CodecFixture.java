package dev.samvaad.bench;

import dev.samvaad.codec.CodecTrainer;
import dev.samvaad.codec.ResidualVQ;
import dev.samvaad.codec.RvqCodec;
import dev.samvaad.codec.VocoderConfig;
import dev.samvaad.io.Checkpoint;
import dev.samvaad.io.CheckpointFile;
import dev.samvaad.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The codec the benchmarks measure: the default shape (6 codebooks of 1024, 3.0 kbps) trained in
 * a few seconds on {@link #TRAIN_SECONDS} of {@link BenchSpeech} ({@link BenchSpeech.Material#TRAIN})
 * with a small k-means budget ({@link #ITERATIONS} Lloyd iterations per codebook). Its speed does
 * not depend on how well it is trained, only on its shape and on the speech it decodes, which is
 * {@link BenchSpeech.Material#TEST} (other voices and sentences).
 */
final class CodecFixture {
    static final double TRAIN_SECONDS = 60;
    static final int ITERATIONS = 4;

    final RvqCodec codec;
    final BenchSpeech.Speech trainSpeech;
    final double trainSeconds;

    private CodecFixture(RvqCodec codec, BenchSpeech.Speech trainSpeech, double trainSeconds) {
        this.codec = codec;
        this.trainSpeech = trainSpeech;
        this.trainSeconds = trainSeconds;
    }

    /** Makes the training speech and trains the codec; {@link #trainSeconds} says how long that took. */
    static CodecFixture train() {
        long start = System.nanoTime();
        BenchSpeech.Speech speech = BenchSpeech.make(BenchSpeech.Material.TRAIN, TRAIN_SECONDS);
        RvqCodec codec = CodecTrainer.trainOnSignals(List.of(speech.pcm()), options());
        return new CodecFixture(codec, speech, (System.nanoTime() - start) / 1e9);
    }

    static CodecTrainer.Options options() {
        return CodecTrainer.Options.defaults().withIterations(ITERATIONS);
    }

    /**
     * The codec's own quantiser and feature normalisation, read back from its checkpoint (the
     * public way to reach them): {@code features} are normalised in place, ready for
     * {@link ResidualVQ#encode(float[], int[], float[])}.
     */
    static ResidualVQ quantizer(RvqCodec codec, float[][] features) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("samvaad-bench-codec");
            Path file = dir.resolve("codec.smvd");
            codec.save(file);
            Checkpoint cp = CheckpointFile.read(file);
            float[] mean = cp.array("mean").data(), scale = cp.array("scale").data();
            for (float[] f : features) {
                for (int i = 0; i < f.length; i++) {
                    f[i] = (f[i] - mean[i]) * scale[i];
                }
            }
            Tensor books = cp.array("codebooks");
            int q = books.dim(0), k = books.dim(1), d = books.dim(2);
            float[][][] nested = new float[q][k][d];
            float[] flat = books.data();
            for (int s = 0, i = 0; s < q; s++) {
                for (int e = 0; e < k; e++, i += d) {
                    System.arraycopy(flat, i, nested[s][e], 0, d);
                }
            }
            return ResidualVQ.of(nested);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            BenchSpeech.deleteQuietly(dir);
        }
    }

    /** Vocoder features {@code [T][D]} of {@code pcm}, as the codec's encoder computes them. */
    static float[][] features(float[] pcm) {
        return CodecTrainer.features(VocoderConfig.standard(), pcm);
    }
}
