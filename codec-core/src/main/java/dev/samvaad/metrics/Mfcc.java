package dev.samvaad.metrics;

/**
 * Mel-frequency cepstral coefficients.
 *
 * <p>Frames and mel bands come from a standard mel spectrogram: 25 ms Hann window,
 * 10 ms hop, FFT size the next power of two, HTK mel filters from 0 Hz to {@code sampleRate / 2}
 * (40 bands by default). Per frame, the natural logarithm of each band's power (floored at
 * {@code 1e-10}) goes through an orthonormal DCT-II, {@code c[k] = s(k) sum_m log(P[m]) cos(pi k
 * (2m + 1) / (2 M))} with {@code s(0) = sqrt(1/M)} and {@code s(k) = sqrt(2/M)}, of which the
 * first {@code nCoefficients} (13 by default) are kept, {@code c[0]} included. Scaling the signal by
 * {@code a} therefore adds {@code sqrt(M) ln(a^2)} to {@code c[0]} and leaves the rest unchanged.
 *
 * <p>Immutable and thread-safe.
 */
public final class Mfcc {

    private static final double CONSTANT_DEVIATION = 1e-6;

    private final MelSpectrogram mel;
    private final double[][] dct;

    /**
     * 13 coefficients from 40 mel bands.
     *
     * @param sampleRate the sample rate of the signals, Hz
     * @throws IllegalArgumentException if {@code sampleRate <= 0}
     */
    public Mfcc(int sampleRate) {
        this(sampleRate, 13, 40);
    }

    /**
     * Any number of coefficients and mel bands.
     *
     * @param sampleRate    the sample rate of the signals, Hz
     * @param nCoefficients coefficients kept per frame, {@code c[0]} included
     * @param nMels         mel bands
     * @throws IllegalArgumentException if {@code sampleRate <= 0}, {@code nMels < 1}, or
     *     {@code nCoefficients} is not in {@code 1 .. nMels}
     */
    public Mfcc(int sampleRate, int nCoefficients, int nMels) {
        Signals.requireSampleRate(sampleRate);
        if (nMels < 1) {
            throw new IllegalArgumentException("nMels must be positive, got " + nMels);
        }
        if (nCoefficients < 1 || nCoefficients > nMels) {
            throw new IllegalArgumentException("nCoefficients must be in 1 .. nMels (" + nMels + "), got "
                    + nCoefficients);
        }
        this.mel = MelSpectrogram.standard(sampleRate, nMels);
        this.dct = orthonormalDct(nCoefficients, nMels);
    }

    /**
     * MFCCs of a signal.
     *
     * @param pcm mono audio at the sample rate given to the constructor
     * @return {@code [frames][nCoefficients]}, one frame per 10 ms hop
     * @throws IllegalArgumentException if {@code pcm} is null or empty
     */
    public float[][] compute(float[] pcm) {
        float[][] power = mel.melPower(pcm);
        float[][] result = new float[power.length][dct.length];
        double[] logPower = new double[mel.nMels()];
        for (int t = 0; t < power.length; t++) {
            for (int m = 0; m < logPower.length; m++) {
                logPower[m] = Math.log(Math.max(power[t][m], MelSpectrogram.POWER_FLOOR));
            }
            for (int k = 0; k < dct.length; k++) {
                double sum = 0.0;
                for (int m = 0; m < logPower.length; m++) {
                    sum += dct[k][m] * logPower[m];
                }
                result[t][k] = (float) sum;
            }
        }
        return result;
    }

    /**
     * MFCCs with per-utterance cepstral mean and variance normalisation (CMVN): each coefficient
     * has its mean over the frames subtracted and is divided by its standard deviation (population,
     * over the frames), so that utterances from different voices and channels compare. A
     * coefficient that is constant over the utterance (standard deviation at most 1e-6, e.g. with a
     * single frame) only has its mean removed, so it becomes 0.
     *
     * @param pcm mono audio at the sample rate given to the constructor
     * @return {@code [frames][nCoefficients]}, normalised per coefficient
     * @throws IllegalArgumentException if {@code pcm} is null or empty
     */
    public float[][] normalised(float[] pcm) {
        float[][] features = compute(pcm);
        int frames = features.length;
        for (int k = 0; k < dct.length; k++) {
            double mean = 0.0;
            for (float[] frame : features) {
                mean += frame[k];
            }
            mean /= frames;
            double variance = 0.0;
            for (float[] frame : features) {
                variance += (frame[k] - mean) * (frame[k] - mean);
            }
            double deviation = Math.sqrt(variance / frames);
            // Rounding leaves a constant coefficient a tiny spread; scaling that up would be noise.
            double divisor = deviation > CONSTANT_DEVIATION ? deviation : 1.0;
            for (float[] frame : features) {
                frame[k] = (float) ((frame[k] - mean) / divisor);
            }
        }
        return features;
    }

    /** {@return the number of coefficients per frame} */
    public int coefficients() {
        return dct.length;
    }

    /** The mel spectrogram the coefficients are computed from. */
    MelSpectrogram melSpectrogram() {
        return mel;
    }

    private static double[][] orthonormalDct(int rows, int size) {
        double[][] matrix = new double[rows][size];
        for (int k = 0; k < rows; k++) {
            double scale = Math.sqrt((k == 0 ? 1.0 : 2.0) / size);
            for (int m = 0; m < size; m++) {
                matrix[k][m] = scale * Math.cos(Math.PI * k * (2 * m + 1) / (2.0 * size));
            }
        }
        return matrix;
    }
}
