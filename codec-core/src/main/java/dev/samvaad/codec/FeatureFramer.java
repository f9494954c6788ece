package dev.samvaad.codec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts a stream of samples into the analysis windows of frames: frame {@code t} covers samples
 * {@code [t*hop, (t+1)*hop)} and its window {@code [t*hop - hop/2, t*hop + 3*hop/2)}, zeros
 * outside the signal. A frame is ready once its window has arrived (10 ms of look-ahead at 20 ms
 * frames); {@link #finish()} pads the end so every started frame is emitted. Not thread-safe.
 */
final class FeatureFramer {
    private final VocoderAnalyzer analyzer;
    private final int hop;
    private final int window;
    private final int featureSize;
    private float[] buffer;
    private int buffered;
    private long bufferStart;
    private long received;
    private int nextFrame;

    FeatureFramer(VocoderConfig config) {
        this.analyzer = new VocoderAnalyzer(config);
        this.hop = config.hop();
        this.window = config.window();
        this.featureSize = config.featureSize();
        this.buffer = new float[4 * window];
        // The first window reaches half a frame before the signal: start with that much silence.
        this.buffered = hop / 2;
        this.bufferStart = -(hop / 2);
    }

    /** Feature vectors of the frames completed by these samples. */
    List<float[]> push(float[] pcm, int offset, int length) {
        if (buffered + length > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffered + length, 2 * buffer.length));
        }
        System.arraycopy(pcm, offset, buffer, buffered, length);
        buffered += length;
        received += length;
        return drain(false);
    }

    /** The remaining frames, with the input padded by silence. */
    List<float[]> finish() {
        return drain(true);
    }

    private List<float[]> drain(boolean end) {
        long frames = end ? (received + hop - 1) / hop : Long.MAX_VALUE;
        List<float[]> out = new ArrayList<>();
        while (nextFrame < frames) {
            long windowStart = (long) nextFrame * hop - hop / 2;
            long windowEnd = windowStart + window;
            if (windowEnd > bufferStart + buffered) {
                if (!end) {
                    break;
                }
                int pad = (int) (windowEnd - bufferStart - buffered);
                if (buffered + pad > buffer.length) {
                    buffer = Arrays.copyOf(buffer, buffered + pad);
                }
                Arrays.fill(buffer, buffered, buffered + pad, 0f);
                buffered += pad;
            }
            float[] features = new float[featureSize];
            analyzer.analyze(buffer, (int) (windowStart - bufferStart), features);
            out.add(features);
            nextFrame++;
        }
        // Keep only what later windows still need.
        long keepFrom = (long) nextFrame * hop - hop / 2;
        int drop = (int) Math.max(0, Math.min(buffered, keepFrom - bufferStart));
        System.arraycopy(buffer, drop, buffer, 0, buffered - drop);
        buffered -= drop;
        bufferStart += drop;
        return out;
    }
}
