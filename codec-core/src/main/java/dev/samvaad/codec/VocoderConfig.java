package dev.samvaad.codec;

import dev.samvaad.dsp.BandLayout;

/**
 * The signal model of the codec: 16 kHz audio in frames of {@code hop} samples, each described by
 * a band envelope (log power in overlapping triangular bands), the log fundamental frequency and
 * the periodicity. Analysis looks at a window of {@code 2 * hop} samples centred on the frame.
 *
 * @param sampleRate  audio sample rate in Hz
 * @param hop         samples per frame (frame rate = sampleRate / hop)
 * @param bandCentres band centres in Hz, 0 to the Nyquist frequency
 * @param minF0       lowest pitch tracked, Hz
 * @param maxF0       highest pitch tracked, Hz
 */
public record VocoderConfig(int sampleRate, int hop, double[] bandCentres, double minF0, double maxF0) {

    /** {@return 16 kHz, 20 ms frames (50 per second), 20 speech bands, pitch 60 to 450 Hz} */
    public static VocoderConfig standard() {
        return new VocoderConfig(16_000, 320, BandLayout.speech16k().centresHz(), 60, 450);
    }

    /**
     * Checks the settings; the band centres are copied.
     *
     * @param sampleRate  audio sample rate in Hz
     * @param hop         samples per frame
     * @param bandCentres band centres in Hz, rising, 0 to the Nyquist frequency
     * @param minF0       lowest pitch tracked, Hz
     * @param maxF0       highest pitch tracked, Hz, below the Nyquist frequency
     * @throws IllegalArgumentException if a setting is out of range or the analysis window
     *     ({@code 2 * hop}) is too short for {@code minF0}
     */
    public VocoderConfig {
        bandCentres = bandCentres.clone();
        if (sampleRate <= 0 || hop <= 0) {
            throw new IllegalArgumentException("sample rate and hop must be positive, got " + sampleRate + ", " + hop);
        }
        if (!(minF0 > 0 && maxF0 > minF0 && maxF0 < sampleRate / 2.0)) {
            throw new IllegalArgumentException("need 0 < minF0 < maxF0 < Nyquist, got " + minF0 + ", " + maxF0);
        }
        if (2 * hop < 2 * Math.ceil(sampleRate / minF0) + 2) {
            throw new IllegalArgumentException("a " + 2 * hop + "-sample window is too short for f0 down to " + minF0 + " Hz");
        }
        new BandLayout(bandCentres); // validates the centres
    }

    /** {@return the analysis (and noise synthesis) window length in samples: two frames} */
    public int window() {
        return 2 * hop;
    }

    /** {@return the band layout of {@link #bandCentres()}} */
    public BandLayout bands() {
        return new BandLayout(bandCentres);
    }

    /** {@return the feature vector size: one log energy per band, then log f0, then periodicity} */
    public int featureSize() {
        return bandCentres.length + 2;
    }

    /** {@return the index of log f0 in a feature vector} */
    public int logF0Index() {
        return bandCentres.length;
    }

    /** {@return the index of the periodicity in a feature vector} */
    public int periodicityIndex() {
        return bandCentres.length + 1;
    }

    /** {@return frames per second, {@code sampleRate / hop}} */
    public double framesPerSecond() {
        return (double) sampleRate / hop;
    }
}
