package dev.samvaad.audio;

import java.nio.file.Path;

/**
 * The short way in: any WAV the reader accepts, as mono float samples at the rate you need.
 *
 * <pre>{@code
 * float[] pcm = AudioIO.readMono(Path.of("question.wav"), 16_000);
 * }</pre>
 */
public final class AudioIO {
    private AudioIO() {}

    /**
     * Reads {@code file}, averages its channels to mono and converts it to {@code sampleRate}
     * with the band-limited {@link Resampler}.
     *
     * @param file       a WAV file in any format {@link WavReader} reads
     * @param sampleRate the rate wanted, Hz
     * @return mono samples at {@code sampleRate}, nominally in [-1, 1]
     * @throws AudioFileException naming the file when it cannot be read or is not a usable WAV
     * @throws IllegalArgumentException if {@code sampleRate} is not positive
     */
    public static float[] readMono(Path file, int sampleRate) {
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("sample rate must be positive, got " + sampleRate);
        }
        WavAudio audio = WavReader.read(file);
        float[] mono = audio.toMono();
        return audio.sampleRate() == sampleRate ? mono : Resampler.of(audio.sampleRate(), sampleRate).resample(mono);
    }
}
