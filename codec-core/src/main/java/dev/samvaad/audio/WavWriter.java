package dev.samvaad.audio;

import dev.samvaad.io.AtomicFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Writes WAV files as 16 or 24-bit signed PCM or 32-bit IEEE float.
 *
 * <p>Writes are atomic: the file is written to a temporary file in the same directory and renamed
 * over the target, so an existing file is either replaced whole or left untouched, and no
 * temporary file remains after a failure. Missing parent directories are created.
 *
 * <p>PCM samples are clamped to [-1, 1], scaled by 2<sup>bits-1</sup> and rounded to the nearest
 * integer, the inverse of {@link WavReader}'s scaling; +1.0 maps to the largest code. Float files
 * use format tag WAVE_FORMAT_IEEE_FLOAT with a {@code fact} chunk, as the WAV specification asks
 * of non-PCM formats. The plain (not extensible) {@code fmt } chunk is written for every channel
 * count and sample size, which all common readers accept.
 *
 * <p>Invalid arguments, including NaN or infinite samples (which {@link WavReader} would refuse),
 * throw {@link IllegalArgumentException}; a failure to write throws {@link AudioFileException}.
 */
public final class WavWriter {

    private static final int BUFFER_BYTES = 1 << 16;
    private static final long MAX_U32 = 0xFFFF_FFFFL;
    private static final int MAX_BLOCK_ALIGN = 0xFFFF;
    private static final int PCM_FMT_BYTES = 16;
    /** Non-PCM formats carry a cbSize field, zero here. */
    private static final int FLOAT_FMT_BYTES = 18;
    private static final int FACT_CHUNK_BYTES = 12;
    private static final int CHUNK_HEADER_BYTES = 8;

    private WavWriter() {
    }

    /**
     * Writes mono audio as 16-bit PCM.
     *
     * @param file       the file to create or replace
     * @param mono       samples, nominally in [-1, 1]; values outside are clamped
     * @param sampleRate frames per second
     * @throws IllegalArgumentException if the sample rate is not positive or a sample is not finite
     * @throws AudioFileException if the file cannot be written
     */
    public static void writePcm16(Path file, float[] mono, int sampleRate) {
        write(file, monoAudio(mono, sampleRate), SampleEncoding.PCM_SIGNED, 16);
    }

    /**
     * Writes mono audio as 32-bit IEEE float; samples are stored exactly.
     *
     * @param file       the file to create or replace
     * @param mono       samples, stored as they are
     * @param sampleRate frames per second
     * @throws IllegalArgumentException if the sample rate is not positive or a sample is not finite
     * @throws AudioFileException if the file cannot be written
     */
    public static void writeFloat32(Path file, float[] mono, int sampleRate) {
        write(file, monoAudio(mono, sampleRate), SampleEncoding.IEEE_FLOAT, 32);
    }

