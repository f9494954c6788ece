package dev.samvaad.metrics;

import java.util.Arrays;

/**
 * Log-mel spectral distance between two signals, in dB: lower is better, 0 for identical signals.
 *
 * <p>Both signals are cut to the shorter length and turned into log-mel spectrograms with
 * a standard mel spectrogram (25 ms Hann window, 10 ms hop, 80 HTK mel bands up to
 * {@code sampleRate / 2}, dB values). In each frame, every dB value of both spectrograms is raised
 * to at least the frame's maximum over both signals minus 80 dB, so that differences far below
 * what is audible next to the loudest band do not count. The frame's distance is the root mean
 * square over mel bands of the difference; the result is the mean over frames.
 *
 * <p>Stateless and thread-safe.
 */
public final class LogMelDistance {

    private static final double DYNAMIC_RANGE_DB = 80.0;

    private LogMelDistance() {
    }

    /**
     * Log-mel distance of {@code test} from {@code reference}, both mono PCM at
     * {@code sampleRate}; signals of different length are cut to the shorter one.
     *
     * @param reference  the clean signal
     * @param test       the signal to score
     * @param sampleRate their sample rate, Hz
     * @return mean per-frame RMS log-mel difference in dB, {@code >= 0}
     * @throws IllegalArgumentException if a signal is null or empty, or {@code sampleRate <= 0}
     */
    public static double compute(float[] reference, float[] test, int sampleRate) {
        Signals.requireSignal("reference", reference);
        Signals.requireSignal("test", test);
        Signals.requireSampleRate(sampleRate);
        int length = Math.min(reference.length, test.length);
        MelSpectrogram mel = MelSpectrogram.standard(sampleRate);
        float[][] a = mel.logMel(Arrays.copyOf(reference, length));
        float[][] b = mel.logMel(Arrays.copyOf(test, length));
        double sum = 0.0;
        for (int t = 0; t < a.length; t++) {
            sum += frameDistance(a[t], b[t]);
        }
        return sum / a.length;
    }

    private static double frameDistance(float[] a, float[] b) {
        double loudest = Double.NEGATIVE_INFINITY;
        for (int m = 0; m < a.length; m++) {
            loudest = Math.max(loudest, Math.max(a[m], b[m]));
        }
        double floor = loudest - DYNAMIC_RANGE_DB;
        double sumOfSquares = 0.0;
        for (int m = 0; m < a.length; m++) {
            double difference = Math.max(a[m], floor) - Math.max(b[m], floor);
            sumOfSquares += difference * difference;
        }
        return Math.sqrt(sumOfSquares / a.length);
    }
}
