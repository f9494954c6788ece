package dev.samvaad.codec;

import dev.samvaad.dsp.BandLayout;
import dev.samvaad.dsp.Windows;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.jtransforms.fft.DoubleFFT_1D;

/**
 * The synthesizer as it was before the decode-speed work (issue 8), kept verbatim as the
 * reference the optimised {@link VocoderSynthesizer} is tested against.
 *
 * Turns frame features back into 16 kHz audio, frame by frame: a harmonic part (one oscillator
 * per harmonic of f0, phase-continuous, amplitudes from the band envelope, interpolated between
 * frame centres) plus a noise part (envelope-shaped noise, one windowed frame per frame centre,
 * overlap-added), mixed by the periodicity. Both parts are calibrated so that analysing the output
 * gives back the band powers it was made from.
 *
 * <p>Output is aligned with the analysed input: after frame {@code t} the audio up to the centre
 * of frame {@code t} exists; {@link #finish()} adds the last half frame. The noise is seeded per
 * frame index, so the output depends only on the frames. Not thread-safe: one per stream.
 */
final class ReferenceSynthesizer {
    private static final int SUB_BLOCK = 80;
    /** Harmonics stop short of Nyquist, where the band envelope says little. */
    private static final double TOP_HZ_MARGIN = 250;
    private static final int CORRECTIONS = 3;

    private final VocoderConfig config;
    private final BandLayout bands;
    private final int hop;
    private final int window;
    private final double sampleRate;
    private final double windowEnergy;
    private final double[] noiseWindow;
    private final DoubleFFT_1D fft;
    private final double[] noiseFrame;
    private final long seed;
    private final double[] centres;
    private final double[] bandWidthBins;

    private final double[] phase;
    private final double[] ampStart;
    private final double[] ampEnd;
    private final float[] envelope;
    private final double[] predicted;

    private float[] previous;
    private final double[] pendingNoise;
    private int frameIndex;

    ReferenceSynthesizer(VocoderConfig config, long seed) {
        this.config = config;
        this.bands = config.bands();
        this.hop = config.hop();
        this.window = config.window();
        this.sampleRate = config.sampleRate();
        this.windowEnergy = Windows.energy(Windows.hann(window));
        this.noiseWindow = Windows.sqrtHann(window);
        this.fft = new DoubleFFT_1D(window);
        this.noiseFrame = new double[window];
        this.seed = seed;
        this.centres = bands.centresHz();
        double[][] weights = bands.binWeights(window, config.sampleRate());
        this.bandWidthBins = new double[weights.length];
        for (int j = 0; j < weights.length; j++) {
            bandWidthBins[j] = Arrays.stream(weights[j]).sum();
        }
        int maxHarmonics = (int) (sampleRate / 2 / config.minF0()) + 1;
        this.phase = new double[maxHarmonics + 1];
        this.ampStart = new double[maxHarmonics + 1];
        this.ampEnd = new double[maxHarmonics + 1];
        this.envelope = new float[bands.bands()];
        this.predicted = new double[bands.bands()];
        this.pendingNoise = new double[hop];
    }

    /** Audio made available by one more frame of features. */
    float[] push(float[] features) {
        float[] frame = correctedEnvelope(features);
        double[] noise = noiseFrame(features, frameIndex++);
        float[] out;
        if (previous == null) {
            // Before the first frame centre only the first frame is known; noise frame 0 starts
            // half a frame before the signal.
            out = new float[hop / 2];
            harmonic(frame, frame, out);
            for (int n = 0; n < out.length; n++) {
                out[n] += (float) noise[n + hop / 2];
            }
        } else {
            out = new float[hop];
            harmonic(previous, frame, out);
            for (int n = 0; n < hop; n++) {
                out[n] += (float) (pendingNoise[n] + noise[n]);
            }
        }
        System.arraycopy(noise, hop, pendingNoise, 0, hop);
        previous = frame;
        return out;
    }

    /** The last half frame after the final centre; the stream is over afterwards. */
    float[] finish() {
        if (previous == null) {
            return new float[0];
        }
        float[] out = new float[hop - hop / 2];
        harmonic(previous, previous, out);
        for (int n = 0; n < out.length; n++) {
            out[n] += (float) pendingNoise[n];
        }
        previous = null;
        return out;
    }

