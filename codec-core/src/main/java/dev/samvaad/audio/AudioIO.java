package dev.samvaad.audio;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * The short way in: any WAV the reader accepts, as mono float samples at the rate you need.
 *
 * <pre>{@code
 * float[] pcm = AudioIO.readMono(Path.of("question.wav"), 16_000);
 * }</pre>
 *
 * <p>The file's rate must lie within a factor of {@value #MAX_RATE_RATIO} of the rate asked for
 * (e.g. 62.5 Hz to 4.096 MHz for 16 kHz): a WAV header can declare any rate from 1 Hz to 2^31 - 1
 * Hz, and converting a few kilobytes declared at 1 Hz to 16 kHz would take minutes and gigabytes.
 * Such files are refused, as is a conversion whose result would not fit in memory.
 */
public final class AudioIO {
    /** The largest ratio between the file's rate and the rate asked for, either way. */
    public static final int MAX_RATE_RATIO = 256;

    private AudioIO() {}

    /**
     * Reads {@code file}, averages its channels to mono and converts it to {@code sampleRate}
     * with the band-limited {@link Resampler}.
     *
     * @param file       a WAV file in any format {@link WavReader} reads
     * @param sampleRate the rate wanted, Hz
     * @return mono samples at {@code sampleRate}, nominally in [-1, 1]
     * @throws AudioFileException naming the file when it cannot be read, is not a usable WAV, or
     *     its rate is too far from {@code sampleRate} (see the class comment)
     * @throws IllegalArgumentException if {@code sampleRate} is not positive
     */
    public static float[] readMono(Path file, int sampleRate) {
        requirePositive(sampleRate);
        return toMono(WavReader.read(file), sampleRate, Origin.of(file));
    }

    /**
     * {@link #readMono(Path, int)} for a WAV file held in memory.
     *
     * @param bytes      the whole WAV file; read, not kept
     * @param sourceName names the source in error messages
     * @param sampleRate the rate wanted, Hz
     * @return mono samples at {@code sampleRate}, nominally in [-1, 1]
     * @throws AudioFileException naming {@code sourceName} when the bytes are not a usable WAV or
     *     their rate is too far from {@code sampleRate}
     * @throws IllegalArgumentException if {@code sampleRate} is not positive
     */
    public static float[] readMono(byte[] bytes, String sourceName, int sampleRate) {
        Objects.requireNonNull(sourceName, "sourceName");
        requirePositive(sampleRate);
        return toMono(WavReader.read(bytes, sourceName), sampleRate, Origin.named(sourceName));
    }

    private static float[] toMono(WavAudio audio, int sampleRate, Origin origin) {
        int from = audio.sampleRate();
        if (from == sampleRate) {
            return audio.toMono();
        }
        if ((long) from > (long) sampleRate * MAX_RATE_RATIO || (long) sampleRate > (long) from * MAX_RATE_RATIO) {
            throw origin.error("sample rate %d Hz is too far from the %d Hz asked for (more than %d times %s)",
                    from, sampleRate, MAX_RATE_RATIO, from < sampleRate ? "lower" : "higher");
        }
        Resampler resampler = Resampler.of(from, sampleRate);
        int length;
        try {
            length = resampler.outputLength(audio.frames());
        } catch (IllegalArgumentException e) {
            throw origin.error("%d frames at %d Hz are too long to convert to %d Hz: %s", audio.frames(), from,
                    sampleRate, e.getMessage());
        }
        long bytes = (long) length * Float.BYTES;
        if (bytes > Runtime.getRuntime().maxMemory()) {
            throw origin.error("converting %d frames at %d Hz to %d Hz needs %s, more than the JVM's maximum heap (%s)",
                    audio.frames(), from, sampleRate, megabytes(bytes), megabytes(Runtime.getRuntime().maxMemory()));
        }
        return resampler.resample(audio.toMono());
    }

    static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.0f MB", bytes / 1e6);
    }

    private static void requirePositive(int sampleRate) {
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("sample rate must be positive, got " + sampleRate);
        }
    }
}
