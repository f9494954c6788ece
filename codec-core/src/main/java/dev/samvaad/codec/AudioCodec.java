package dev.samvaad.codec;

/**
 * A neural-free audio codec: audio at {@link #sampleRate()} in, {@code Q} parallel streams of
 * codes out, one code per stream per frame of {@link #hopSize()} samples.
 *
 * <pre>{@code
 * AudioCodec codec = RvqCodec.load(Path.of("codec.smvd"));
 * int[][] codes = codec.encode(AudioIO.readMono(Path.of("q.wav"), codec.sampleRate())); // [Q][T]
 * float[] pcm = codec.decode(codes);
 * }</pre>
 *
 * Codes are {@code int[Q][T]}: {@code codes[q][t]} in {@code [0, codebookSize())}. Decoding
 * with only the first {@code q} codebooks gives a lower bitrate at lower quality. Streaming
 * encoders and decoders produce exactly what the batch calls produce. Implementations are
 * immutable and thread-safe; the streaming objects are not (one per stream).
 */
public interface AudioCodec {

    /** Sample rate of the audio this codec takes and gives, Hz. */
    int sampleRate();

    /** Samples per frame. */
    int hopSize();

    /** Number of codebooks {@code Q}. */
    int codebooks();

    /** Entries per codebook {@code K}. */
    int codebookSize();

    /** Identifies the trained codec (config and codebooks); models record it. */
    String fingerprint();

    /** Worst-case delay from an input sample to the same sample out of a streaming decode, ms. */
    double algorithmicLatencyMs();

    /** {@code ceil(pcm.length / hopSize())} frames of codes, {@code [Q][T]}. */
    int[][] encode(float[] pcm);

    /** Audio of {@code T * hopSize()} samples from codes {@code [q][T]}, using every codebook given. */
    default float[] decode(int[][] codes) {
        return decode(codes, codes.length);
    }

    /** Audio from the first {@code codebooksUsed} codebooks of {@code codes} ({@code 1..Q}). */
    float[] decode(int[][] codes, int codebooksUsed);

    /** A streaming encoder: push samples, get frames. */
    Encoder newEncoder();

    /** A streaming decoder that uses the first {@code codebooksUsed} codebooks. */
    Decoder newDecoder(int codebooksUsed);

    /** Frames per second. */
    default double frameRate() {
        return (double) sampleRate() / hopSize();
    }

    /** Bits per second with every codebook. */
    default double bitrate() {
        return bitrate(codebooks());
    }

    /** Bits per second with the first {@code codebooksUsed} codebooks. */
    default double bitrate(int codebooksUsed) {
        return frameRate() * codebooksUsed * (Math.log(codebookSize()) / Math.log(2));
    }

    /** Streaming encoder. Not thread-safe. */
    interface Encoder {
        /** Feeds samples; returns the frames now complete as {@code [Q][n]} ({@code n} may be 0). */
        int[][] push(float[] pcm);

        /** Ends the stream (the input is padded with silence to a whole frame); returns the last frames. */
        int[][] finish();
    }

    /** Streaming decoder. Not thread-safe. */
    interface Decoder {
        /** Feeds one frame of codes ({@code Q} values, or at least the codebooks in use); returns new audio. */
        float[] push(int[] frame);

        /** Ends the stream; returns the remaining audio. */
        float[] finish();
    }
}
