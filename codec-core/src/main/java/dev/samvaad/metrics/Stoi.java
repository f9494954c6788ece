package dev.samvaad.metrics;

import dev.samvaad.audio.Resampler;
import java.util.Arrays;

/**
 * Short-Time Objective Intelligibility (STOI) of Taal, Hendriks, Heusdens and Jensen, "An
 * Algorithm for Intelligibility Prediction of Time-Frequency Weighted Noisy Speech", IEEE TASLP
 * 19(7), 2011. The computation follows the reference MATLAB code as ported by pystoi
 * ({@code pystoi.stoi(x, y, fs, extended=False)}), step by step:
 *
 * <ol>
 *   <li>Both signals are resampled to 10 kHz (with {@link Resampler}; pystoi uses an
 *       Octave-compatible polyphase filter, so results differ from pystoi in the last digits).
 *   <li>Silent frames are removed as in pystoi's {@code remove_silent_frames}: frames of 256
 *       samples with hop 128, starting at {@code 0, 128, ...} while {@code start < length - 256},
 *       are multiplied by a MATLAB {@code hanning(256)} window; a frame is kept when its clean
 *       energy {@code 20 log10(||frame|| + eps)} lies less than 40 dB below that of the loudest
 *       clean frame, and the kept frames of both signals are overlap-added with hop 128.
 *   <li>STFT as pystoi's {@code stft}: the same framing (256 samples, hop 128, last start
 *       {@code < length - 256}), the same window, 512-point FFT.
 *   <li>15 one-third-octave bands with the lowest centre at 150 Hz (pystoi's {@code thirdoct}); a
 *       band's magnitude is the square root of its summed bin power.
 *   <li>Segments of 30 consecutive frames (384 ms) ending at every frame from the 30th on. Per
 *       segment and band, the processed envelope is scaled to the clean envelope's energy,
 *       clipped at {@code clean * (1 + 10^(-beta/20))} with {@code beta = -15} dB (a
 *       signal-to-distortion ratio of at least -15 dB), and correlated with the clean envelope.
 *   <li>STOI is the mean of these correlations over all segments and bands.
 * </ol>
 *
 * <p>The result lies in [-1, 1]; higher means more intelligible, and identical signals give 1 (up
 * to rounding). Stateless and thread-safe.
 */
public final class Stoi {

    private static final int RATE = 10_000;
    private static final int FRAME = 256;
    private static final int HOP = FRAME / 2;
    private static final int FFT_SIZE = 512;
    private static final int SEGMENT = 30;
    private static final double DYNAMIC_RANGE_DB = 40.0;
    private static final double BETA_DB = -15.0;
    private static final double CLIP_FACTOR = 1.0 + Math.pow(10.0, -BETA_DB / 20.0);
    /** numpy's {@code finfo(float).eps}, which pystoi adds to every denominator. */
    private static final double EPS = Math.ulp(1.0);

    private static final ThirdOctaveBands BANDS = new ThirdOctaveBands(RATE, FFT_SIZE, 15, 150.0);
    private static final double[] WINDOW = matlabHanning(FRAME);

    private Stoi() {
    }

    /**
     * STOI of {@code processed} against {@code clean}, both mono PCM at {@code sampleRate}. If the
     * two differ in length, both are cut to the shorter one (pystoi requires equal lengths).
     *
     * @param clean      the reference speech
     * @param processed  the speech to score, time-aligned with {@code clean}
     * @param sampleRate their sample rate, Hz (resampled to 10 kHz inside)
     * @return the intelligibility index, in [-1, 1]
     * @throws IllegalArgumentException if a signal is null or empty, {@code sampleRate <= 0},
     *     {@code clean} is all zeros, or fewer than 30 STFT frames (about 0.4 s) of non-silent clean
     *     speech remain after silence removal (pystoi warns and returns 1e-5 there)
     */
    public static double compute(float[] clean, float[] processed, int sampleRate) {
        Signals.requireSignal("clean", clean);
        Signals.requireSignal("processed", processed);
        Signals.requireSampleRate(sampleRate);
        if (isSilent(clean)) {
            throw new IllegalArgumentException("clean signal is silent (all zeros); STOI needs speech");
        }
        int length = Math.min(clean.length, processed.length);
        Resampler toStoiRate = Resampler.of(sampleRate, RATE);
        double[] x = toDouble(toStoiRate.resample(Arrays.copyOf(clean, length)));
        double[] y = toDouble(toStoiRate.resample(Arrays.copyOf(processed, length)));

        double[][] voiced = removeSilentFrames(x, y);
        double[][] cleanBands = bandEnvelopes(voiced[0]);
        double[][] processedBands = bandEnvelopes(voiced[1]);
        if (cleanBands.length < SEGMENT) {
            throw new IllegalArgumentException("signal too short for STOI: " + cleanBands.length
                    + " STFT frames of non-silent speech remain after silence removal, at least "
                    + SEGMENT + " (384 ms) are needed");
        }
        return meanSegmentCorrelation(cleanBands, processedBands);
    }

