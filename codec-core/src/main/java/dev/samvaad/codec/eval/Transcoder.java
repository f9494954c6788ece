package dev.samvaad.codec.eval;

/** Something that takes speech through a codec and back, for side-by-side scoring. */
public interface Transcoder {
    /** A name for the report table, e.g. {@code "samvaad q=6"} or {@code "opus 6 kbps"}. */
    String name();

    /** Bits per second of the coded stream. */
    double bitrate();

    /** Encodes and decodes {@code pcm} (at {@code sampleRate}); returns audio at the same rate. */
    float[] roundTrip(float[] pcm, int sampleRate);
}
