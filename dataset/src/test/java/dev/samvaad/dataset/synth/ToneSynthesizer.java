package dev.samvaad.dataset.synth;

import dev.samvaad.audio.WavWriter;
import java.nio.file.Path;

/**
 * A deterministic stand-in TTS for tests that are about the pipeline, not the voice: a tone
 * whose length follows the text and whose frequency follows the voice, optionally slow.
 */
final class ToneSynthesizer implements SpeechSynthesizer {
    static final int RATE = 16_000;
    private final long delayMillis;

    ToneSynthesizer(long delayMillis) {
        this.delayMillis = delayMillis;
    }

    ToneSynthesizer() {
        this(0);
    }

    @Override
    public void synthesize(String text, Voice voice, Path out) {
        if (delayMillis > 0) {
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TtsException("interrupted");
            }
        }
        int n = RATE / 100 * (10 + text.codePointCount(0, text.length()));
        double f = 100 + voice.pitch() * 3 + Math.floorMod(voice.name().hashCode(), 50);
        float[] pcm = new float[n];
        for (int i = 0; i < n; i++) {
            pcm[i] = (float) (0.3 * Math.sin(2 * Math.PI * f * i / RATE));
        }
        WavWriter.writePcm16(out, pcm, RATE);
    }

    @Override
    public String describe() {
        return "tone";
    }
}
