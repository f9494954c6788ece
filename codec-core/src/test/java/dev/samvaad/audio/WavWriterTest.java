package dev.samvaad.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Round trips through {@link WavWriter} and {@link WavReader}, the exact bytes written, and atomicity. */
class WavWriterTest {

    @TempDir
    Path dir;

    @Test
    void pcm16RoundTripIsWithinOneQuantisationStep() {
        float[] mono = randomSamples(new Random(1), 4000);
        Path file = dir.resolve("pcm16.wav");

        WavWriter.writePcm16(file, mono, 16000);
        WavAudio audio = WavReader.read(file);

        assertThat(audio.format()).isEqualTo(new WavFormat(16000, 1, 16, SampleEncoding.PCM_SIGNED));
        assertThat(audio.frames()).isEqualTo(mono.length);
        for (int i = 0; i < mono.length; i++) {
            assertThat(audio.samples()[0][i]).isCloseTo(mono[i], within(1 / 32768f));
        }
    }

    @Test
    void pcm16ClampsAndRoundsToNearest() throws IOException {
        float step = 1 / 32768f;
        float[] mono = {0.5f, -1f, 1f, 1.5f, -7f, 1.4f * step, 1.6f * step, -1.6f * step};
        Path file = dir.resolve("exact.wav");

        WavWriter.writePcm16(file, mono, 8000);

        ByteBuffer bytes = bytesOf(file);
        assertThat(bytes.capacity()).isEqualTo(44 + 2 * mono.length);
        short[] data = new short[mono.length];
        bytes.position(44).asShortBuffer().get(data);
        assertThat(data).containsExactly(16384, -32768, 32767, 32767, -32768, 1, 2, -2);
    }

    @Test
    void pcm16HeaderFieldsAreCanonical() throws IOException {
        Path file = dir.resolve("header.wav");

        WavWriter.writePcm16(file, new float[10], 22050);

        ByteBuffer header = bytesOf(file);
        assertThat(id(header, 0)).isEqualTo("RIFF");
        assertThat(header.getInt(4)).isEqualTo(header.capacity() - 8);
        assertThat(id(header, 8)).isEqualTo("WAVE");
        assertThat(id(header, 12)).isEqualTo("fmt ");
        assertThat(header.getInt(16)).isEqualTo(16);
        assertThat(header.getShort(20)).isEqualTo((short) 1); // PCM
        assertThat(header.getShort(22)).isEqualTo((short) 1); // channels
        assertThat(header.getInt(24)).isEqualTo(22050);
        assertThat(header.getInt(28)).isEqualTo(22050 * 2); // byte rate
        assertThat(header.getShort(32)).isEqualTo((short) 2); // block align
        assertThat(header.getShort(34)).isEqualTo((short) 16);
        assertThat(id(header, 36)).isEqualTo("data");
        assertThat(header.getInt(40)).isEqualTo(20);
    }

    @Test
    void float32RoundTripIsExactAndHasFactChunk() throws IOException {
        float[] mono = randomSamples(new Random(2), 1000);
        mono[0] = 1.75f; // float files keep values outside [-1, 1]
        Path file = dir.resolve("float.wav");

        WavWriter.writeFloat32(file, mono, 48000);

        WavAudio audio = WavReader.read(file);
        assertThat(audio.format()).isEqualTo(new WavFormat(48000, 1, 32, SampleEncoding.IEEE_FLOAT));
        assertThat(audio.samples()[0]).containsExactly(mono);
        ByteBuffer header = bytesOf(file);
        assertThat(header.getInt(16)).isEqualTo(18); // fmt with cbSize
        assertThat(header.getShort(20)).isEqualTo((short) 3); // WAVE_FORMAT_IEEE_FLOAT
        assertThat(header.getShort(36)).isZero(); // cbSize
        assertThat(id(header, 38)).isEqualTo("fact");
        assertThat(header.getInt(42)).isEqualTo(4);
        assertThat(header.getInt(46)).isEqualTo(mono.length);
        assertThat(id(header, 50)).isEqualTo("data");
        assertThat(header.getInt(54)).isEqualTo(4 * mono.length);
        assertThat(header.getInt(4)).isEqualTo(header.capacity() - 8);
    }

