package dev.samvaad.audio;

import java.util.Objects;

/**
 * The sample layout of a WAV file.
 *
 * @param sampleRate frames per second, positive
 * @param channels number of interleaved channels, 1 to {@value #MAX_CHANNELS}
 * @param bitsPerSample size of one sample; must be one the {@code encoding} supports
 * @param encoding how each sample is stored
 */
public record WavFormat(int sampleRate, int channels, int bitsPerSample, SampleEncoding encoding) {

    /** The channel count is a 16-bit field in the WAV header. */
    public static final int MAX_CHANNELS = 65535;

    /**
     * Checks the fields.
     *
     * @param sampleRate    frames per second, positive
     * @param channels      number of interleaved channels, 1 to {@value #MAX_CHANNELS}
     * @param bitsPerSample size of one sample; must be one the {@code encoding} supports
     * @param encoding      how each sample is stored
     * @throws IllegalArgumentException if a field is out of range or the sample size does not
     *     fit the encoding
     */
    public WavFormat {
        Objects.requireNonNull(encoding, "encoding");
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("sample rate must be positive, was " + sampleRate);
        }
        if (channels < 1 || channels > MAX_CHANNELS) {
            throw new IllegalArgumentException(
                    "channels must be between 1 and " + MAX_CHANNELS + ", was " + channels);
        }
        if (!encoding.supports(bitsPerSample)) {
            throw new IllegalArgumentException(
                    bitsPerSample + "-bit samples are not supported for " + encoding);
        }
    }

    /** @return bytes per sample of one channel */
    public int bytesPerSample() {
        return bitsPerSample / 8;
    }

    /** @return bytes per frame, one sample of every channel */
    public int blockAlign() {
        return channels * bytesPerSample();
    }
}
