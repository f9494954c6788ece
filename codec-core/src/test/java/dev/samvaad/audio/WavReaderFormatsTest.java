package dev.samvaad.audio;

import static dev.samvaad.audio.WavBytes.float32;
import static dev.samvaad.audio.WavBytes.float64;
import static dev.samvaad.audio.WavBytes.int16;
import static dev.samvaad.audio.WavBytes.int24;
import static dev.samvaad.audio.WavBytes.int32;
import static dev.samvaad.audio.WavBytes.uint8;
import static dev.samvaad.audio.WavBytes.wav;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Decoding of hand-built files in every supported encoding and layout. */
class WavReaderFormatsTest {

    @TempDir
    Path dir;

    @Test
    void decodesUnsigned8BitPcm() {
        WavAudio audio = read(wav().pcm(1, 8000, 8).data(uint8(0, 64, 128, 255)));

        assertThat(audio.format()).isEqualTo(new WavFormat(8000, 1, 8, SampleEncoding.PCM_UNSIGNED));
        assertThat(audio.samples()[0]).containsExactly(-1f, -0.5f, 0f, 127 / 128f);
    }

    @Test
    void decodesSigned16BitPcm() {
        WavAudio audio = read(wav().pcm(1, 8000, 16).data(int16(-32768, -16384, 0, 1, 32767)));

        assertThat(audio.format()).isEqualTo(new WavFormat(8000, 1, 16, SampleEncoding.PCM_SIGNED));
        assertThat(audio.frames()).isEqualTo(5);
        assertThat(audio.durationSeconds()).isEqualTo(5 / 8000.0);
        assertThat(audio.samples()[0]).containsExactly(-1f, -0.5f, 0f, 1 / 32768f, 32767 / 32768f);
    }

    @Test
    void decodesSigned24BitPcmWithSignExtension() {
        WavAudio audio = read(wav().pcm(1, 22050, 24).data(int24(-8388608, -1, 1, 4194304, 8388607)));

        assertThat(audio.format()).isEqualTo(new WavFormat(22050, 1, 24, SampleEncoding.PCM_SIGNED));
        assertThat(audio.samples()[0])
                .containsExactly(-1f, -1 / 8388608f, 1 / 8388608f, 0.5f, 8388607 / 8388608f);
    }

    @Test
    void decodesSigned32BitPcm() {
        WavAudio audio = read(wav().pcm(1, 44100, 32)
                .data(int32(Integer.MIN_VALUE, -(1 << 30), 1 << 30, 1 << 7)));

        assertThat(audio.format()).isEqualTo(new WavFormat(44100, 1, 32, SampleEncoding.PCM_SIGNED));
        assertThat(audio.samples()[0]).containsExactly(-1f, -0.5f, 0.5f, 1 / 16777216f);
    }

    @Test
    void passesFloat32SamplesThroughExactlyEvenOutsideUnitRange() {
        float[] values = {0f, -1f, 0.123456789f, 1.5f, -3.25f, Float.MIN_VALUE};
        WavAudio audio = read(wav().ieeeFloat(1, 96000, 32).data(float32(values)));

        assertThat(audio.format()).isEqualTo(new WavFormat(96000, 1, 32, SampleEncoding.IEEE_FLOAT));
        assertThat(audio.samples()[0]).containsExactly(values);
    }

    @Test
    void convertsFloat64SamplesToFloat() {
        WavAudio audio = read(wav().ieeeFloat(1, 44100, 64).data(float64(0.25, -0.75, 0.1, 1e-3)));

        assertThat(audio.format()).isEqualTo(new WavFormat(44100, 1, 64, SampleEncoding.IEEE_FLOAT));
        assertThat(audio.samples()[0]).containsExactly(0.25f, -0.75f, 0.1f, 1e-3f);
    }

    @Test
    void decodesExtensiblePcm() {
        WavAudio audio = read(wav().extensible(WavBytes.PCM, 2, 48000, 24)
                .data(int24(4194304, -4194304, 1, -1)));

        assertThat(audio.format()).isEqualTo(new WavFormat(48000, 2, 24, SampleEncoding.PCM_SIGNED));
        assertThat(audio.samples()[0]).containsExactly(0.5f, 1 / 8388608f);
        assertThat(audio.samples()[1]).containsExactly(-0.5f, -1 / 8388608f);
    }

    @Test
    void decodesExtensibleFloat() {
        WavAudio audio = read(wav().extensible(WavBytes.FLOAT, 1, 16000, 32).data(float32(0.5f, -0.25f)));

        assertThat(audio.format()).isEqualTo(new WavFormat(16000, 1, 32, SampleEncoding.IEEE_FLOAT));
        assertThat(audio.samples()[0]).containsExactly(0.5f, -0.25f);
    }

