package dev.samvaad.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.samvaad.audio.AudioFileException;
import dev.samvaad.audio.WavWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The data-folder part of the hostile-input catalogue (RELIABILITY.md): each damaged pair is
 * listed by folder with its reason in {@link ConversationCorpus#problems()} or
 * {@link PairDataset#problems()}, the good pairs beside it still load and encode, and nothing on
 * disk is changed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DataFolderHostileInputTest {
    @TempDir
    Path dir;

    static Stream<Arguments> brokenPairs() {
        return Stream.of(
                broken("missing assistant.wav", f -> delete(f.resolve("assistant.wav")), "missing assistant.wav"),
                broken("missing user.wav", f -> delete(f.resolve("user.wav")), "missing user.wav"),
                broken("meta.json of binary garbage", f -> write(f.resolve("meta.json"), new byte[] {0, (byte) 0xFF, 3, 7}),
                        "unreadable meta.json"),
                broken("meta.json that is JSON null", f -> write(f.resolve("meta.json"), "null"), "unreadable meta.json"),
                broken("meta.json that is a JSON array", f -> write(f.resolve("meta.json"), "[1, 2]"), "unreadable meta.json"),
                broken("meta.json cut short", f -> write(f.resolve("meta.json"), "{\"question\": \"q"), "unreadable meta.json"),
                broken("meta.json with an unknown split", f -> write(f.resolve("meta.json"), "{\"split\": \"holdout\"}"),
                        "holdout"),
                broken("meta.json without a split", f -> write(f.resolve("meta.json"), "{\"question\": \"q\"}"),
                        "no \"split\" field"),
                broken("meta.json that is a folder", f -> {
                    delete(f.resolve("meta.json"));
                    mkdirs(f.resolve("meta.json"));
                }, "unreadable meta.json"),
                broken("user.wav that is a folder", f -> {
                    delete(f.resolve("user.wav"));
                    mkdirs(f.resolve("user.wav"));
                }, "is a directory"),
                broken("empty user.wav", f -> write(f.resolve("user.wav"), new byte[0]), "file is empty"),
                broken("assistant.wav that is an MP3 in disguise",
                        f -> write(f.resolve("assistant.wav"), new byte[] {'I', 'D', '3', 4, 0, 0, 0, 0, 0, 0, 0, 0, 0}),
                        "not a WAV file"));
    }

    private static Arguments broken(String what, Consumer<Path> damage, String reason) {
        return Arguments.of(what, damage, reason);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenPairs")
    void aBrokenPairIsNamedAndSkippedAndTheRestLoads(String what, Consumer<Path> damage, String reason) throws Exception {
        Path data = dir.resolve("data");
        TestAudio.pair(data, "conv_000001", Split.TRAIN, TestAudio.tone(3200, 1), TestAudio.tone(4800, 2), 16_000);
        Path bad = TestAudio.pair(data, "conv_000002", Split.TRAIN, TestAudio.tone(3200, 3), TestAudio.tone(4800, 4), 16_000);
        TestAudio.pair(data, "conv_000003", Split.VAL, TestAudio.tone(3200, 5), TestAudio.tone(4800, 6), 16_000);
        damage.accept(bad);
        Map<String, String> before = snapshot(data);

        ConversationCorpus corpus = ConversationCorpus.open(data);

        assertThat(corpus.pairs()).extracting(ConversationPair::id).containsExactly("conv_000001", "conv_000003");
        assertThat(corpus.problems()).singleElement().satisfies(p -> {
            assertThat(p.folder()).isEqualTo(bad);
            assertThat(p.toString()).startsWith(bad.toString()).contains(reason);
        });
        PairDataset codes = PairDataset.conversation(corpus, new CodeCache(dir.resolve("cache"), new FakeCodec("fp")), 2);
        assertThat(codes.pairs()).hasSize(2);
        assertThat(snapshot(data)).isEqualTo(before);
    }

    @Test
    void unicodeAndSpacesInEveryPathComponentWork() throws Exception {
        Path data = dir.resolve("డేటా with spaces").resolve("నా రికార్డింగ్స్ (2024)");
        TestAudio.pair(data, "సంభాషణ 1", Split.TRAIN, TestAudio.tone(3200, 1), TestAudio.tone(4800, 2), 22_050);
        TestAudio.pair(data, "conv #2 ✓", Split.VAL, TestAudio.tone(3200, 3), TestAudio.tone(4800, 4), 16_000);
        CodeCache cache = new CodeCache(dir.resolve("కాష్ dir"), new FakeCodec("fp"));

        ConversationCorpus corpus = ConversationCorpus.open(data);
        PairDataset codes = PairDataset.conversation(corpus, cache, 2);
        PairDataset again = PairDataset.conversation(ConversationCorpus.open(data), cache, 2);

        assertThat(corpus.problems()).isEmpty();
        assertThat(codes.pairs()).extracting(CodePair::id).containsExactly("conv #2 ✓", "సంభాషణ 1");
        assertThat(codes.problems()).isEmpty();
        assertThat(cache.hits()).isEqualTo(4);
        assertThat(again.pairs().get(1).input()).isDeepEqualTo(codes.pairs().get(1).input());
    }

    @Test
    void aWavDeclaringOneSampleASecondIsRefusedNotUpsampledForMinutes() throws Exception {
        Path data = dir.resolve("data");
        TestAudio.pair(data, "conv_000001", Split.TRAIN, TestAudio.tone(3200, 1), TestAudio.tone(4800, 2), 16_000);
        Path bad = TestAudio.pair(data, "conv_000002", Split.TRAIN, TestAudio.tone(3200, 3), TestAudio.tone(4800, 4), 16_000);
        // 40,000 frames at 1 Hz would become 640 million samples at 16 kHz.
        WavWriter.writePcm16(bad.resolve("user.wav"), new float[40_000], 1);

        PairDataset codes = PairDataset.conversation(ConversationCorpus.open(data),
                new CodeCache(dir.resolve("cache"), new FakeCodec("fp")), 1);

        assertThat(codes.pairs()).extracting(CodePair::id).containsExactly("conv_000001");
        assertThat(codes.problems()).singleElement().asString().contains("conv_000002").contains("user.wav")
                .contains("sample rate 1 Hz is too far from the 16000 Hz");
    }

    @Test
    void aWavWithNoSamplesMakesAnEmptyPairThatBatchesStillHandle() throws Exception {
        Path data = dir.resolve("data");
        TestAudio.pair(data, "conv_000001", Split.TRAIN, TestAudio.tone(3200, 1), TestAudio.tone(4800, 2), 16_000);
        TestAudio.pair(data, "conv_000002", Split.TRAIN, new float[0], new float[0], 16_000);

        PairDataset codes = PairDataset.conversation(ConversationCorpus.open(data),
                new CodeCache(dir.resolve("cache"), new FakeCodec("fp")), 1);
        List<Batch> batches = new BatchBuilder(codes, Split.TRAIN, BatchBuilder.Options.builder().batchSize(2).seed(1).build())
                .epoch(0);

        assertThat(codes.pairs()).hasSize(2);
        assertThat(batches).isNotEmpty();
    }

    @Test
    void aMissingOrFileDataFolderIsAClearError() throws IOException {
        Path file = Files.writeString(dir.resolve("conversations.txt"), "not a folder");
        assertThatThrownBy(() -> ConversationCorpus.open(file)).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("conversations.txt").hasMessageContaining("not a folder");
    }

    @Test
    void aDamagedCacheEntryIsRebuiltFromTheAudioNotTrusted() throws Exception {
        Path data = dir.resolve("data");
        Path pair = TestAudio.pair(data, "conv_000001", Split.TRAIN, TestAudio.tone(3200, 1), TestAudio.tone(4800, 2), 16_000);
        CodeCache cache = new CodeCache(dir.resolve("cache"), new FakeCodec("fp"));
        int[][] codes = cache.codes(pair.resolve("user.wav"));
        Path entry = cache.entryFor(Files.readAllBytes(pair.resolve("user.wav")));
        // An entry whose header declares 2^31-1 frames: parsed without allocating them.
        byte[] bytes = Files.readAllBytes(entry);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(16, Integer.MAX_VALUE);
        Files.write(entry, bytes);

        assertThat(cache.codes(pair.resolve("user.wav"))).isDeepEqualTo(codes);
        assertThat(cache.rebuilt()).isEqualTo(1);
    }

    @Test
    void unreadableAudioNamesTheFileWhenEncodingDirectly() throws IOException {
        Path wav = Files.write(dir.resolve("noise.wav"), "RIFF....WAVEjunk".getBytes(StandardCharsets.US_ASCII));
        CodeCache cache = new CodeCache(dir.resolve("cache"), new FakeCodec("fp"));
        assertThatThrownBy(() -> cache.codes(wav)).isInstanceOf(AudioFileException.class)
                .hasMessageStartingWith(wav.toString());
    }

    static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> out = new java.util.TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.toList()) {
                String rel = root.relativize(f).toString();
                out.put(rel, Files.isDirectory(f) ? "dir" : java.util.HexFormat.of().formatHex(
                        java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f))));
            }
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    private static void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void mkdirs(Path p) {
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path p, String text) {
        write(p, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void write(Path p, byte[] bytes) {
        try {
            Files.write(p, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
