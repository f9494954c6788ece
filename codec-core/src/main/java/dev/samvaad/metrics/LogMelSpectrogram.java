package dev.samvaad.metrics;

/** The log-mel spectrogram the audio metrics use, for pictures of audio (80 bands, 10 ms hop, 25 ms window). */
public final class LogMelSpectrogram {
    private LogMelSpectrogram() {}

    /**
     * The log-mel spectrogram of mono PCM.
     *
     * @param pcm        mono samples, not empty
     * @param sampleRate their rate in Hz
     * @return {@code [frames][80]} band levels in dB, at least -100
     * @throws IllegalArgumentException if {@code pcm} is empty or the rate is not positive
     */
    public static float[][] of(float[] pcm, int sampleRate) {
        return MelSpectrogram.standard(sampleRate).logMel(pcm);
    }
}