    @Test
    void decodesExtensible8BitPcmAsUnsigned() {
        WavAudio audio = read(wav().extensible(WavBytes.PCM, 1, 8000, 8).data(uint8(0, 192)));

        assertThat(audio.format().encoding()).isEqualTo(SampleEncoding.PCM_UNSIGNED);
        assertThat(audio.samples()[0]).containsExactly(-1f, 0.5f);
    }

    @Test
    void deinterleavesStereo() {
        WavAudio audio = read(wav().pcm(2, 44100, 16).data(int16(100, -200, 300, -400, 500, -600)));

        assertThat(audio.channels()).isEqualTo(2);
        assertThat(audio.frames()).isEqualTo(3);
        assertThat(audio.samples()[0]).containsExactly(100 / 32768f, 300 / 32768f, 500 / 32768f);
        assertThat(audio.samples()[1]).containsExactly(-200 / 32768f, -400 / 32768f, -600 / 32768f);
    }

    @Test
    void deinterleavesThreeChannels() {
        WavAudio audio = read(wav().ieeeFloat(3, 22050, 32)
                .data(float32(0.1f, 0.2f, 0.3f, -0.1f, -0.2f, -0.3f)));

        assertThat(audio.channels()).isEqualTo(3);
        assertThat(audio.samples()[0]).containsExactly(0.1f, -0.1f);
        assertThat(audio.samples()[1]).containsExactly(0.2f, -0.2f);
        assertThat(audio.samples()[2]).containsExactly(0.3f, -0.3f);
    }

    @Test
    void skipsUnknownChunksIncludingOddSizedOnesWithPadBytes() {
        byte[] bytes = wav()
                .chunk("LIST", "INFOISFT\5\0\0\0test\0".getBytes(StandardCharsets.ISO_8859_1))
                .pcm(1, 8000, 16)
                .chunk("bext", new byte[] {1, 2, 3}) // odd: followed by a pad byte
                .chunk("junk", new byte[0])
                .data(int16(1000, -1000))
                .chunk("cue ", new byte[] {9, 9, 9, 9, 9}) // after data: never parsed
                .bytes();

        WavAudio audio = WavReader.read(bytes, "chunks.wav");

        assertThat(audio.samples()[0]).containsExactly(1000 / 32768f, -1000 / 32768f);
    }

    @Test
    void honoursPadByteAfterOddSizedDataAndTrailingChunk() {
        WavAudio audio = read(wav().pcm(1, 8000, 8).data(uint8(128, 255, 0)).chunk("id3 ", uint8(1, 2, 3)));

        assertThat(audio.samples()[0]).containsExactly(0f, 127 / 128f, -1f);
    }

    @Test
    void dropsPartialTrailingFrame() {
        // Stereo 16-bit frames are 4 bytes; 10 bytes hold two frames and half of a third.
        WavAudio audio = read(wav().pcm(2, 8000, 16).data(int16(1, 2, 3, 4, 5)));

        assertThat(audio.frames()).isEqualTo(2);
        assertThat(audio.samples()[0]).containsExactly(1 / 32768f, 3 / 32768f);
        assertThat(audio.samples()[1]).containsExactly(2 / 32768f, 4 / 32768f);
    }

    @Test
    void readsEmptyDataChunkAsZeroFrames() {
        WavAudio audio = read(wav().pcm(2, 44100, 16).data(new byte[0]));

        assertThat(audio.frames()).isZero();
        assertThat(audio.durationSeconds()).isZero();
        assertThat(audio.toMono()).isEmpty();
    }

    @Test
    void ignoresWrongRiffSizeField() {
        byte[] bytes = wav().pcm(1, 8000, 16).data(int16(7, 8)).bytes();
        System.arraycopy(WavBytes.le32(0), 0, bytes, 4, 4); // as left by an interrupted streaming writer

        assertThat(WavReader.read(bytes, "streamed.wav").samples()[0]).containsExactly(7 / 32768f, 8 / 32768f);
    }

    @Test
    void readsSameAudioFromPathAndBytes() {
        WavBytes file = wav().pcm(2, 44100, 24).data(int24(1, 2, 3, 4));

        WavAudio fromPath = WavReader.read(file.saveAs(dir.resolve("a.wav")));
        WavAudio fromBytes = WavReader.read(file.bytes(), "a.wav");

        assertThat(fromPath).isEqualTo(fromBytes);
    }

    @Test
    void probeReturnsFormatWithoutDecodingSamples() {
        Path file = wav().chunk("LIST", new byte[100]).ieeeFloat(2, 96000, 64)
                .data(float64(Double.NaN, 0.0)).saveAs(dir.resolve("probe.wav"));

        assertThat(WavReader.probe(file)).isEqualTo(new WavFormat(96000, 2, 64, SampleEncoding.IEEE_FLOAT));
        assertThatThrownBy(() -> WavReader.read(file))
                .isInstanceOf(AudioFileException.class)
                .hasMessageContaining("NaN");
    }

    private WavAudio read(WavBytes file) {
        return WavReader.read(file.saveAs(dir.resolve("test.wav")));
    }
}
