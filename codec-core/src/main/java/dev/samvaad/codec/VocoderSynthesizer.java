package dev.samvaad.codec;

import dev.samvaad.dsp.BandLayout;
import dev.samvaad.dsp.Windows;
import dev.samvaad.tensor.FloatKernels;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Turns frame features back into 16 kHz audio, frame by frame: a harmonic part (one oscillator
 * per harmonic of f0, phase-continuous, amplitudes from the band envelope, interpolated between
 * frame centres) plus a noise part (envelope-shaped noise, one windowed frame per frame centre,
 * overlap-added), mixed by the periodicity. Both parts are calibrated so that analysing the output
 * gives back the band powers it was made from.
 *
 * <p>Output is aligned with the analysed input: after frame {@code t} the audio up to the centre
 * of frame {@code t} exists; {@link #finish()} adds the last half frame. The noise is seeded per
 * frame index, so the output depends only on the frames. Not thread-safe: one per stream.
 *
 * <p>Speed: harmonic {@code k}'s phase is always {@code k} times the fundamental's (all start
 * at 0 and advance by {@code k} times the fundamental's step), so one phase is kept and the
 * oscillator bank runs on {@link FloatKernels#addHarmonics} (SIMD across samples with the Vector
 * API) from two sine and cosine pairs per sub-block; envelopes are read as powers along harmonics and FFT bins by {@link BandLayout#expInterpolateSpaced}
 * (one {@code exp} per band, not per harmonic or bin). The audio equals the direct formulas' to
 * float rounding (tested against the original implementation).
 */
final class VocoderSynthesizer {
    private static final FloatKernels KERNELS = FloatKernels.best();
    private static final int SUB_BLOCK = 80;
    /** Harmonics stop short of Nyquist, where the band envelope says little. */
    private static final double TOP_HZ_MARGIN = 250;
    private static final int CORRECTIONS = 3;
    /** Above this frequency voiced speech gets noisier (see {@link #highBandTaper}). */
    private static final double TAPER_FROM_HZ = 3000;

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
    private final double[] logBandWidthBins;

    /** Phase of the fundamental at the start of the next sub-block, radians in [0, 2 pi). */
    private double phase;
    /** Harmonic {@code k} is index {@code k - 1}. */
    private final double[] ampStart;
    private final double[] ampEnd;
    private final float[] envelope;
    private final double[] predicted;
    /** Per harmonic of a frame's f0 (grown for very low f0): band segment, position in it, power. */
    private int[] harmonicSegment;
    private double[] harmonicFraction;
    private double[] harmonicPower;
    private final double[] subBlock;
    /** Per noise bin: the high-band taper there, and the envelope there as a power (scratch). */
    private final double[] binTaper;
    private final double[] binPower;

    private float[] previous;
    private final double[] pendingNoise;
    private int frameIndex;

    VocoderSynthesizer(VocoderConfig config, long seed) {
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
        this.logBandWidthBins = new double[weights.length];
        for (int j = 0; j < weights.length; j++) {
            logBandWidthBins[j] = Math.log(Arrays.stream(weights[j]).sum());
        }
        int maxHarmonics = (int) (sampleRate / 2 / config.minF0()) + 1;
        this.ampStart = new double[maxHarmonics];
        this.ampEnd = new double[maxHarmonics];
        this.envelope = new float[bands.bands()];
        this.predicted = new double[bands.bands()];
        this.harmonicSegment = new int[maxHarmonics];
        this.harmonicFraction = new double[maxHarmonics];
        this.harmonicPower = new double[maxHarmonics];
        this.subBlock = new double[SUB_BLOCK];
        int bins = window / 2;
        this.binTaper = new double[bins];
        this.binPower = new double[bins];
        for (int k = 1; k < bins; k++) {
            binTaper[k] = highBandTaper(k * sampleRate / window);
        }
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
            int harmonics = (int) Math.min(ampEnd.length, (sampleRate / 2 - TOP_HZ_MARGIN) / f0);
            for (int j = 0; j < envelope.length; j++) {
                envelope[j] = (float) (a[j] + (b[j] - a[j]) * alphaEnd);
            }
            double periodicity = a[config.periodicityIndex()]
                    + (b[config.periodicityIndex()] - a[config.periodicityIndex()]) * alphaEnd;
            // A harmonic of per-bin power p has amplitude sqrt(4 p f0 / (E fs)).
            double scale = 4 * f0 / (windowEnergy * sampleRate) * voicing(periodicity);
            Arrays.fill(ampEnd, 0);
            if (scale > 0) {
                // sqrt(exp(envelope)) = exp(envelope / 2): amplitudes straight from the envelope.
                bands.expInterpolateSpaced(envelope, 0, 0.5, f0, 1, harmonics, ampEnd);
                double rootScale = Math.sqrt(scale);
                int untapered = (int) Math.min(harmonics, TAPER_FROM_HZ / f0);
                for (int i = 0; i < untapered; i++) {
                    ampEnd[i] *= rootScale;
                }
                for (int i = untapered; i < harmonics; i++) {
                    ampEnd[i] *= Math.sqrt(scale * highBandTaper((i + 1) * f0));
                }
            }
            int sounding = ampEnd.length;
            while (sounding > 0 && !(ampStart[sounding - 1] > 0 || ampEnd[sounding - 1] > 0)) {
                sounding--;
            }
            double omega = 2 * Math.PI * f0 / sampleRate;
            if (sounding > 0) {
                Arrays.fill(subBlock, 0, m, 0);
                KERNELS.addHarmonics(Math.cos(phase), Math.sin(phase), Math.cos(omega), Math.sin(omega), ampStart,
                        ampEnd, sounding, subBlock, m);
                for (int n = 0; n < m; n++) {
                    out[start + n] += (float) subBlock[n];
                }
            }
            // Silent harmonics keep their phase running too (it is k times this one), so they
            // re-enter smoothly.
            phase = (phase + m * omega) % (2 * Math.PI);
            System.arraycopy(ampEnd, 0, ampStart, 0, ampEnd.length);
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
        if (count > harmonicPower.length) {
            harmonicSegment = new int[count];
            harmonicFraction = new double[count];
            harmonicPower = new double[count];
        }
        // Where each harmonic sits among the bands: the same in every iteration.
        for (int k = 1, j = 0; k <= count; k++) {
            double hz = k * f0;
            while (j + 1 < nBands && centres[j + 1] <= hz) {
                j++;
            }
            harmonicSegment[k - 1] = j;
            harmonicFraction[k - 1] = bands.fraction(hz, j);
        }
        // A harmonic of per-bin power p puts p * f0 * L / fs of energy into the bins near it.
        double binsPerHarmonic = f0 * window / sampleRate;
        for (int iteration = 0; iteration < CORRECTIONS; iteration++) {
            Arrays.fill(predicted, 0);
            if (count > 0) {
                bands.expInterpolateSpaced(corrected, 0, 1, f0, 1, count, harmonicPower);
            }
            for (int i = 0; i < count; i++) {
                int j = harmonicSegment[i];
                double t = harmonicFraction[i], energy = harmonicPower[i] * binsPerHarmonic;
                predicted[j] += (1 - t) * energy;
                if (j + 1 < nBands) {
                    predicted[j + 1] += t * energy;
                }
            }
            for (int b = 0; b < nBands; b++) {
                // A band with no harmonic in it cannot be corrected; it is left as it is.
                if (predicted[b] > 1e-30) {
                    // log(wanted band energy / predicted), wanted = exp(features[b]) * band width in bins
                    double ratio = features[b] + logBandWidthBins[b] - Math.log(predicted[b]);
                    corrected[b] += (float) Math.max(-2.3, Math.min(2.3, ratio));
                }
            }
        }
        return corrected;
    }

    /**
     * The noise part of one frame: envelope-shaped Gaussian noise under a sqrt-Hann window, in a
     * buffer that the next call overwrites.
     */
    private double[] noiseFrame(float[] features, int index) {
        SplittableRandom random = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (index + 1)));
        double voiced = voicing(features[config.periodicityIndex()]);
        Arrays.fill(noiseFrame, 0);
        int bins = window / 2;
        bands.expInterpolateSpaced(features, 0, 1, sampleRate / window, 0, bins, binPower);
        for (int k = 1; k < bins; k++) {
            double unvoiced = 1 - voiced * binTaper[k];
            // White noise of variance P/E gives power P per bin; the inverse FFT divides by L.
            double power = binPower[k] * unvoiced * window / windowEnergy;
            double scale = Math.sqrt(power / 2);
            noiseFrame[2 * k] = scale * random.nextGaussian();
            noiseFrame[2 * k + 1] = scale * random.nextGaussian();
        }
        fft.realInverse(noiseFrame, true);
        for (int n = 0; n < window; n++) {
            noiseFrame[n] *= noiseWindow[n];
        }
        return noiseFrame;
    }

    /** Periodicity to the share of the envelope given to harmonics. */
    static double voicing(double periodicity) {
        return Math.max(0, Math.min(1, (periodicity - 0.45) / 0.4));
    }

    /** Voiced speech gets noisier at high frequencies: the harmonic share fades above 3 kHz. */
    static double highBandTaper(double hz) {
        return hz <= TAPER_FROM_HZ ? 1 : Math.max(0.3, 1 - (hz - TAPER_FROM_HZ) / 5000);
    }
}