    @Test
    void pcm24StereoRoundTripKeepsChannelOrder() {
        Random random = new Random(3);
        float[][] samples = {randomSamples(random, 501), randomSamples(random, 501)};
        WavAudio original = new WavAudio(new WavFormat(96000, 2, 32, SampleEncoding.IEEE_FLOAT), samples);
        Path file = dir.resolve("pcm24.wav");

        WavWriter.write(file, original, SampleEncoding.PCM_SIGNED, 24);
        WavAudio audio = WavReader.read(file);

        assertThat(audio.format()).isEqualTo(new WavFormat(96000, 2, 24, SampleEncoding.PCM_SIGNED));
        for (int channel = 0; channel < 2; channel++) {
            for (int frame = 0; frame < 501; frame++) {
                assertThat(audio.samples()[channel][frame])
                        .isCloseTo(samples[channel][frame], within(1 / 8388608f));
            }
        }
    }

    @Test
    void oddSizedDataGetsPadByte() throws IOException {
        float[] mono = {0.25f, -0.25f, 0.5f}; // 3 frames of 3 bytes: 9 data bytes
        WavAudio original = new WavAudio(new WavFormat(8000, 1, 32, SampleEncoding.IEEE_FLOAT), new float[][] {mono});
        Path file = dir.resolve("odd.wav");

        WavWriter.write(file, original, SampleEncoding.PCM_SIGNED, 24);

        ByteBuffer bytes = bytesOf(file);
        assertThat(bytes.getInt(40)).isEqualTo(9);
        assertThat(bytes.capacity()).isEqualTo(44 + 9 + 1);
        assertThat(bytes.getInt(4)).isEqualTo(bytes.capacity() - 8);
        assertThat(WavReader.read(file).samples()[0]).containsExactly(mono);
    }

    @Test
    void multiChannelSamplesAreInterleavedFrameByFrame() throws IOException {
        float[][] samples = {{0.1f, 0.4f}, {0.2f, 0.5f}, {0.3f, 0.6f}};
        WavAudio original = new WavAudio(new WavFormat(44100, 3, 32, SampleEncoding.IEEE_FLOAT), samples);
        Path file = dir.resolve("three.wav");

        WavWriter.write(file, original, SampleEncoding.IEEE_FLOAT, 32);

        float[] data = new float[6];
        bytesOf(file).position(58).asFloatBuffer().get(data);
        assertThat(data).containsExactly(0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f);
        WavAudio audio = WavReader.read(file);
        assertThat(audio).isEqualTo(original);
        assertThat(audio.toMono()).containsExactly(new float[] {0.2f, 0.5f}, within(1e-7f));
    }

    @Test
    void emptyAudioRoundTrips() {
        Path file = dir.resolve("empty.wav");

        WavWriter.writeFloat32(file, new float[0], 8000);

        WavAudio audio = WavReader.read(file);
        assertThat(audio.frames()).isZero();
        assertThat(audio.sampleRate()).isEqualTo(8000);
    }

    @Test
    void createsParentDirectories() {
        Path file = dir.resolve("a/b/c/nested.wav");

        WavWriter.writePcm16(file, new float[] {0.5f}, 8000);

        assertThat(WavReader.read(file).samples()[0]).containsExactly(0.5f);
    }

    @Test
    void replacesExistingFile() throws IOException {
        Path file = dir.resolve("replace.wav");
        WavWriter.writePcm16(file, new float[100], 8000);

        WavWriter.writeFloat32(file, new float[] {0.75f}, 16000);

        assertThat(WavReader.read(file).samples()[0]).containsExactly(0.75f);
        assertThat(filesIn(dir)).containsExactly("replace.wav");
    }

