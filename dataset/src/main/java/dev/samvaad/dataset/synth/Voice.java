package dev.samvaad.dataset.synth;

/**
 * A speaker for a TTS engine.
 *
 * @param name  the engine's voice name, e.g. espeak-ng's {@code "te+m3"} or a Piper model/speaker
 * @param rate  speaking rate in words per minute (espeak-ng {@code -s}; 80..450)
 * @param pitch pitch, 0..99 (espeak-ng {@code -p}; 50 is the voice's default)
 */
public record Voice(String name, int rate, int pitch) {

    /**
     * Checks the settings.
     *
     * @param name  the engine's voice name, one word
     * @param rate  speaking rate in words per minute, 80..450
     * @param pitch pitch, 0..99
     * @throws IllegalArgumentException naming the setting out of range
     */
    public Voice {
        if (name == null || name.isBlank() || name.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("voice name must be a non-empty word, got \"" + name + "\"");
        }
        if (rate < 80 || rate > 450) {
            throw new IllegalArgumentException("rate must be 80..450 words per minute, got " + rate);
        }
        if (pitch < 0 || pitch > 99) {
            throw new IllegalArgumentException("pitch must be 0..99, got " + pitch);
        }
    }

    /** {@return a compact description for meta.json, e.g. {@code "te+m3 s=150 p=40"}} */
    public String describe() {
        return name + " s=" + rate + " p=" + pitch;
    }
}
