package dev.samvaad.audio;

import static dev.samvaad.audio.WavBytes.float32;
import static dev.samvaad.audio.WavBytes.int16;
import static dev.samvaad.audio.WavBytes.wav;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property: any damaged file either reads or fails with an {@link AudioFileException} naming the
 * source, never with another exception, and quickly.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class WavReaderRobustnessTest {

    private static final int FRAMES = 24;

    @TempDir
    Path dir;

    @Test
    void everyTruncationReadsOrFailsCleanly() throws IOException {
        byte[] full = stereoPcmWithExtraChunks();
        int dataEnd = full.length - 8 - 6; // the trailing 'cue ' chunk is 8 + 5 + pad bytes
        int successes = 0;
        for (int length = 0; length <= full.length; length++) {
            byte[] truncated = Arrays.copyOf(full, length);
            Path file = Files.write(dir.resolve("cut.wav"), truncated);

            Optional<WavAudio> audio = readOrReject("cut-" + length, name -> WavReader.read(truncated, name));
            Optional<WavFormat> probed = readOrReject(file.toString(), name -> WavReader.probe(file));

            // Everything up to the end of the data chunk is needed; what follows it is not.
            assertThat(audio.isPresent()).as("read of %d bytes", length).isEqualTo(length >= dataEnd);
            assertThat(probed).isEqualTo(audio.map(WavAudio::format));
            if (audio.isPresent()) {
                assertThat(audio.get().frames()).isEqualTo(FRAMES);
                successes++;
            }
        }
        assertThat(successes).isEqualTo(full.length - dataEnd + 1);
    }

    @Test
    void randomHeaderCorruptionReadsOrFailsCleanly() {
        byte[] original = stereoPcmWithExtraChunks();
        int headerLength = original.length - FRAMES * 4 - 14;
        Random random = new Random(0x5A4D_7661_6164L);
        int failures = 0;
        for (int trial = 0; trial < 400; trial++) {
            byte[] corrupt = original.clone();
            int flips = 1 + random.nextInt(3);
            for (int i = 0; i < flips; i++) {
                corrupt[random.nextInt(headerLength)] = (byte) random.nextInt(256);
            }
            if (readOrReject("flip-" + trial, name -> WavReader.read(corrupt, name)).isEmpty()) {
                failures++;
            }
        }
        // Most single-byte changes to a header make it invalid; some (e.g. in the LIST body) do not.
        assertThat(failures).isBetween(100, 399);
    }

    @Test
    void randomCorruptionAnywhereInFloatFileReadsOrFailsCleanly() {
        float[] samples = new float[64];
        Random random = new Random(42);
        for (int i = 0; i < samples.length; i++) {
            samples[i] = random.nextFloat() * 2 - 1;
        }
        byte[] original = wav().extensible(WavBytes.FLOAT, 2, 48000, 32).data(float32(samples)).bytes();
        for (int trial = 0; trial < 300; trial++) {
            byte[] corrupt = original.clone();
            corrupt[random.nextInt(corrupt.length)] = (byte) random.nextInt(256);
            // 0x7F or 0xFF in a float's top byte can make it NaN or infinite.
            corrupt[random.nextInt(corrupt.length)] = (byte) (random.nextBoolean() ? 0x7F : 0xFF);
            readOrReject("float-" + trial, name -> WavReader.read(corrupt, name));
        }
    }

    private static byte[] stereoPcmWithExtraChunks() {
        int[] samples = new int[FRAMES * 2];
        Random random = new Random(7);
        for (int i = 0; i < samples.length; i++) {
            samples[i] = random.nextInt(65536) - 32768;
        }
        return wav()
                .chunk("LIST", "INFOISFT".getBytes(StandardCharsets.US_ASCII))
                .pcm(2, 44100, 16)
                .chunk("bext", new byte[] {1, 2, 3})
                .data(int16(samples))
                .chunk("cue ", new byte[] {1, 2, 3, 4, 5})
                .bytes();
    }

    /** @return the result, or empty if the source was rejected with a proper exception */
    private static <T> Optional<T> readOrReject(String sourceName, Function<String, T> read) {
        try {
            return Optional.of(read.apply(sourceName));
        } catch (AudioFileException e) {
            assertThat(e).hasMessageStartingWith(sourceName + ": ");
            return Optional.empty();
        }
    }
}