    /**
     * Writes audio of any channel count. Only the sample rate and channel count of
     * {@code audio.format()} are used; the stored encoding is given here.
     *
     * @param file          the file to create or replace
     * @param audio         the samples, one array per channel, and their rate
     * @param encoding      {@link SampleEncoding#PCM_SIGNED} (16 or 24 bits) or
     *     {@link SampleEncoding#IEEE_FLOAT} (32 bits)
     * @param bitsPerSample 16 or 24 for PCM, 32 for float
     * @throws IllegalArgumentException if the encoding and size are not one of those, the audio is
     *     too long or too wide for a WAV file, or a sample is not finite
     * @throws AudioFileException if the file cannot be written
     */
    public static void write(Path file, WavAudio audio, SampleEncoding encoding, int bitsPerSample) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(audio, "audio");
        Objects.requireNonNull(encoding, "encoding");
        WavFormat format = new WavFormat(audio.sampleRate(), audio.channels(), bitsPerSample, encoding);
        SampleEncoder encoder = SampleEncoder.of(format);
        Header header = Header.of(format, audio.frames());
        if (Files.isDirectory(file)) {
            throw Origin.of(file).error("is a directory, not a file");
        }
        try {
            AtomicFiles.write(file, out -> writeWav(out, header, encoder, audio.samples()));
        } catch (UncheckedIOException e) {
            throw Origin.of(file).ioError("cannot write", e.getCause());
        }
    }

    private static WavAudio monoAudio(float[] mono, int sampleRate) {
        Objects.requireNonNull(mono, "mono");
        // The in-memory format describes float samples; write() picks the stored encoding.
        return new WavAudio(new WavFormat(sampleRate, 1, 32, SampleEncoding.IEEE_FLOAT), new float[][] {mono});
    }

    /** The sizes that go into the header, checked against the limits of its 16 and 32-bit fields. */
    private record Header(WavFormat format, int frames, long dataBytes, boolean isFloat) {

        static Header of(WavFormat format, int frames) {
            int blockAlign = format.blockAlign();
            if (blockAlign > MAX_BLOCK_ALIGN) {
                throw new IllegalArgumentException(format.channels() + " channels of "
                        + format.bitsPerSample() + "-bit samples need " + blockAlign
                        + " bytes per frame; WAV allows at most " + MAX_BLOCK_ALIGN);
            }
            if ((long) format.sampleRate() * blockAlign > MAX_U32) {
                throw new IllegalArgumentException("byte rate of " + format
                        + " does not fit the 32-bit WAV header field");
            }
            Header header = new Header(format, frames, (long) frames * blockAlign,
                    format.encoding() == SampleEncoding.IEEE_FLOAT);
            if (header.riffSize() > MAX_U32) {
                throw new IllegalArgumentException("audio of " + header.dataBytes()
                        + " bytes is too long for a WAV file (4 GiB limit)");
            }
            return header;
        }

        int fmtBytes() {
            return isFloat ? FLOAT_FMT_BYTES : PCM_FMT_BYTES;
        }

        long padBytes() {
            return dataBytes & 1;
        }

        long riffSize() {
            return 4 + CHUNK_HEADER_BYTES + fmtBytes() + (isFloat ? FACT_CHUNK_BYTES : 0)
                    + CHUNK_HEADER_BYTES + dataBytes + padBytes();
        }

        void putTo(ByteBuffer out) {
            putId(out, "RIFF").putInt((int) riffSize());
            putId(out, "WAVE");
            putId(out, "fmt ").putInt(fmtBytes())
                    .putShort((short) (isFloat ? FormatTag.IEEE_FLOAT : FormatTag.PCM))
                    .putShort((short) format.channels())
                    .putInt(format.sampleRate())
                    .putInt((int) ((long) format.sampleRate() * format.blockAlign()))
                    .putShort((short) format.blockAlign())
                    .putShort((short) format.bitsPerSample());
            if (isFloat) {
                out.putShort((short) 0);
                putId(out, "fact").putInt(4).putInt(frames);
            }
            putId(out, "data").putInt((int) dataBytes);
        }

        private static ByteBuffer putId(ByteBuffer out, String id) {
            return out.put(id.getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static void writeWav(OutputStream out, Header header, SampleEncoder encoder, float[][] samples)
            throws IOException {
        int blockAlign = header.format().blockAlign();
        ByteBuffer buffer = ByteBuffer.allocate(Math.max(BUFFER_BYTES, blockAlign)).order(ByteOrder.LITTLE_ENDIAN);
        header.putTo(buffer);
        for (int frame = 0; frame < header.frames(); frame++) {
            if (buffer.remaining() < blockAlign) {
                flush(buffer, out);
            }
            for (int channel = 0; channel < samples.length; channel++) {
                float sample = samples[channel][frame];
                if (!Float.isFinite(sample)) {
                    throw new IllegalArgumentException("sample " + sample + " at frame " + frame
                            + ", channel " + channel + " is not finite");
                }
                encoder.put(buffer, sample);
            }
        }
        if (header.padBytes() != 0) {
            if (!buffer.hasRemaining()) {
                flush(buffer, out);
            }
            buffer.put((byte) 0);
        }
        flush(buffer, out);
    }

    private static void flush(ByteBuffer buffer, OutputStream out) throws IOException {
        out.write(buffer.array(), 0, buffer.position());
        buffer.clear();
    }
}
