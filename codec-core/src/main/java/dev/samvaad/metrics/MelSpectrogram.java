package dev.samvaad.metrics;

import java.util.function.DoubleUnaryOperator;

/**
 * Mel-scale power spectrogram of mono PCM.
 *
 * <p>Framing: frames of {@code windowLength} samples start at sample {@code 0, hop, 2 hop, ...}
 * (not centred), until a frame reaches the last sample; the last frame is zero-padded past the
 * end of the signal. A signal of {@code n > 0} samples thus gives {@link #frameCount(int)
 * 1 + ceil(max(0, n - windowLength) / hop)} frames. Each frame is multiplied by a periodic Hann
 * window ({@code 0.5 - 0.5 cos(2 pi i / windowLength)}), zero-padded to {@code fftSize}, and its
 * power spectrum {@code |X[k]|^2} (unnormalised FFT, bins {@code 0 .. fftSize / 2}) is taken.
 *
 * <p>Filters: {@code nMels} triangular filters with peak 1 (no area normalisation), their corner
 * frequencies equally spaced on the HTK mel scale {@code mel(f) = 2595 log10(1 + f / 700)} from
 * {@code fMin} to {@code fMax}; filter {@code m} rises from corner {@code m} to corner {@code m+1}
 * and falls to corner {@code m+2}, weighting each FFT bin by its frequency {@code k * sampleRate /
 * fftSize}. A mel band's value is the weighted sum of bin powers.
 *
 * <p>Immutable and thread-safe.
 */
final class MelSpectrogram {

    /** Floor on mel power before taking logarithms: -100 dB. */
    static final double POWER_FLOOR = 1e-10;

    private final int sampleRate;
    private final int windowLength;
    private final int fftSize;
    private final int hop;
    private final double fMin;
    private final double fMax;
    private final double[] window;
    private final double[] centres;
    private final int[] firstBin;
    private final double[][] weights;

    /**
     * A mel spectrogram whose window spans the whole FFT ({@code windowLength = fftSize}).
     *
     * @throws IllegalArgumentException as {@link #MelSpectrogram(int, int, int, int, int, double,
     *     double)}
     */
    public MelSpectrogram(int sampleRate, int fftSize, int hop, int nMels, double fMin, double fMax) {
        this(sampleRate, fftSize, fftSize, hop, nMels, fMin, fMax);
    }

    /**
     * @param sampleRate samples per second of the input
     * @param windowLength samples per frame (Hann window length)
     * @param fftSize FFT length; frames are zero-padded to it
     * @param hop samples between frame starts
     * @param nMels number of mel bands
     * @param fMin lower edge of the lowest filter, Hz
     * @param fMax upper edge of the highest filter, Hz
     * @throws IllegalArgumentException if {@code sampleRate}, {@code hop} or {@code nMels} is not
     *     positive, {@code windowLength} is not in {@code 1 .. fftSize}, or not {@code 0 <= fMin <
     *     fMax <= sampleRate / 2}
     */
    public MelSpectrogram(int sampleRate, int windowLength, int fftSize, int hop, int nMels,
            double fMin, double fMax) {
        Signals.requireSampleRate(sampleRate);
        requirePositive("fftSize", fftSize);
        requirePositive("hop", hop);
        requirePositive("nMels", nMels);
        if (windowLength < 1 || windowLength > fftSize) {
            throw new IllegalArgumentException("windowLength must be in 1 .. fftSize (" + fftSize
                    + "), got " + windowLength);
        }
        if (!(fMin >= 0.0 && fMin < fMax && fMax <= sampleRate / 2.0)) {
            throw new IllegalArgumentException("need 0 <= fMin < fMax <= sampleRate / 2 (" + sampleRate / 2.0
                    + " Hz), got fMin " + fMin + " Hz, fMax " + fMax + " Hz");
        }
        this.sampleRate = sampleRate;
        this.windowLength = windowLength;
        this.fftSize = fftSize;
        this.hop = hop;
        this.fMin = fMin;
        this.fMax = fMax;
        this.window = periodicHann(windowLength);
        this.centres = new double[nMels];
        this.firstBin = new int[nMels];
        this.weights = new double[nMels][];
        buildFilters();
    }

    /**
     * The usual speech front end: 25 ms Hann window and 10 ms hop (both rounded to whole samples),
     * FFT size the next power of two at or above the window, 80 mel bands from 0 Hz to
     * {@code sampleRate / 2}. At 16 kHz: window 400, hop 160, FFT 512.
     *
     * @throws IllegalArgumentException if {@code sampleRate <= 0}
     */
    public static MelSpectrogram standard(int sampleRate) {
        return standard(sampleRate, 80);
    }

