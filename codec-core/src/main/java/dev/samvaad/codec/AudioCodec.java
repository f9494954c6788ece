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

    /** {@return the sample rate of the audio this codec takes and gives, Hz} */
    int sampleRate();

    /** {@return samples per frame} */
    int hopSize();

    /** {@return the number of codebooks {@code Q}: codes per frame} */
    int codebooks();

    /** {@return entries per codebook {@code K}: each code is in {@code [0, K)}} */
    int codebookSize();

    /** {@return a hash of the settings and codebooks that identifies the trained codec; models record it} */
    String fingerprint();

    /** {@return the worst-case delay from an input sample to the same sample out of a streaming decode, ms} */
    double algorithmicLatencyMs();

    /**
     * Encodes a whole signal.
     *
     * @param pcm mono audio at {@link #sampleRate()}, nominally in [-1, 1]
     * @return {@code ceil(pcm.length / hopSize())} frames of codes, {@code [Q][T]}
     */
    int[][] encode(float[] pcm);

    /**
     * Decodes codes with every codebook given.
     *
     * @param codes {@code [q][T]} codes, {@code 1 <= q <= Q}
     * @return {@code T * hopSize()} samples at {@link #sampleRate()}
     * @throws CodecException if the codebooks differ in length or a code is out of range
     */
    default float[] decode(int[][] codes) {
        return decode(codes, codes.length);
    }

    /**
     * Decodes with the first {@code codebooksUsed} codebooks only: fewer codebooks, lower bitrate,
     * lower quality.
     *
     * @param codes         {@code [q][T]} codes with {@code q >= codebooksUsed}
     * @param codebooksUsed {@code 1..Q}
     * @return {@code T * hopSize()} samples at {@link #sampleRate()}
     * @throws CodecException if {@code codebooksUsed} is out of range, the codebooks differ in
     *     length or a code is out of range
     */
    float[] decode(int[][] codes, int codebooksUsed);

    /** {@return a new streaming encoder: push samples, get frames} */
    Encoder newEncoder();

    /**
     * A streaming decoder.
     *
     * @param codebooksUsed how many of the first codebooks to decode, {@code 1..Q}
     * @return a new decoder: push frames of codes, get audio
     */
    Decoder newDecoder(int codebooksUsed);

    /** {@return frames per second} */
    default double frameRate() {
        return (double) sampleRate() / hopSize();
    }

    /** {@return bits per second with every codebook} */
    default double bitrate() {
        return bitrate(codebooks());
    }

    /**
     * The bitrate of a lower-quality stream.
     *
     * @param codebooksUsed how many of the first codebooks are sent
     * @return bits per second
     */
    default double bitrate(int codebooksUsed) {
        return frameRate() * codebooksUsed * (Math.log(codebookSize()) / Math.log(2));
    }

    /** Streaming encoder. Not thread-safe. */
    interface Encoder {
        /**
         * Feeds samples.
         *
         * @param pcm the next samples of the stream, at the codec's rate
         * @return the frames now complete as {@code [Q][n]} ({@code n} may be 0)
         */
        int[][] push(float[] pcm);

        /**
         * Ends the stream; the input is padded with silence to a whole frame.
         *
         * @return the last frames, {@code [Q][n]}
         */
        int[][] finish();
    }

    /** Streaming decoder. Not thread-safe. */
    interface Decoder {
        /**
         * Feeds one frame of codes.
         *
         * @param frame {@code Q} codes, or at least as many as the codebooks in use
         * @return the audio now complete (about one frame's worth)
         * @throws CodecException if the frame is too short or a code is out of range
         */
        float[] push(int[] frame);

        /**
         * Ends the stream.
         *
         * @return the remaining audio
         */
        float[] finish();
    }
}
