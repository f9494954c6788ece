package dev.samvaad.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.samvaad.io.CheckpointException;
import dev.samvaad.metrics.LogMelDistance;
import dev.samvaad.metrics.Stoi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The codec API on a small codec trained in the test: round trips, streaming, bitrates, checkpoints. */
class RvqCodecTest {
    private static RvqCodec codec;
    private static List<float[]> heldOut;

    /** Speech-like material: gliding vowels of several voices with noise bursts and pauses. */
    static float[] utterance(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<float[]> parts = new ArrayList<>();
        for (int syllable = 0; syllable < 6; syllable++) {
            double f0 = 90 + rng.nextDouble() * 160;
            parts.add(VocoderTest.vowel(0.15 + rng.nextDouble() * 0.2, f0, f0 * (0.8 + rng.nextDouble() * 0.4), rng.nextLong()));
            float[] burst = new float[800 + rng.nextInt(1600)];
            for (int i = 0; i < burst.length; i++) {
                burst[i] = (float) (0.03 * rng.nextGaussian() * (i % 7 == 0 ? 1 : 0.5));
            }
            parts.add(burst);
            parts.add(new float[400 + rng.nextInt(1200)]);
        }
        return VocoderTest.concat(parts);
    }

    @BeforeAll
    static void train() {
        List<float[]> training = new ArrayList<>();
        for (int s = 0; s < 24; s++) {
            training.add(utterance(100 + s));
        }
        codec = CodecTrainer.trainOnSignals(training, CodecTrainer.Options.defaults().withCodebooks(4, 64).withIterations(10));
        heldOut = List.of(utterance(7), utterance(8), utterance(9));
    }

    @Test
    void describesItself() {
        assertThat(codec.sampleRate()).isEqualTo(16_000);
        assertThat(codec.hopSize()).isEqualTo(320);
        assertThat(codec.frameRate()).isEqualTo(50.0);
        assertThat(codec.codebooks()).isEqualTo(4);
        assertThat(codec.codebookSize()).isEqualTo(64);
        assertThat(codec.bitrate()).isEqualTo(50 * 4 * 6.0);
        assertThat(codec.bitrate(2)).isEqualTo(50 * 2 * 6.0);
        assertThat(codec.algorithmicLatencyMs()).isEqualTo(40.0);
        assertThat(codec.fingerprint()).hasSize(16);
    }

    @Test
    void encodeGivesOneCodePerCodebookPerFrame() {
        for (int n : new int[] {0, 1, 319, 320, 321, 16_000, 16_001}) {
            int[][] codes = codec.encode(new float[n]);
            assertThat(codes.length).isEqualTo(4);
            for (int[] book : codes) {
                assertThat(book).hasSize((n + 319) / 320);
                for (int c : book) {
                    assertThat(c).isBetween(0, 63);
                }
            }
            assertThat(codec.decode(codes)).hasSize(codes[0].length * 320);
        }
    }

    @Test
    void roundTripKeepsTheSpeechAndMoreCodebooksAreBetter() {
        double previousStoi = 0, previousLogMel = Double.POSITIVE_INFINITY;
        for (int q = 1; q <= codec.codebooks(); q++) {
            double stoi = 0, logMel = 0;
            for (float[] x : heldOut) {
                float[] y = Arrays.copyOf(codec.decode(codec.encode(x), q), x.length);
                stoi += Stoi.compute(x, y, 16_000) / heldOut.size();
                logMel += LogMelDistance.compute(x, y, 16_000) / heldOut.size();
            }
            System.out.printf("q=%d: STOI %.3f, log-mel %.2f dB%n", q, stoi, logMel);
            assertThat(stoi).as("STOI with %d codebooks", q).isGreaterThan(previousStoi - 0.005);
            assertThat(logMel).as("log-mel with %d codebooks", q).isLessThan(previousLogMel + 0.05);
            previousStoi = Math.max(previousStoi, stoi);
            previousLogMel = Math.min(previousLogMel, logMel);
        }
        assertThat(previousStoi).isGreaterThan(0.7);
    }

