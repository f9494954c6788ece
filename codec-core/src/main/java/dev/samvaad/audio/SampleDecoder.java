package dev.samvaad.audio;

import java.nio.ByteBuffer;

/** Turns interleaved little-endian sample bytes into per-channel float arrays. */
final class SampleDecoder {

    @FunctionalInterface
    private interface SampleReader {
        float read(ByteBuffer data, int offset);
    }

    private SampleDecoder() {
    }

    /**
     * @param data holds at least {@code frames * format.blockAlign()} bytes from position 0
     * @throws AudioFileException if a float sample is NaN, infinite, or too large for a float
     */
    static float[][] decode(ByteBuffer data, WavFormat format, int frames, Origin origin) {
        SampleReader reader = readerFor(format);
        boolean mustCheckFinite = format.encoding() == SampleEncoding.IEEE_FLOAT;
        int channels = format.channels();
        int bytesPerSample = format.bytesPerSample();
        float[][] samples = new float[channels][frames];
        int offset = 0;
        for (int frame = 0; frame < frames; frame++) {
            for (int channel = 0; channel < channels; channel++) {
                float value = reader.read(data, offset);
                if (mustCheckFinite && !Float.isFinite(value)) {
                    throw origin.error("sample value %s at frame %d, channel %d is not a finite float",
                            rawFloat(data, offset, format), frame, channel);
                }
                samples[channel][frame] = value;
                offset += bytesPerSample;
            }
        }
        return samples;
    }

    private static SampleReader readerFor(WavFormat format) {
        return switch (format.encoding()) {
            case PCM_UNSIGNED -> (data, offset) -> ((data.get(offset) & 0xFF) - 128) / 128f;
            case PCM_SIGNED -> switch (format.bitsPerSample()) {
                case 16 -> (data, offset) -> Pcm16.toFloat(data.getShort(offset));
                case 24 -> (data, offset) -> int24(data, offset) / 8388608f;
                case 32 -> (data, offset) -> data.getInt(offset) / 2147483648f;
                default -> throw new IllegalStateException("unexpected PCM size " + format);
            };
            case IEEE_FLOAT -> format.bitsPerSample() == 32
                    ? (data, offset) -> data.getFloat(offset)
                    : (data, offset) -> (float) data.getDouble(offset);
        };
    }

    private static int int24(ByteBuffer data, int offset) {
        // The top byte is taken signed so that the result is sign-extended.
        return (data.get(offset) & 0xFF)
                | (data.get(offset + 1) & 0xFF) << 8
                | data.get(offset + 2) << 16;
    }

    /** The stored value, so that a double too large for a float is reported as itself. */
    private static String rawFloat(ByteBuffer data, int offset, WavFormat format) {
        return format.bitsPerSample() == 32
                ? Float.toString(data.getFloat(offset))
                : Double.toString(data.getDouble(offset));
    }
}