    @Test
    void unsupportedEncodingsAreRejected() throws IOException {
        WavAudio audio = new WavAudio(new WavFormat(8000, 1, 32, SampleEncoding.IEEE_FLOAT), new float[][] {{0f}});

        assertThatThrownBy(() -> WavWriter.write(dir.resolve("u8.wav"), audio, SampleEncoding.PCM_UNSIGNED, 8))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("writing 8-bit PCM_UNSIGNED is not supported");
        assertThatThrownBy(() -> WavWriter.write(dir.resolve("f64.wav"), audio, SampleEncoding.IEEE_FLOAT, 64))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("writing 64-bit IEEE_FLOAT is not supported");
        assertThatThrownBy(() -> WavWriter.write(dir.resolve("s12.wav"), audio, SampleEncoding.PCM_SIGNED, 12))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("12-bit samples are not supported for PCM_SIGNED");
        assertThat(filesIn(dir)).isEmpty();
    }

    @Test
    void framesTooWideForTheHeaderAreRejected() {
        float[][] samples = new float[40000][1];
        WavAudio wide = new WavAudio(new WavFormat(8000, 40000, 32, SampleEncoding.IEEE_FLOAT), samples);

        assertThatThrownBy(() -> WavWriter.write(dir.resolve("wide.wav"), wide, SampleEncoding.PCM_SIGNED, 16))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("need 80000 bytes per frame; WAV allows at most 65535");
    }

    @Test
    void invalidArgumentLeavesExistingFileUntouched() throws IOException {
        Path file = dir.resolve("keep.wav");
        WavWriter.writePcm16(file, randomSamples(new Random(4), 100), 8000);
        byte[] before = Files.readAllBytes(file);

        assertThatThrownBy(() -> WavWriter.writePcm16(file, new float[] {0.5f}, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sample rate must be positive, was 0");

        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        assertThat(filesIn(dir)).containsExactly("keep.wav");
    }

    @Test
    void failureWhileWritingSamplesLeavesExistingFileUntouchedAndNoTempFile() throws IOException {
        Path file = dir.resolve("keep.wav");
        WavWriter.writeFloat32(file, randomSamples(new Random(5), 100), 8000);
        byte[] before = Files.readAllBytes(file);
        float[] broken = randomSamples(new Random(6), 50_000); // spans several write buffers
        broken[40_000] = Float.NaN;

        assertThatThrownBy(() -> WavWriter.writePcm16(file, broken, 8000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sample NaN at frame 40000, channel 0 is not finite");

        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        assertThat(filesIn(dir)).containsExactly("keep.wav");
    }

    @Test
    void writingOverDirectoryFailsNamingIt() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("folder.wav"));

        assertThatThrownBy(() -> WavWriter.writePcm16(folder, new float[1], 8000))
                .isInstanceOf(AudioFileException.class)
                .hasMessage(folder + ": is a directory, not a file");
        assertThat(Files.isDirectory(folder)).isTrue();
    }

    @Test
    void unwritableLocationFailsNamingTheFile() throws IOException {
        Path blocker = Files.write(dir.resolve("not-a-folder"), new byte[] {1});
        Path file = blocker.resolve("x.wav");

        assertThatThrownBy(() -> WavWriter.writePcm16(file, new float[1], 8000))
                .isInstanceOf(AudioFileException.class)
                .hasMessageStartingWith(file + ": cannot write: FileAlreadyExistsException: " + blocker)
                .hasCauseInstanceOf(IOException.class);
        assertThat(filesIn(dir)).containsExactly("not-a-folder");
    }

    private static float[] randomSamples(Random random, int count) {
        float[] samples = new float[count];
        for (int i = 0; i < count; i++) {
            samples[i] = random.nextFloat() * 2 - 1;
        }
        return samples;
    }

    private static ByteBuffer bytesOf(Path file) throws IOException {
        return ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static String id(ByteBuffer buffer, int offset) {
        byte[] id = new byte[4];
        buffer.get(offset, id);
        return new String(id, StandardCharsets.US_ASCII);
    }

    private static List<String> filesIn(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }
}