    @Test
    void streamingEncoderAndDecoderEqualTheBatchCalls() {
        float[] x = heldOut.get(0);
        int[][] batchCodes = codec.encode(x);
        SplittableRandom rng = new SplittableRandom(4);
        for (int trial = 0; trial < 5; trial++) {
            AudioCodec.Encoder encoder = codec.newEncoder();
            int[][] streamed = new int[4][0];
            for (int i = 0; i < x.length; ) {
                int chunk = Math.min(x.length - i, trial == 0 ? 1 : rng.nextInt(2000));
                streamed = RvqCodec.concat(streamed, encoder.push(Arrays.copyOfRange(x, i, i + chunk)));
                i += chunk;
            }
            streamed = RvqCodec.concat(streamed, encoder.finish());
            for (int q = 0; q < 4; q++) {
                assertThat(streamed[q]).containsExactly(batchCodes[q]);
            }
        }
        for (int q = 1; q <= 4; q++) {
            float[] batch = codec.decode(batchCodes, q);
            AudioCodec.Decoder decoder = codec.newDecoder(q);
            float[] streamed = new float[0];
            for (int t = 0; t < batchCodes[0].length; t++) {
                int[] frame = {batchCodes[0][t], batchCodes[1][t], batchCodes[2][t], batchCodes[3][t]};
                float[] pcm = decoder.push(frame);
                assertThat(pcm).hasSize(t == 0 ? 160 : 320);
                streamed = append(streamed, pcm);
            }
            streamed = append(streamed, decoder.finish());
            assertThat(streamed).containsExactly(batch);
        }
    }

    @Test
    void checkpointRoundTripKeepsEveryCodeAndTheFingerprint(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("codec ✓.smvd");
        codec.save(file);
        RvqCodec loaded = RvqCodec.load(file);
        assertThat(loaded.fingerprint()).isEqualTo(codec.fingerprint());
        float[] x = heldOut.get(1);
        int[][] codes = codec.encode(x);
        int[][] again = loaded.encode(x);
        for (int q = 0; q < 4; q++) {
            assertThat(again[q]).containsExactly(codes[q]);
        }
        assertThat(loaded.decode(codes)).containsExactly(codec.decode(codes));

        byte[] bytes = Files.readAllBytes(file);
        Path truncated = dir.resolve("truncated.smvd");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> RvqCodec.load(truncated)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("truncated.smvd").hasMessageContaining("truncated");
        Path flipped = dir.resolve("flipped.smvd");
        bytes[bytes.length - 100] ^= 0x10;
        Files.write(flipped, bytes);
        assertThatThrownBy(() -> RvqCodec.load(flipped)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("flipped.smvd").hasMessageContaining("checksum");
    }

    @Test
    void badCodesAndCountsAreRefusedClearly() {
        int[][] codes = codec.encode(heldOut.get(2));
        assertThatThrownBy(() -> codec.decode(codes, 5)).isInstanceOf(CodecException.class).hasMessageContaining("1..4");
        assertThatThrownBy(() -> codec.decode(codes, 0)).isInstanceOf(CodecException.class);
        int[][] bad = {codes[0].clone(), codes[1], codes[2], codes[3]};
        bad[0][3] = 64;
        assertThatThrownBy(() -> codec.decode(bad)).isInstanceOf(CodecException.class)
                .hasMessageContaining("code 64 at codebook 0, frame 3 is outside [0, 64)");
        int[][] ragged = {codes[0], Arrays.copyOf(codes[1], 2), codes[2], codes[3]};
        assertThatThrownBy(() -> codec.decode(ragged)).isInstanceOf(CodecException.class)
                .hasMessageContaining("codebook 1 has 2 frames");
        int[][] badLast = {codes[0], codes[1], codes[2], new int[] {-1}};
        assertThat(codec.decode(badLast, 3)).as("codebooks not used are not read").hasSize(codes[0].length * codec.hopSize());
    }

    @Test
    void tooLittleAudioToTrainIsAClearError() {
        assertThatThrownBy(() -> CodecTrainer.trainOnSignals(List.of(new float[16_000]),
                CodecTrainer.Options.defaults().withCodebooks(2, 1024)))
                .isInstanceOf(CodecException.class).hasMessageContaining("50 frames").hasMessageContaining("1024");
    }

    private static float[] append(float[] a, float[] b) {
        float[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