    /**
     * Harmonic part of a segment running from frame {@code a}'s centre to frame {@code b}'s
     * (both with corrected envelopes, see {@link #correctedEnvelope}). f0 changes per sub-block,
     * phase-continuously; each harmonic's amplitude moves linearly from its value at the end of
     * the previous sub-block, so amplitudes never jump.
     */
    private void harmonic(float[] a, float[] b, float[] out) {
        int length = out.length;
        double logF0A = a[config.logF0Index()], logF0B = b[config.logF0Index()];
        for (int start = 0; start < length; start += SUB_BLOCK) {
            int m = Math.min(SUB_BLOCK, length - start);
            double alphaEnd = (double) (start + m) / length;
            double f0 = Math.exp(logF0A + (logF0B - logF0A) * ((double) start / length + alphaEnd) / 2);
            int harmonics = (int) ((sampleRate / 2 - TOP_HZ_MARGIN) / f0);
            for (int j = 0; j < envelope.length; j++) {
                envelope[j] = (float) (a[j] + (b[j] - a[j]) * alphaEnd);
            }
            double periodicity = a[config.periodicityIndex()]
                    + (b[config.periodicityIndex()] - a[config.periodicityIndex()]) * alphaEnd;
            // A harmonic of per-bin power p has amplitude sqrt(4 p f0 / (E fs)).
            double scale = 4 * f0 / (windowEnergy * sampleRate) * voicing(periodicity);
            for (int k = 1; k < ampEnd.length; k++) {
                double hz = k * f0;
                ampEnd[k] = k <= harmonics
                        ? Math.sqrt(scale * highBandTaper(hz) * Math.exp(bands.interpolate(envelope, 0, hz)))
                        : 0;
            }
            for (int k = 1; k < ampEnd.length; k++) {
                double omega = 2 * Math.PI * k * f0 / sampleRate;
                if (ampStart[k] > 0 || ampEnd[k] > 0) {
                    addOscillator(out, start, m, phase[k], omega, ampStart[k], ampEnd[k]);
                }
                // Silent harmonics keep their phase running too, so they re-enter smoothly.
                phase[k] = (phase[k] + m * omega) % (2 * Math.PI);
                ampStart[k] = ampEnd[k];
            }
        }
    }

    /** Adds {@code m} samples of a cosine with a linear amplitude ramp, by complex rotation. */
    private static void addOscillator(float[] out, int start, int m, double phase, double omega, double from, double to) {
        double c = Math.cos(phase), s = Math.sin(phase);
        double cw = Math.cos(omega), sw = Math.sin(omega);
        double amp = from, step = (to - from) / m;
        for (int n = 0; n < m; n++) {
            out[start + n] += (float) (amp * c);
            double nc = c * cw - s * sw;
            s = s * cw + c * sw;
            c = nc;
            amp += step;
        }
    }

    /**
     * The frame's features with the band log powers corrected for harmonic synthesis. Reading
     * the envelope at each harmonic is not enough when harmonics are sparser than bands (high
     * voices): a band between two harmonics would come out empty and its neighbours too loud.
     * So, at the frame's f0, per-band corrections are found that make the predicted band powers
     * of the harmonics equal the wanted ones; they are then interpolated between frames like the
     * envelope itself.
     */
    private float[] correctedEnvelope(float[] features) {
        float[] corrected = features.clone();
        int nBands = bands.bands();
        double f0 = Math.exp(features[config.logF0Index()]);
        int count = (int) ((sampleRate / 2 - TOP_HZ_MARGIN) / f0);
        // A harmonic of per-bin power p puts p * f0 * L / fs of energy into the bins near it.
        double binsPerHarmonic = f0 * window / sampleRate;
        for (int iteration = 0; iteration < CORRECTIONS; iteration++) {
            Arrays.fill(predicted, 0);
            int j = 0;
            for (int k = 1; k <= count; k++) {
                double hz = k * f0;
                while (j + 1 < nBands && centres[j + 1] <= hz) {
                    j++;
                }
                double energy = Math.exp(bands.interpolate(corrected, 0, hz)) * binsPerHarmonic;
                predicted[j] += bands.weight(j, hz) * energy;
                if (j + 1 < nBands) {
                    predicted[j + 1] += bands.weight(j + 1, hz) * energy;
                }
            }
            for (int b = 0; b < nBands; b++) {
                // A band with no harmonic in it cannot be corrected; it is left as it is.
                if (predicted[b] > 1e-30) {
                    double ratio = Math.log(Math.exp(features[b]) * bandWidthBins[b] / predicted[b]);
                    corrected[b] += (float) Math.max(-2.3, Math.min(2.3, ratio));
                }
            }
        }
        return corrected;
    }

    /** The noise part of one frame: envelope-shaped Gaussian noise under a sqrt-Hann window. */
    private double[] noiseFrame(float[] features, int index) {
        SplittableRandom random = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (index + 1)));
        double voiced = voicing(features[config.periodicityIndex()]);
        Arrays.fill(noiseFrame, 0);
        int bins = window / 2;
        for (int k = 1; k < bins; k++) {
            double hz = k * sampleRate / window;
            double unvoiced = 1 - voiced * highBandTaper(hz);
            // White noise of variance P/E gives power P per bin; the inverse FFT divides by L.
            double power = Math.exp(bands.interpolate(features, 0, hz)) * unvoiced * window / windowEnergy;
            double scale = Math.sqrt(power / 2);
            noiseFrame[2 * k] = scale * random.nextGaussian();
            noiseFrame[2 * k + 1] = scale * random.nextGaussian();
        }
        fft.realInverse(noiseFrame, true);
        double[] out = new double[window];
        for (int n = 0; n < window; n++) {
            out[n] = noiseFrame[n] * noiseWindow[n];
        }
        return out;
    }

    /** Periodicity to the share of the envelope given to harmonics. */
    static double voicing(double periodicity) {
        return Math.max(0, Math.min(1, (periodicity - 0.45) / 0.4));
    }

    /** Voiced speech gets noisier at high frequencies: the harmonic share fades above 3 kHz. */
    static double highBandTaper(double hz) {
        return hz <= 3000 ? 1 : Math.max(0.3, 1 - (hz - 3000) / 5000);
    }
}
