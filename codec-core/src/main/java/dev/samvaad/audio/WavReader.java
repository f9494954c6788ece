package dev.samvaad.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads WAV files: RIFF/WAVE, little-endian, with 8-bit unsigned PCM, 16/24/32-bit signed PCM,
 * 32/64-bit IEEE float, or WAVE_FORMAT_EXTENSIBLE wrapping PCM or float. Unknown chunks are
 * skipped; the {@code fmt } chunk must come before the {@code data} chunk. The block align must
 * equal channels times bytes per sample; as it is a 16-bit field, that caps a frame at 65535
 * bytes.
 *
 * <p>Every problem, from a missing file to a corrupt header, is reported as an
 * {@link AudioFileException} naming the source. Declared sizes are checked against the bytes
 * present before anything is allocated, so a corrupt file cannot cause an out-of-memory error.
 *
 * <p>A {@code data} chunk whose size is not a whole number of frames (some writers do this) has
 * its partial trailing frame, always shorter than one frame, dropped with a warning in the log.
 * A {@code data} chunk that declares more bytes than the file holds is always an error.
 */
public final class WavReader {

    private static final Logger LOG = LoggerFactory.getLogger(WavReader.class);

    /** The largest array the JVM reliably allocates. */
    private static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 8;

    private WavReader() {
    }

    /**
     * Reads and decodes a whole WAV file.
     *
     * @param file the WAV file
     * @return its format and samples, one float array per channel
     * @throws AudioFileException if the file cannot be read, is not a valid WAV file, uses an
     *     unsupported encoding, is larger than 2 GiB, or holds a non-finite float sample
     */
    public static WavAudio read(Path file) {
        Origin origin = Origin.of(file);
        return decode(readAllBytes(file, origin), origin);
    }

    /**
     * Decodes a WAV file held in memory. The array is read, not kept.
     *
     * @param bytes      the whole file
     * @param sourceName names the source in error messages, e.g. a URL or entry name
     * @return its format and samples, one float array per channel
     * @throws AudioFileException if the bytes are not a valid WAV file, use an unsupported
     *     encoding, or hold a non-finite float sample
     */
    public static WavAudio read(byte[] bytes, String sourceName) {
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(sourceName, "sourceName");
        return decode(bytes, Origin.named(sourceName));
    }

    /**
     * Reads only the header of a WAV file: the chunk headers up to the {@code data} chunk and the
     * {@code fmt } chunk. The header is checked as strictly as by {@link #read(Path)}; the samples
     * are not.
     *
     * @param file the WAV file
     * @return the sample layout its header declares
     * @throws AudioFileException if the file cannot be read, or its header is invalid or
     *     describes an unsupported encoding
     */
    public static WavFormat probe(Path file) {
        Origin origin = Origin.of(file);
        requireNotDirectory(file, origin);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return WavHeaderParser.parse(ByteSource.of(channel, origin), channel.size(), origin).format();
        } catch (IOException e) {
            throw origin.ioError("cannot read", e);
        }
    }

    private static byte[] readAllBytes(Path file, Origin origin) {
        requireNotDirectory(file, origin);
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw origin.error("file is %d bytes; WAV files larger than %d bytes are not supported",
                        size, MAX_FILE_BYTES);
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw origin.ioError("cannot read", e);
        }
    }

    // Reading a directory fails with a platform-specific message, or not at all, so check first.
    // A device or pipe (/dev/zero, /dev/stdin, a FIFO) reports size 0 and may never end, or block
    // on open, so it is refused too.
    private static void requireNotDirectory(Path file, Origin origin) {
        if (Files.isDirectory(file)) {
            throw origin.error("is a directory, not a WAV file");
        }
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw origin.error("is not a regular file (a device or a pipe?)");
        }
    }

    private static WavAudio decode(byte[] bytes, Origin origin) {
        ByteSource source = ByteSource.of(bytes);
        WavHeaderParser.Layout layout = WavHeaderParser.parse(source, bytes.length, origin);
        WavFormat format = layout.format();
        int blockAlign = format.blockAlign();
        long frames = layout.dataSize() / blockAlign;
        long partialBytes = layout.dataSize() % blockAlign;
        if (partialBytes != 0) {
            LOG.warn("{}: data chunk of {} bytes is not a whole number of {}-byte frames;"
                    + " ignoring the {} trailing bytes", origin.name(), layout.dataSize(), blockAlign,
                    partialBytes);
        }
        // Decoded, every sample takes 4 bytes, up to 4 times what it took in the file (8-bit PCM).
        long decodedBytes = frames * format.channels() * (long) Float.BYTES;
        if (decodedBytes > Runtime.getRuntime().maxMemory()) {
            throw origin.error("%d frames of %d channel(s) need %s to decode, more than the JVM's maximum heap"
                    + " (%s)", frames, format.channels(), AudioIO.megabytes(decodedBytes),
                    AudioIO.megabytes(Runtime.getRuntime().maxMemory()));
        }
        // The parser has checked that the data lies within the array, so these casts are exact.
        ByteBuffer data = source.read(layout.dataOffset(), (int) (frames * blockAlign));
        return new WavAudio(format, SampleDecoder.decode(data, format, (int) frames, origin));
    }
}
