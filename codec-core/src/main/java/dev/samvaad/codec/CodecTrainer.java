package dev.samvaad.codec;

import dev.samvaad.audio.AudioIO;
import dev.samvaad.audio.WavFiles;
import dev.samvaad.io.Words;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains an {@link RvqCodec} on audio: vocoder features of every frame, a feature scaling fitted
 * to them, then residual VQ codebooks trained stage by stage by seeded k-means.
 *
 * <pre>{@code
 * RvqCodec codec = CodecTrainer.trainOnFiles(CodecTrainer.findWavs(Path.of("data")),
 *         CodecTrainer.Options.defaults());
 * codec.save(Path.of("codec.smvd"));
 * }</pre>
 */
public final class CodecTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(CodecTrainer.class);

    /**
     * Training settings; start from {@link #defaults()} and change what you need with the
     * {@code with...} methods.
     *
     * @param vocoder           the signal model
     * @param codebooks         Q
     * @param codebookSize      K
     * @param iterations        k-means iterations per codebook
     * @param maxFrames         frames used for codebook training at most (a seeded sample)
     * @param pitchWeight       weight of log f0 against the band energies
     * @param periodicityWeight weight of periodicity against the band energies
     * @param seed              decides sampling and initialisation
     * @param threads           worker threads
     */
    public record Options(VocoderConfig vocoder, int codebooks, int codebookSize, int iterations, int maxFrames,
            double pitchWeight, double periodicityWeight, long seed, int threads) {

        /** {@return 6 codebooks of 1024 at 50 frames/s (3.0 kbps), 15 iterations, every core} */
        public static Options defaults() {
            return new Options(VocoderConfig.standard(), 6, 1024, 15, 200_000, 8.0, 1.5, 1,
                    Runtime.getRuntime().availableProcessors());
        }

        /**
         * Another codebook layout.
         *
         * @param q codebooks
         * @param k entries per codebook
         * @return these options with {@code q} codebooks of {@code k} entries
         */
        public Options withCodebooks(int q, int k) {
            return new Options(vocoder, q, k, iterations, maxFrames, pitchWeight, periodicityWeight, seed, threads);
        }

        /**
         * Another training length.
         *
         * @param n k-means iterations per codebook
         * @return these options with {@code n} iterations
         */
        public Options withIterations(int n) {
            return new Options(vocoder, codebooks, codebookSize, n, maxFrames, pitchWeight, periodicityWeight, seed, threads);
        }

        /**
         * Another seed.
         *
         * @param s decides sampling and initialisation
         * @return these options with seed {@code s}
         */
        public Options withSeed(long s) {
            return new Options(vocoder, codebooks, codebookSize, iterations, maxFrames, pitchWeight, periodicityWeight, s, threads);
        }

        /**
         * Other feature weights.
         *
         * @param pitch       weight of log f0 against the band energies
         * @param periodicity weight of periodicity against the band energies
         * @return these options with those weights
         */
        public Options withWeights(double pitch, double periodicity) {
            return new Options(vocoder, codebooks, codebookSize, iterations, maxFrames, pitch, periodicity, seed, threads);
        }
    }

    private CodecTrainer() {}

    /**
     * Lists training audio.
     *
     * @param dir a folder
     * @return every {@code .wav} under {@code dir} (any depth), sorted, so training is reproducible
     * @throws CodecException if {@code dir} is not a folder or holds no WAV file
     */
    public static List<Path> findWavs(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new CodecException(dir + ": not a folder");
        }
        List<Path> wavs = WavFiles.under(dir);
        if (wavs.isEmpty()) {
            throw new CodecException(dir + ": no .wav files to train on");
        }
        return wavs;
    }

    /**
     * Trains on WAV files (any format the reader accepts; converted to the codec's rate).
     *
     * @param wavs    the training audio
     * @param options the settings
     * @return the trained codec
     * @throws CodecException if there are fewer frames of audio than codebook entries
     * @throws dev.samvaad.audio.AudioFileException naming a file that cannot be read
     */
    public static RvqCodec trainOnFiles(List<Path> wavs, Options options) {
        List<float[][]> perFile = parallel(wavs, options.threads(),
                wav -> features(options.vocoder(), AudioIO.readMono(wav, options.vocoder().sampleRate())));
        return train(perFile, options);
    }

    /**
     * Trains on signals already at the codec's sample rate.
     *
     * @param signals mono audio at {@code options.vocoder().sampleRate()}
     * @param options the settings
     * @return the trained codec
     * @throws CodecException if there are fewer frames of audio than codebook entries
     */
    public static RvqCodec trainOnSignals(List<float[]> signals, Options options) {
        return train(parallel(signals, options.threads(), s -> features(options.vocoder(), s)), options);
    }

    /**
     * Analyses a signal.
     *
     * @param vocoder the signal model
     * @param pcm     mono audio at the model's sample rate
     * @return the vocoder features of every frame, {@code [T][D]} with {@code D = vocoder.featureSize()}
     */
    public static float[][] features(VocoderConfig vocoder, float[] pcm) {
        FeatureFramer framer = new FeatureFramer(vocoder);
        List<float[]> frames = new ArrayList<>(framer.push(pcm, 0, pcm.length));
        frames.addAll(framer.finish());
        return frames.toArray(float[][]::new);
    }

    private static RvqCodec train(List<float[][]> perFile, Options options) {
        List<float[]> all = new ArrayList<>();
        perFile.forEach(f -> all.addAll(List.of(f)));
        float[][] frames = all.toArray(float[][]::new);
        if (frames.length < options.codebookSize()) {
            throw new CodecException("only " + frames.length + " frames of audio (" + String.format(Locale.ROOT, "%.1f",
                    frames.length / options.vocoder().framesPerSecond()) + " s) for " + options.codebookSize()
                    + " codebook entries; give more audio or a smaller codebook");
        }
        LOG.info("training codec on {} ({} min of audio)", Words.count(frames.length, "frame"),
                String.format(Locale.ROOT, "%.1f", frames.length / options.vocoder().framesPerSecond() / 60));
        FeatureScaling scaling = FeatureScaling.fit(options.vocoder(), frames, options.pitchWeight(),
                options.periodicityWeight());
        for (float[] f : frames) {
            scaling.normalise(f);
        }
        ResidualVQ rvq = RvqTrainer.train(frames, RvqTrainer.Options.builder()
                .stages(options.codebooks()).size(options.codebookSize()).iterations(options.iterations())
                .maxTrainingVectors(Math.max(options.maxFrames(), options.codebookSize())).seed(options.seed())
                .threads(options.threads()).build());
        return new RvqCodec(options.vocoder(), scaling, rvq);
    }

    @FunctionalInterface
    private interface Task<T> {
        float[][] run(T input);
    }

    private static <T> List<float[][]> parallel(List<T> inputs, int threads, Task<T> task) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        try {
            List<Future<float[][]>> futures = new ArrayList<>();
            for (T input : inputs) {
                futures.add(pool.submit(() -> task.run(input)));
            }
            List<float[][]> out = new ArrayList<>();
            for (Future<float[][]> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CodecException("interrupted while extracting features", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new CodecException("feature extraction failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
