package dev.samvaad.dataset.synth;

import java.nio.file.Path;

/**
 * Text to speech into a WAV file. Implementations must be thread-safe: generation runs several
 * workers at once.
 */
public interface SpeechSynthesizer {

    /**
     * Speaks {@code text} with {@code voice} into the WAV file {@code out} (which the caller then
     * moves into place; it need not be written atomically here).
     *
     * @param text  what to say
     * @param voice who says it
     * @param out   the WAV file to write
     * @throws TtsException when the engine is missing, fails, or writes no usable audio
     */
    void synthesize(String text, Voice voice, Path out);

    /** {@return a short description for logs and meta.json, e.g. {@code "espeak-ng 1.51"}} */
    String describe();

    /**
     * Whether the same text and voice always give the same file, so that a generator may speak a
     * repeated text once and copy it (the assistant's answers repeat). False unless an engine says so.
     *
     * @return whether the output is a function of the text and the voice
     */
    default boolean deterministic() {
        return false;
    }
}
