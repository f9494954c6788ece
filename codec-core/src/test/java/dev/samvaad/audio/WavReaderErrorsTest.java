package dev.samvaad.audio;

import static dev.samvaad.audio.WavBytes.float32;
import static dev.samvaad.audio.WavBytes.float64;
import static dev.samvaad.audio.WavBytes.int16;
import static dev.samvaad.audio.WavBytes.wav;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every kind of bad input is refused with an {@link AudioFileException} that names the source and
 * the problem, both when read from a file and from memory, and by {@link WavReader#probe} where
 * the problem lies in the header.
 */
class WavReaderErrorsTest {

    @TempDir
    Path dir;

    @Test
    void emptyFile() {
        assertHeaderRejected(new byte[0], "file is empty");
    }

    @Test
    void fileShorterThanRiffHeader() {
        assertHeaderRejected("RIFF\0\0\0\0".getBytes(StandardCharsets.ISO_8859_1),
                "file is only 8 bytes, too short for a RIFF/WAVE header");
    }

    @Test
    void oggFile() {
        assertHeaderRejected(wav().magic("OggS").pcm(1, 8000, 16).data(int16(0)).bytes(),
                "not a WAV file (starts with 'OggS')");
    }

    @Test
    void binaryMagicIsShownInHex() {
        assertHeaderRejected(wav().magic("\u007fELF").pcm(1, 8000, 16).data(int16(0)).bytes(),
                "not a WAV file (starts with bytes 7F 45 4C 46)");
    }

    @Test
    void bigEndianRifx() {
        assertHeaderRejected(wav().magic("RIFX").pcm(1, 8000, 16).data(int16(0)).bytes(),
                "RIFX (big-endian RIFF) files are not supported");
    }

    @Test
    void rf64() {
        assertHeaderRejected(wav().magic("RF64").pcm(1, 8000, 16).data(int16(0)).bytes(),
                "RF64 (64-bit RIFF) files are not supported");
    }

    @Test
    void riffThatIsNotWave() {
        assertHeaderRejected(wav().form("AVI ").bytes(), "RIFF form type is 'AVI ', expected 'WAVE'");
    }

    @Test
    void noChunksAtAll() {
        assertHeaderRejected(wav().bytes(), "no 'fmt ' chunk found");
    }

    @Test
    void dataWithoutFmt() {
        assertHeaderRejected(wav().chunk("LIST", new byte[4]).data(int16(1, 2)).bytes(),
                "no 'fmt ' chunk before the 'data' chunk");
    }

    @Test
    void fmtAfterData() {
        assertHeaderRejected(wav().data(int16(1, 2)).pcm(1, 8000, 16).bytes(),
                "no 'fmt ' chunk before the 'data' chunk");
    }

    @Test
    void missingDataChunk() {
        assertHeaderRejected(wav().pcm(1, 8000, 16).chunk("LIST", new byte[10]).bytes(),
                "no 'data' chunk found");
    }

    @Test
    void duplicateFmtChunk() {
        assertHeaderRejected(wav().pcm(1, 8000, 16).pcm(2, 8000, 16).data(int16(1, 2)).bytes(),
                "more than one 'fmt ' chunk");
    }

    @Test
    void fmtChunkTooShort() {
        byte[] shortFmt = new byte[14];
        System.arraycopy(WavBytes.fmtBody(1, 1, 8000, 2, 16), 0, shortFmt, 0, 14);
        assertHeaderRejected(wav().chunk("fmt ", shortFmt).data(int16(1)).bytes(),
                "'fmt ' chunk is 14 bytes, shorter than the 16-byte minimum");
    }

    @Test
    void extensibleFmtChunkTooShort() {
        assertHeaderRejected(wav().fmt(WavBytes.EXTENSIBLE, 1, 8000, 2, 16).data(int16(1)).bytes(),
                "WAVE_FORMAT_EXTENSIBLE 'fmt ' chunk is 16 bytes, shorter than the 40 bytes it needs");
    }

    @Test
    void zeroChannels() {
        assertHeaderRejected(wav().fmt(WavBytes.PCM, 0, 8000, 0, 16).data(int16(1)).bytes(),
                "'fmt ' chunk declares zero channels");
    }

    @Test
    void zeroSampleRate() {
        assertHeaderRejected(wav().pcm(1, 0, 16).data(int16(1)).bytes(),
                "'fmt ' chunk declares a sample rate of 0 Hz");
    }

    @Test
    void sampleRateBeyondIntRange() {
        assertHeaderRejected(wav().pcm(1, 0xC000_0000, 16).data(int16(1)).bytes(),
                "sample rate 3221225472 Hz is out of range");
    }

    @Test
    void unsupportedPcmSampleSize() {
        assertHeaderRejected(wav().fmt(WavBytes.PCM, 1, 8000, 2, 12).data(int16(1)).bytes(),
                "12 bits per sample is not supported for PCM (supported: 8, 16, 24, 32)");
    }

    @Test
    void unsupportedFloatSampleSize() {
        assertHeaderRejected(wav().ieeeFloat(1, 8000, 16).data(int16(1)).bytes(),
                "16 bits per sample is not supported for IEEE float (supported: 32, 64)");
    }

    @Test
    void blockAlignInconsistentWithChannelsAndSampleSize() {
        assertHeaderRejected(wav().fmt(WavBytes.PCM, 2, 8000, 3, 16).data(int16(1, 2)).bytes(),
                "block align 3 is inconsistent with 2 channel(s) of 16-bit samples (expected 4)");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0x0002 | unsupported format tag 0x0002 (MS ADPCM)",
        "0x0006 | unsupported format tag 0x0006 (A-law)",
        "0x0007 | unsupported format tag 0x0007 (mu-law)",
        "0x0011 | unsupported format tag 0x0011 (IMA ADPCM)",
        "0x0050 | unsupported format tag 0x0050 (MPEG)",
        "0x0055 | unsupported format tag 0x0055 (MPEG Layer 3)",
        "0x0161 | unsupported format tag 0x0161 (WMA)",
        "0x1234 | unsupported format tag 0x1234; only PCM and IEEE float are supported",
        "0x0000 | unsupported format tag 0x0000;",
    })
    void unsupportedFormatTagIsNamed(String tag, String expected) {
        int formatTag = Integer.decode(tag);
        assertHeaderRejected(wav().fmt(formatTag, 1, 8000, 2, 16).data(int16(1)).bytes(), expected);
    }

    @Test
    void extensibleWithUnknownSubFormatGuid() {
        byte[] guid = new byte[16];
        for (int i = 0; i < guid.length; i++) {
            guid[i] = (byte) (0x10 + i);
        }
        assertHeaderRejected(wav().extensible(guid, 1, 8000, 16).data(int16(1)).bytes(),
                "unsupported WAVE_FORMAT_EXTENSIBLE sub-format GUID 13121110-1514-1716-1819-1a1b1c1d1e1f");
    }

    @Test
    void extensibleWrappingUnsupportedTagNamesIt() {
        assertHeaderRejected(wav().extensible(0x0055, 1, 8000, 16).data(int16(1)).bytes(),
                "sub-format GUID 00000055-0000-0010-8000-00aa00389b71 (format tag 0x0055 (MPEG Layer 3))");
    }

    @Test
    void dataChunkLargerThanFile() {
        assertHeaderRejected(wav().pcm(1, 8000, 16).chunkDeclaring("data", 1_000_000, new byte[512]).bytes(),
                "'data' chunk declares 1000000 bytes but only 512 remain in the file");
    }

    @Test
    void dataChunkDeclaringMaximumSize() {
        assertHeaderRejected(wav().pcm(1, 8000, 16).chunkDeclaring("data", 0xFFFF_FFFFL, new byte[4]).bytes(),
                "'data' chunk declares 4294967295 bytes but only 4 remain in the file");
    }

    @Test
    void otherChunkLargerThanFile() {
        assertHeaderRejected(wav().chunkDeclaring("LIST", 0x7FFF_FFFF, new byte[20]).bytes(),
                "'LIST' chunk declares 2147483647 bytes but only 20 remain in the file");
    }

    @Test
    void oversizedChunkWithUnprintableIdIsShownInHex() {
        assertHeaderRejected(wav().chunkDeclaring("\0\1\2\3", 100, new byte[2]).bytes(),
                "bytes 00 01 02 03 chunk declares 100 bytes but only 2 remain");
    }

    @Test
    void nanFloat32Sample() {
        assertSamplesRejected(wav().ieeeFloat(2, 8000, 32).data(float32(0f, 0f, 0.5f, 0f, 0f, Float.NaN)).bytes(),
                "sample value NaN at frame 2, channel 1 is not a finite float");
    }

    @Test
    void infiniteFloat32Sample() {
        assertSamplesRejected(wav().ieeeFloat(1, 8000, 32).data(float32(Float.NEGATIVE_INFINITY)).bytes(),
                "sample value -Infinity at frame 0, channel 0");
    }

    @Test
    void float64SampleBeyondFloatRange() {
        assertSamplesRejected(wav().ieeeFloat(1, 8000, 64).data(float64(0.0, 1e300)).bytes(),
                "sample value 1.0E300 at frame 1, channel 0 is not a finite float");
    }

    @Test
    void missingFile() {
        Path missing = dir.resolve("missing.wav");
        assertRejected(() -> WavReader.read(missing), missing, "cannot read: no such file");
        assertRejected(() -> WavReader.probe(missing), missing, "cannot read: no such file");
    }

    @Test
    void directory() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("folder.wav"));
        assertRejected(() -> WavReader.read(folder), folder, "is a directory");
        assertRejected(() -> WavReader.probe(folder), folder, "is a directory");
    }

    @Test
    void unreadableFile() throws IOException {
        Path file = wav().pcm(1, 8000, 16).data(int16(1)).saveAs(dir.resolve("locked.wav"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("-w-------"));
        assumeTrue(!Files.isReadable(file), "permissions are not enforced for this user (root?)");

        assertRejected(() -> WavReader.read(file), file, "cannot read: permission denied");
    }

    @Test
    void fileTooLargeToLoadIsRefusedBeforeReading() throws IOException {
        Path huge = dir.resolve("huge.wav");
        try (RandomAccessFile sparse = new RandomAccessFile(huge.toFile(), "rw")) {
            sparse.setLength(3L << 30); // sparse: no disk space is used
        }
        assertRejected(() -> WavReader.read(huge), huge,
                "file is 3221225472 bytes; WAV files larger than 2147483639 bytes are not supported");
    }

    /** The header is invalid: read from a file or memory, and probe, must all say so. */
    private void assertHeaderRejected(byte[] bytes, String problem) {
        Path file = write("q.wav", bytes);
        assertRejected(() -> WavReader.read(file), file, problem);
        assertRejected(() -> WavReader.probe(file), file, problem);
        assertInMemoryRejected(bytes, problem);
    }

    /** The header is valid but a sample is not: only a full read notices. */
    private void assertSamplesRejected(byte[] bytes, String problem) {
        Path file = write("samples.wav", bytes);
        assertRejected(() -> WavReader.read(file), file, problem);
        assertThat(WavReader.probe(file)).isNotNull();
        assertInMemoryRejected(bytes, problem);
    }

    private static void assertRejected(Runnable action, Path file, String problem) {
        assertThatThrownBy(action::run)
                .isInstanceOf(AudioFileException.class)
                .hasMessageStartingWith(file + ": ")
                .hasMessageContaining(problem)
                .extracting(e -> ((AudioFileException) e).file())
                .isEqualTo(file);
    }

    private static void assertInMemoryRejected(byte[] bytes, String problem) {
        assertThatThrownBy(() -> WavReader.read(bytes, "upload #7"))
                .isInstanceOf(AudioFileException.class)
                .hasMessageStartingWith("upload #7: ")
                .hasMessageContaining(problem)
                .extracting(e -> ((AudioFileException) e).file())
                .isNull();
    }

    private Path write(String name, byte[] bytes) {
        try {
            return Files.write(dir.resolve(name), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
