package dev.samvaad.codec.eval;

/** Something that takes speech through a codec and back, for side-by-side scoring. */
public interface Transcoder {
    /** {@return a name for the report table, e.g. {@code "samvaad q=6"} or {@code "opus 6 kbps"}} */
    String name();

    /** {@return bits per second of the coded stream} */
    double bitrate();

    /**
     * Encodes and decodes a signal.
     *
     * @param pcm        mono audio
     * @param sampleRate its sample rate, Hz
     * @return the decoded audio at the same rate
     */
    float[] roundTrip(float[] pcm, int sampleRate);
}
