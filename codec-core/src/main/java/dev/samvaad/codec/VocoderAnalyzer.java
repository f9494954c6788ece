package dev.samvaad.codec;

import dev.samvaad.dsp.PitchEstimator;
import dev.samvaad.dsp.Windows;
import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Frame features of 16 kHz audio: for frame {@code t} (samples {@code [t*hop, (t+1)*hop)}), a
 * Hann window of {@code 2*hop} samples centred on the frame gives the band log powers; YIN on the
 * same samples gives f0 and periodicity. Frames whose pitch is not trusted carry the last trusted
 * log f0, so the pitch dimension does not waste bits on noise. Not thread-safe: one per stream.
 */
final class VocoderAnalyzer {
    /** Log-power floor: about -100 dB below a full-scale sine in one band. */
    static final double POWER_FLOOR = 1e-6;
    private static final double TRUSTED_PERIODICITY = 0.5;

    private final VocoderConfig config;
    private final int window;
    private final double[] hann;
    private final double[][] bandWeights;
    private final double[] bandWeightSums;
    private final DoubleFFT_1D fft;
    private final double[] spectrum;
    private final PitchEstimator pitch;
    private double lastLogF0;

    VocoderAnalyzer(VocoderConfig config) {
        this.config = config;
        this.window = config.window();
        this.hann = Windows.hann(window);
        this.bandWeights = config.bands().binWeights(window, config.sampleRate());
        this.bandWeightSums = new double[bandWeights.length];
        for (int j = 0; j < bandWeights.length; j++) {
            for (double w : bandWeights[j]) {
                bandWeightSums[j] += w;
            }
        }
        this.fft = new DoubleFFT_1D(window);
        this.spectrum = new double[window];
        this.pitch = new PitchEstimator(config.sampleRate(), config.minF0(), config.maxF0(), window);
        this.lastLogF0 = Math.log(Math.sqrt(config.minF0() * config.maxF0()));
    }

    /** Features of the window {@code samples[offset, offset + 2*hop)} into {@code out}. */
    void analyze(float[] samples, int offset, float[] out) {
        for (int n = 0; n < window; n++) {
            spectrum[n] = samples[offset + n] * hann[n];
        }
        fft.realForward(spectrum);
        int bins = window / 2 + 1;
        for (int j = 0; j < bandWeights.length; j++) {
            double sum = 0;
            double[] w = bandWeights[j];
            for (int k = 0; k < bins; k++) {
                if (w[k] != 0) {
                    sum += w[k] * power(k, bins);
                }
            }
            out[j] = (float) Math.log(sum / bandWeightSums[j] + POWER_FLOOR);
        }
        PitchEstimator.Pitch p = pitch.estimate(samples, offset);
        if (p.periodicity() >= TRUSTED_PERIODICITY) {
            lastLogF0 = Math.log(p.f0());
        }
        out[config.logF0Index()] = (float) lastLogF0;
        out[config.periodicityIndex()] = (float) p.periodicity();
    }

    /** |X_k|^2 from JTransforms' packed real-FFT layout. */
    private double power(int k, int bins) {
        if (k == 0) {
            return spectrum[0] * spectrum[0];
        }
        if (k == bins - 1) {
            return spectrum[1] * spectrum[1]; // Nyquist bin (even window length)
        }
        double re = spectrum[2 * k], im = spectrum[2 * k + 1];
        return re * re + im * im;
    }

    /** The analysis window's energy, which links band power to signal power. */
    double windowEnergy() {
        return Windows.energy(hann);
    }
}
