package dev.samvaad.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.samvaad.audio.WavWriter;
import dev.samvaad.codec.CodecTrainer;
import dev.samvaad.codec.RvqCodec;
import dev.samvaad.dataset.CodeCache;
import dev.samvaad.dataset.ConversationCorpus;
import dev.samvaad.dataset.PairDataset;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The encoding job on Spark in this JVM ({@code local[2]}) against PairDataset's own cache. */
class EncodeJobTest {
    private static JavaSparkContext sc;

    @TempDir
    Path dir;

    @BeforeAll
    static void startSpark() {
        sc = Trees.localSpark("EncodeJobTest");
    }

    @AfterAll
    static void stopSpark() {
        if (sc != null) {
            sc.close();
        }
    }

    /** A voiced-sounding signal: a few harmonics of a gliding pitch, with some noise, seeded. */
    static float[] speechLike(int samples, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double f0 = 90 + rng.nextInt(160);
        float[] x = new float[samples];
        double phase = 0;
        for (int i = 0; i < samples; i++) {
            double f = f0 * (1 + 0.2 * Math.sin(2 * Math.PI * i / samples));
            phase += 2 * Math.PI * f / 16_000;
            double v = 0;
            for (int h = 1; h <= 4; h++) {
                v += Math.sin(h * phase) / h;
            }
            x[i] = (float) (0.25 * v * (0.6 + 0.4 * Math.sin(Math.PI * i / samples)) + 0.01 * (rng.nextDouble() - 0.5));
        }
        return x;
    }

    /** {@code n} pair folders of seeded audio of different lengths, and a codec trained on them. */
    static Path pairs(Path root, int n) {
        for (int i = 0; i < n; i++) {
            Path folder = root.resolve(String.format("conv_%06d", i + 1));
            WavWriter.writePcm16(folder.resolve("user.wav"), speechLike(6_000 + 900 * i, 2L * i), 16_000);
            WavWriter.writePcm16(folder.resolve("assistant.wav"), speechLike(9_000 + 700 * i, 2L * i + 1), 16_000);
        }
        return root;
    }

    static Path codec(Path pairs, Path file) {
        List<Path> wavs = CodecTrainer.findWavs(pairs);
        RvqCodec codec = CodecTrainer.trainOnFiles(wavs, CodecTrainer.Options.defaults().withCodebooks(2, 16)
                .withIterations(3));
        codec.save(file);
        return file;
    }

    @Test
    void writesTheEntriesPairDatasetWritesKeepsThemOnARerunAndReplacesADamagedOne() throws IOException {
        Path data = pairs(dir.resolve("data"), 7);
        Path codecFile = codec(data, dir.resolve("codec.smvd"));
        RvqCodec codec = RvqCodec.load(codecFile);
        Path single = dir.resolve("single-machine-cache");
        PairDataset.conversation(ConversationCorpus.open(data), new CodeCache(single, codec), 2);

        EncodeJob.Result first = EncodeJob.run(sc, EncodeJob.Options.of(data.toString(), codecFile.toUri().toString())
                .withPartitions(3));

        Path cache = data.resolve(".codes");
        Map<String, String> entries = Trees.files(cache);
        assertThat(entries).isEqualTo(Trees.files(single)).hasSize(14)
                .allSatisfy((rel, sha) -> assertThat(rel).startsWith(codec.fingerprint() + "/").endsWith(".codes"));
        assertThat(first.pairs()).isEqualTo(7);
        assertThat(first.encoded()).isEqualTo(14);
        assertThat(first.cached()).isZero();
        assertThat(first.failed()).isZero();
        assertThat(first.fingerprint()).isEqualTo(codec.fingerprint());
        assertThat(first.describe()).contains("7 pairs in the cache", "14 files encoded", "failed: 0");
        // Training on the folder finds every file cached.
        CodeCache trainingCache = new CodeCache(cache, codec);
        PairDataset.conversation(ConversationCorpus.open(data), trainingCache, 2);
        assertThat(trainingCache.misses()).isZero();
        assertThat(trainingCache.hits()).isEqualTo(14);

        Path damaged = cache.resolve(entries.keySet().iterator().next());
        byte[] bytes = Files.readAllBytes(damaged);
        bytes[30] ^= 0x40;
        Files.write(damaged, bytes);

        EncodeJob.Result again = EncodeJob.run(sc, EncodeJob.Options.of(data.toString(), codecFile.toString()));

        assertThat(again.encoded()).isEqualTo(1);
        assertThat(again.cached()).isEqualTo(13);
        assertThat(Trees.files(cache)).isEqualTo(entries);
    }

    @Test
    void aBrokenPairIsReportedByNameAndCostsNoOtherPair() throws IOException {
        Path data = pairs(dir.resolve("data"), 4);
        Path codecFile = codec(data, dir.resolve("codec.smvd"));
        Files.createDirectories(data.resolve("conv_000005"));
        Files.writeString(data.resolve("conv_000005/user.wav"), "not a wav file");
        Files.copy(data.resolve("conv_000001/assistant.wav"), data.resolve("conv_000005/assistant.wav"));
        Files.createDirectories(data.resolve("conv_000006"));
        Files.copy(data.resolve("conv_000002/user.wav"), data.resolve("conv_000006/user.wav"));
        Files.createDirectories(data.resolve("notes"));
        Files.writeString(data.resolve("notes/readme.txt"), "not a pair");
        Path cacheDir = dir.resolve("elsewhere");

        EncodeJob.Result result = EncodeJob.run(sc, new EncodeJob.Options(data.toString(), codecFile.toString(),
                cacheDir.toString(), 2));

        assertThat(result.pairs()).isEqualTo(4);
        assertThat(result.failed()).isEqualTo(2);
        List<String> reasons = new ArrayList<>();
        result.failures().forEach(f -> reasons.add(f.toString()));
        assertThat(reasons).hasSize(2);
        assertThat(reasons.get(0)).startsWith("conv_000005: ").contains("conv_000005/user.wav");
        assertThat(reasons.get(1)).isEqualTo("conv_000006: missing assistant.wav");
        assertThat(Trees.files(cacheDir)).hasSize(8);
        assertThat(data.resolve(".codes")).doesNotExist();
    }

    @Test
    void aMissingFolderOrCodecIsNamed() throws IOException {
        Path data = pairs(dir.resolve("data"), 2);
        Path codecFile = codec(data, dir.resolve("codec.smvd"));
        Path notACodec = dir.resolve("notes.txt");
        Files.writeString(notACodec, "hello");

        assertThatThrownBy(() -> EncodeJob.run(sc, EncodeJob.Options.of(dir.resolve("nope").toString(), codecFile.toString())))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("nope").hasMessageContaining("no such folder");
        assertThatThrownBy(() -> EncodeJob.run(sc, EncodeJob.Options.of(data.toString(), dir.resolve("x.smvd").toString())))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("x.smvd: no such codec file");
        assertThatThrownBy(() -> EncodeJob.run(sc, EncodeJob.Options.of(data.toString(), notACodec.toString())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("notes.txt");
        assertThat(data.resolve(".codes")).doesNotExist();
    }
}
