package dev.samvaad.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.samvaad.audio.AudioFileException;
import dev.samvaad.audio.AudioIO;
import dev.samvaad.audio.WavWriter;
import dev.samvaad.codec.AudioCodec;
import dev.samvaad.codec.CodecTrainer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CodeCacheTest {
    @TempDir
    Path dir;

    private Path wav(String name, float[] pcm, int rate) {
        Path file = dir.resolve("audio").resolve(name);
        WavWriter.writePcm16(file, pcm, rate);
        return file;
    }

    private static int[][] fresh(AudioCodec codec, Path wav) {
        return codec.encode(AudioIO.readMono(wav, codec.sampleRate()));
    }

    private Path entryOf(Path wav, String fingerprint) throws Exception {
        byte[] sha = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(wav));
        return dir.resolve("cache").resolve(fingerprint).resolve(HexFormat.of().formatHex(sha).substring(0, 32) + ".codes");
    }

    @Test
    void encodesOnceThenAnswersFromTheEntryWithARealCodec() throws Exception {
        List<float[]> training = new ArrayList<>();
        for (int s = 0; s < 6; s++) {
            training.add(TestAudio.tone(8_000, s));
        }
        AudioCodec codec = CodecTrainer.trainOnSignals(training,
                CodecTrainer.Options.defaults().withCodebooks(2, 16).withIterations(3));
        // 22.05 kHz, so the cache's own read must resample exactly as AudioIO.readMono does.
        Path wav = wav("q.wav", TestAudio.tone(11_025, 3), 22_050);
        CodeCache cache = new CodeCache(dir.resolve("cache"), codec);

        int[][] first = cache.codes(wav);
        int[][] second = cache.codes(wav);

        int[][] expected = fresh(codec, wav);
        assertThat(expected).hasNumberOfRows(2);
        assertThat(expected[0]).hasSize(25); // 0.5 s at 50 frames/s
        assertThat(first).isDeepEqualTo(expected);
        assertThat(second).isDeepEqualTo(expected).isNotSameAs(first);
        assertThat(cache.misses()).isEqualTo(1);
        assertThat(cache.hits()).isEqualTo(1);
        assertThat(cache.rebuilt()).isZero();
        Path entry = entryOf(wav, codec.fingerprint());
        assertThat(entry).exists();
        assertThat(Files.size(entry)).isEqualTo(8 + 12 + 4 * 2 * 25 + 8);
    }

    @Test
    void theEntryFormatIsAsDocumented() throws Exception {
        FakeCodec codec = new FakeCodec("fake-a");
        Path wav = wav("q.wav", TestAudio.tone(800, 1), 16_000);
        int[][] codes = new CodeCache(dir.resolve("cache"), codec).codes(wav);

        byte[] bytes = Files.readAllBytes(entryOf(wav, "fake-a"));
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new String(bytes, 0, 8, StandardCharsets.US_ASCII)).isEqualTo("SMVDCODE");
        assertThat(b.getInt(8)).isEqualTo(1);
        assertThat(b.getInt(12)).isEqualTo(2);
        assertThat(b.getInt(16)).isEqualTo(5);
        assertThat(b.getInt(20 + 4 * 5)).isEqualTo(codes[1][0]);
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 8);
        assertThat(b.getLong(bytes.length - 8)).isEqualTo(crc.getValue());
    }

    @Test
    void changedBytesAreANewKey() throws Exception {
        FakeCodec codec = new FakeCodec("fake-a");
        CodeCache cache = new CodeCache(dir.resolve("cache"), codec);
        Path wav = wav("q.wav", TestAudio.tone(3_200, 1), 16_000);
        int[][] before = cache.codes(wav);
        Path oldEntry = entryOf(wav, "fake-a");

        WavWriter.writePcm16(wav, TestAudio.tone(3_200, 2), 16_000);
        int[][] after = cache.codes(wav);

        assertThat(codec.encodes()).isEqualTo(2);
        assertThat(cache.misses()).isEqualTo(2);
        assertThat(cache.hits()).isZero();
        assertThat(after).isDeepEqualTo(fresh(new FakeCodec("x"), wav));
        assertThat(Arrays.deepEquals(before, after)).isFalse();
        assertThat(entryOf(wav, "fake-a")).exists().isNotEqualTo(oldEntry);
        assertThat(oldEntry).exists();
    }

    @Test
    void anotherCodecKeepsItsOwnEntries() throws Exception {
        Path wav = wav("q.wav", TestAudio.tone(1_600, 4), 16_000);
        FakeCodec a = new FakeCodec("fake-a");
        FakeCodec b = new FakeCodec("fake-b");
        CodeCache cacheA = new CodeCache(dir.resolve("cache"), a);
        CodeCache cacheB = new CodeCache(dir.resolve("cache"), b);

        cacheA.codes(wav);
        cacheB.codes(wav);
        cacheA.codes(wav);

        assertThat(cacheA.misses()).isEqualTo(1);
        assertThat(cacheA.hits()).isEqualTo(1);
        assertThat(cacheB.misses()).isEqualTo(1);
        assertThat(cacheB.hits()).isZero();
        assertThat(a.encodes()).isEqualTo(1);
        assertThat(b.encodes()).isEqualTo(1);
        assertThat(entryOf(wav, "fake-a")).exists();
        assertThat(entryOf(wav, "fake-b")).exists();
    }

    static Stream<Arguments> damage() {
        return Stream.of(
                Arguments.of("flipped code byte", (UnaryOperator<byte[]>) e -> flip(e, 24)),
                Arguments.of("flipped CRC byte", (UnaryOperator<byte[]>) e -> flip(e, e.length - 3)),
                Arguments.of("bad magic", (UnaryOperator<byte[]>) e -> flip(e, 0)),
                Arguments.of("truncated", (UnaryOperator<byte[]>) e -> Arrays.copyOf(e, e.length - 5)),
                Arguments.of("only half a header", (UnaryOperator<byte[]>) e -> Arrays.copyOf(e, 10)),
                Arguments.of("empty", (UnaryOperator<byte[]>) e -> new byte[0]),
                Arguments.of("three codebooks, valid CRC", (UnaryOperator<byte[]>) e -> entry(3, 2, 1)),
                Arguments.of("code 16 of 16, valid CRC", (UnaryOperator<byte[]>) e -> entry(2, 2, 16)),
                Arguments.of("negative code, valid CRC", (UnaryOperator<byte[]>) e -> entry(2, 2, -1)));
    }

    private static byte[] flip(byte[] bytes, int at) {
        byte[] copy = bytes.clone();
        copy[at] ^= 0x5A;
        return copy;
    }

    /** A well-formed entry of {@code q x t} copies of {@code code}. */
    private static byte[] entry(int q, int t, int code) {
        ByteBuffer b = ByteBuffer.allocate(20 + 4 * q * t + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.put("SMVDCODE".getBytes(StandardCharsets.US_ASCII)).putInt(1).putInt(q).putInt(t);
        for (int i = 0; i < q * t; i++) {
            b.putInt(code);
        }
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, b.position());
        return b.putLong(crc.getValue()).array();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damage")
    void aDamagedEntryIsRebuiltAndWarnedAbout(String what, UnaryOperator<byte[]> damage) throws Exception {
        FakeCodec codec = new FakeCodec("fake-a");
        CodeCache cache = new CodeCache(dir.resolve("cache"), codec);
        Path wav = wav("q.wav", TestAudio.tone(1_000, 5), 16_000);
        cache.codes(wav);
        Path entry = entryOf(wav, "fake-a");
        byte[] good = Files.readAllBytes(entry);
        Files.write(entry, damage.apply(good));

        int[][][] rebuilt = new int[1][][];
        String log = TestAudio.stderrOf(() -> rebuilt[0] = cache.codes(wav));

        assertThat(log).contains("WARN").contains(entry.toString());
        assertThat(rebuilt[0]).isDeepEqualTo(fresh(codec, wav));
        assertThat(cache.rebuilt()).isEqualTo(1);
        assertThat(cache.misses()).isEqualTo(2);
        assertThat(Files.readAllBytes(entry)).isEqualTo(good);
        assertThat(cache.codes(wav)).isDeepEqualTo(rebuilt[0]);
        assertThat(cache.hits()).isEqualTo(1);
    }

    @Test
    void fourThreadsAtOnceGetTheSameCodes() throws Exception {
        FakeCodec codec = new FakeCodec("fake-a");
        CodeCache cache = new CodeCache(dir.resolve("cache"), codec);
        List<Path> wavs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            wavs.add(wav("f" + i + ".wav", TestAudio.tone(2_000 + 160 * i, i), 16_000));
        }
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<List<int[][]>>> results = new ArrayList<>();
        try {
            for (int w = 0; w < 4; w++) {
                int offset = w;
                Callable<List<int[][]>> worker = () -> {
                    start.await();
                    int[][][] got = new int[wavs.size()][][];
                    // Each worker starts at a different file, so misses and hits interleave.
                    for (int i = 0; i < wavs.size(); i++) {
                        int f = (i + 2 * offset) % wavs.size();
                        got[f] = cache.codes(wavs.get(f));
                    }
                    return Arrays.asList(got);
                };
                results.add(pool.submit(worker));
            }
            start.countDown();
            for (Future<List<int[][]>> result : results) {
                List<int[][]> got = result.get();
                for (int f = 0; f < wavs.size(); f++) {
                    assertThat(got.get(f)).isDeepEqualTo(fresh(new FakeCodec("x"), wavs.get(f)));
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(cache.hits() + cache.misses()).isEqualTo(32);
        assertThat(cache.misses()).isBetween(8, 32).isEqualTo(codec.encodes());
        assertThat(cache.rebuilt()).isZero();
        try (Stream<Path> entries = Files.list(dir.resolve("cache").resolve("fake-a"))) {
            assertThat(entries.map(p -> p.getFileName().toString())).hasSize(8).allMatch(n -> n.endsWith(".codes"));
        }
    }

    @Test
    void unreadableAudioIsAnAudioFileErrorNamingTheFile() throws IOException {
        CodeCache cache = new CodeCache(dir.resolve("cache"), new FakeCodec("fake-a"));
        Path garbage = dir.resolve("garbage.wav");
        Files.writeString(garbage, "not audio");

        assertThatThrownBy(() -> cache.codes(garbage)).isInstanceOf(AudioFileException.class)
                .hasMessageContaining("garbage.wav");
        assertThatThrownBy(() -> cache.codes(dir.resolve("missing.wav"))).isInstanceOf(AudioFileException.class)
                .hasMessageContaining("missing.wav");
        assertThat(cache.misses()).isEqualTo(1);
    }

    @Test
    void aFingerprintThatCannotNameAFolderIsRefused() {
        for (String bad : new String[] {"", "..", "a/b", "../up", ".hidden"}) {
            assertThatThrownBy(() -> new CodeCache(dir, new FakeCodec(bad)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fingerprint");
        }
    }

    @Test
    void anEntryMadeFromBytesIsTheEntryThatCodesWritesAndIsRecognisedAsValid() throws Exception {
        List<float[]> training = new ArrayList<>();
        for (int s = 0; s < 4; s++) {
            training.add(TestAudio.tone(8_000, s));
        }
        AudioCodec codec = CodecTrainer.trainOnSignals(training,
                CodecTrainer.Options.defaults().withCodebooks(2, 8).withIterations(2));
        Path wav = wav("a.wav", TestAudio.tone(8_000, 2), 16_000);
        CodeCache cache = new CodeCache(dir.resolve("cache"), codec);
        byte[] audio = Files.readAllBytes(wav);

        byte[] entry = cache.encodeEntry(audio, "hdfs://nn/data/conv_000001/a.wav");
        cache.codes(wav);

        Path written = entryOf(wav, codec.fingerprint());
        assertThat(dir.resolve("cache").resolve(cache.entryName(audio))).isEqualTo(written);
        assertThat(entry).isEqualTo(Files.readAllBytes(written));
        assertThat(cache.isValidEntry(entry)).isTrue();
        byte[] damaged = entry.clone();
        damaged[24] ^= 1;
        assertThat(cache.isValidEntry(damaged)).isFalse();
        assertThat(cache.isValidEntry(Arrays.copyOf(entry, 10))).isFalse();
        assertThatThrownBy(() -> cache.encodeEntry("not a wav".getBytes(StandardCharsets.US_ASCII),
                "hdfs://nn/data/conv_000002/user.wav")).isInstanceOf(AudioFileException.class)
                .hasMessageContaining("hdfs://nn/data/conv_000002/user.wav");
    }
}