    /**
     * As {@link #standard(int)}, with {@code nMels} bands.
     *
     * @throws IllegalArgumentException if {@code sampleRate} or {@code nMels} is not positive
     */
    public static MelSpectrogram standard(int sampleRate, int nMels) {
        Signals.requireSampleRate(sampleRate);
        int windowLength = (int) Math.max(1, Math.round(0.025 * sampleRate));
        int hop = (int) Math.max(1, Math.round(0.010 * sampleRate));
        int fftSize = Integer.highestOneBit(windowLength);
        if (fftSize < windowLength) {
            fftSize <<= 1;
        }
        return new MelSpectrogram(sampleRate, windowLength, fftSize, hop, nMels, 0.0, sampleRate / 2.0);
    }

    /**
     * Number of frames for a signal of {@code samples} samples: {@code 1 + ceil(max(0, samples -
     * windowLength) / hop)}.
     *
     * @throws IllegalArgumentException if {@code samples < 1}
     */
    public int frameCount(int samples) {
        if (samples < 1) {
            throw new IllegalArgumentException("samples must be positive, got " + samples);
        }
        int beyondFirst = Math.max(0, samples - windowLength);
        return 1 + (beyondFirst + hop - 1) / hop;
    }

    /**
     * Mel band powers, {@code [frames][nMels]}: filter-weighted sums of the unnormalised power
     * spectrum, in squared PCM units.
     *
     * @throws IllegalArgumentException if {@code pcm} is null or empty
     */
    public float[][] melPower(float[] pcm) {
        return transform(pcm, power -> power);
    }

    /**
     * Log-mel spectrogram in dB, {@code [frames][nMels]}: {@code 10 log10(max(power, 1e-10))} of
     * {@link #melPower(float[])}, so values are at least -100 dB.
     *
     * @throws IllegalArgumentException if {@code pcm} is null or empty
     */
    public float[][] logMel(float[] pcm) {
        return transform(pcm, power -> 10.0 * Math.log10(Math.max(power, POWER_FLOOR)));
    }

    /** Centre (peak) frequency of each mel filter, in Hz, ascending. */
    public double[] bandCentres() {
        return centres.clone();
    }

    /** Input sample rate, Hz. */
    public int sampleRate() {
        return sampleRate;
    }

    /** Samples per frame. */
    public int windowLength() {
        return windowLength;
    }

    /** FFT length; frames are zero-padded to it. */
    public int fftSize() {
        return fftSize;
    }

    /** Samples between frame starts. */
    public int hop() {
        return hop;
    }

    /** Number of mel bands per frame. */
    public int nMels() {
        return centres.length;
    }

    /** Lower edge of the lowest filter, Hz. */
    public double fMin() {
        return fMin;
    }

    /** Upper edge of the highest filter, Hz. */
    public double fMax() {
        return fMax;
    }

    private float[][] transform(float[] pcm, DoubleUnaryOperator scale) {
        Signals.requireSignal("pcm", pcm);
        PowerSpectrum spectrum = new PowerSpectrum(fftSize);
        double[] frame = new double[windowLength];
        double[] power = new double[spectrum.bins()];
        float[][] result = new float[frameCount(pcm.length)][centres.length];
        for (int t = 0; t < result.length; t++) {
            int start = t * hop;
            int available = Math.min(windowLength, pcm.length - start);
            for (int i = 0; i < windowLength; i++) {
                frame[i] = i < available ? window[i] * pcm[start + i] : 0.0;
            }
            spectrum.compute(frame, power);
            for (int m = 0; m < centres.length; m++) {
                double sum = 0.0;
                for (int j = 0; j < weights[m].length; j++) {
                    sum += weights[m][j] * power[firstBin[m] + j];
                }
                result[t][m] = (float) scale.applyAsDouble(sum);
            }
        }
        return result;
    }

    private void buildFilters() {
        int nMels = centres.length;
        double melLow = hzToMel(fMin);
        double melStep = (hzToMel(fMax) - melLow) / (nMels + 1);
        double binWidth = (double) sampleRate / fftSize;
        int bins = fftSize / 2 + 1;
        for (int m = 0; m < nMels; m++) {
            double lower = melToHz(melLow + m * melStep);
            double centre = melToHz(melLow + (m + 1) * melStep);
            double upper = melToHz(melLow + (m + 2) * melStep);
            centres[m] = centre;
            int from = Math.min(bins, (int) Math.floor(lower / binWidth) + 1);
            int to = Math.min(bins, (int) Math.ceil(upper / binWidth));
            firstBin[m] = from;
            weights[m] = new double[Math.max(0, to - from)];
            for (int k = from; k < to; k++) {
                double frequency = k * binWidth;
                double rising = (frequency - lower) / (centre - lower);
                double falling = (upper - frequency) / (upper - centre);
                weights[m][k - from] = Math.max(0.0, Math.min(rising, falling));
            }
        }
    }

    static double hzToMel(double hz) {
        return 2595.0 * Math.log10(1.0 + hz / 700.0);
    }

    static double melToHz(double mel) {
        return 700.0 * (Math.pow(10.0, mel / 2595.0) - 1.0);
    }

    private static double[] periodicHann(int length) {
        double[] window = new double[length];
        for (int i = 0; i < length; i++) {
            window[i] = 0.5 - 0.5 * Math.cos(2.0 * Math.PI * i / length);
        }
        return window;
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