    /** Returns {clean, processed} with the frames that are silent in the clean signal removed. */
    private static double[][] removeSilentFrames(double[] x, double[] y) {
        int frames = frameCount(x.length);
        double[] energyDb = new double[frames];
        double loudest = Double.NEGATIVE_INFINITY;
        for (int frame = 0; frame < frames; frame++) {
            double sum = 0.0;
            for (int i = 0; i < FRAME; i++) {
                double sample = WINDOW[i] * x[frame * HOP + i];
                sum += sample * sample;
            }
            energyDb[frame] = 20.0 * Math.log10(Math.sqrt(sum) + EPS);
            loudest = Math.max(loudest, energyDb[frame]);
        }
        int[] kept = new int[frames];
        int keptCount = 0;
        for (int frame = 0; frame < frames; frame++) {
            if (loudest - DYNAMIC_RANGE_DB - energyDb[frame] < 0) {
                kept[keptCount++] = frame;
            }
        }
        int outputLength = keptCount == 0 ? 0 : (keptCount - 1) * HOP + FRAME;
        double[] cleanOut = new double[outputLength];
        double[] processedOut = new double[outputLength];
        for (int k = 0; k < keptCount; k++) {
            int from = kept[k] * HOP;
            int to = k * HOP;
            for (int i = 0; i < FRAME; i++) {
                cleanOut[to + i] += WINDOW[i] * x[from + i];
                processedOut[to + i] += WINDOW[i] * y[from + i];
            }
        }
        return new double[][] {cleanOut, processedOut};
    }

    /** One-third-octave band magnitudes per STFT frame: {@code [frame][band]}. */
    private static double[][] bandEnvelopes(double[] signal) {
        PowerSpectrum spectrum = new PowerSpectrum(FFT_SIZE);
        double[] frameSamples = new double[FRAME];
        double[] power = new double[spectrum.bins()];
        double[][] envelopes = new double[frameCount(signal.length)][BANDS.bands()];
        for (int frame = 0; frame < envelopes.length; frame++) {
            for (int i = 0; i < FRAME; i++) {
                frameSamples[i] = WINDOW[i] * signal[frame * HOP + i];
            }
            spectrum.compute(frameSamples, power);
            BANDS.magnitudes(power, envelopes[frame]);
        }
        return envelopes;
    }

    private static double meanSegmentCorrelation(double[][] clean, double[][] processed) {
        int bands = BANDS.bands();
        double[] x = new double[SEGMENT];
        double[] y = new double[SEGMENT];
        double sum = 0.0;
        int count = 0;
        for (int end = SEGMENT; end <= clean.length; end++) {
            for (int band = 0; band < bands; band++) {
                for (int t = 0; t < SEGMENT; t++) {
                    x[t] = clean[end - SEGMENT + t][band];
                    y[t] = processed[end - SEGMENT + t][band];
                }
                sum += clippedCorrelation(x, y);
                count++;
            }
        }
        return sum / count;
    }

    /** Correlation of {@code x} with {@code y} scaled to x's energy and clipped; overwrites both. */
    private static double clippedCorrelation(double[] x, double[] y) {
        double scale = norm(x) / (norm(y) + EPS);
        for (int t = 0; t < y.length; t++) {
            y[t] = Math.min(y[t] * scale, x[t] * CLIP_FACTOR);
        }
        normalise(x);
        normalise(y);
        double correlation = 0.0;
        for (int t = 0; t < x.length; t++) {
            correlation += x[t] * y[t];
        }
        return correlation;
    }

    /** Removes the mean, then divides by the norm (plus eps, as pystoi). */
    private static void normalise(double[] vector) {
        double mean = 0.0;
        for (double value : vector) {
            mean += value;
        }
        mean /= vector.length;
        for (int t = 0; t < vector.length; t++) {
            vector[t] -= mean;
        }
        double divisor = norm(vector) + EPS;
        for (int t = 0; t < vector.length; t++) {
            vector[t] /= divisor;
        }
    }

    private static double norm(double[] vector) {
        double sum = 0.0;
        for (double value : vector) {
            sum += value * value;
        }
        return Math.sqrt(sum);
    }

    /** pystoi's framing: starts {@code 0, HOP, ...} strictly below {@code length - FRAME}. */
    private static int frameCount(int length) {
        return length <= FRAME ? 0 : (length - FRAME - 1) / HOP + 1;
    }

    /** MATLAB's symmetric {@code hanning(n)}, which excludes the zero end points. */
    private static double[] matlabHanning(int n) {
        double[] window = new double[n];
        for (int i = 0; i < n; i++) {
            window[i] = 0.5 - 0.5 * Math.cos(2.0 * Math.PI * (i + 1) / (n + 1));
        }
        return window;
    }

    private static boolean isSilent(float[] signal) {
        for (float sample : signal) {
            if (sample != 0.0f) {
                return false;
            }
        }
        return true;
    }

    private static double[] toDouble(float[] samples) {
        double[] result = new double[samples.length];
        for (int i = 0; i < samples.length; i++) {
            result[i] = samples[i];
        }
        return result;
    }
}
