package dev.samvaad.audio;

import java.util.Arrays;
import java.util.Objects;

/**
 * Decoded audio: one float array per channel, {@code samples[channel][frame]}.
 *
 * <p>Integer PCM is scaled into [-1, 1): 8-bit as {@code (u - 128) / 128}, 16-bit as
 * {@code s / 32768}, 24-bit as {@code s / 8388608} and 32-bit as {@code s / 2147483648}
 * (32-bit values within 2<sup>-25</sup> of full scale round to exactly 1.0f, since a float
 * holds 24 bits of precision). Float samples are passed through unchanged and may lie outside
 * [-1, 1].
 *
 * <p>For speed the sample arrays are neither copied on construction nor on access: the record
 * shares them with its creator and its callers. {@link #equals} and {@link #hashCode} compare
 * sample values, not array identity.
 *
 * @param format the layout the audio was read from, or is described by
 * @param samples one array per channel, all of the same length
 */
public record WavAudio(WavFormat format, float[][] samples) {

    /**
     * Checks that the arrays fit the format.
     *
     * @param format  the layout the audio was read from, or is described by
     * @param samples one array per channel, all of the same length
     * @throws IllegalArgumentException if the number of arrays is not the format's channel count
     *     or the arrays differ in length
     */
    public WavAudio {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(samples, "samples");
        if (samples.length != format.channels()) {
            throw new IllegalArgumentException("format has " + format.channels()
                    + " channels but " + samples.length + " sample arrays were given");
        }
        for (int channel = 0; channel < samples.length; channel++) {
            Objects.requireNonNull(samples[channel], "samples of channel " + channel);
            if (samples[channel].length != samples[0].length) {
                throw new IllegalArgumentException("channel " + channel + " has "
                        + samples[channel].length + " frames but channel 0 has "
                        + samples[0].length);
            }
        }
    }

    /** @return frames per second */
    public int sampleRate() {
        return format.sampleRate();
    }

    /** @return number of channels */
    public int channels() {
        return format.channels();
    }

    /** @return number of samples in each channel */
    public int frames() {
        return samples[0].length;
    }

    /** @return length in seconds */
    public double durationSeconds() {
        return (double) frames() / sampleRate();
    }

    /** @return a new array holding, for each frame, the average of all channels */
    public float[] toMono() {
        if (samples.length == 1) {
            return samples[0].clone();
        }
        float[] mono = new float[frames()];
        for (float[] channel : samples) {
            for (int frame = 0; frame < mono.length; frame++) {
                mono[frame] += channel[frame];
            }
        }
        for (int frame = 0; frame < mono.length; frame++) {
            mono[frame] /= samples.length;
        }
        return mono;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof WavAudio that
                && format.equals(that.format)
                && Arrays.deepEquals(samples, that.samples);
    }

    @Override
    public int hashCode() {
        return 31 * format.hashCode() + Arrays.deepHashCode(samples);
    }

    @Override
    public String toString() {
        return "WavAudio[format=" + format + ", frames=" + frames() + "]";
    }
}
