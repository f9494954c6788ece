package dev.samvaad.dsp;

import java.util.Arrays;

/**
 * A spectral envelope as a few overlapping triangular bands: band {@code j} rises from centre
 * {@code j-1} to centre {@code j} and falls to centre {@code j+1} (the outer bands are halves).
 * The triangles sum to 1 at every frequency, so reading an envelope back by linear interpolation
 * between band centres is the exact inverse of band averaging for a piecewise-linear envelope.
 */
public final class BandLayout {
    private final double[] centresHz;

    /**
     * A layout with the given band centres.
     *
     * @param centresHz strictly increasing band centres, the first 0 Hz and the last the Nyquist
     *                  frequency; copied
     * @throws IllegalArgumentException if there are fewer than 2 centres or they do not increase
     */
    public BandLayout(double[] centresHz) {
        if (centresHz.length < 2) {
            throw new IllegalArgumentException("need at least 2 band centres, got " + centresHz.length);
        }
        for (int i = 1; i < centresHz.length; i++) {
            if (!(centresHz[i] > centresHz[i - 1])) {
                throw new IllegalArgumentException("band centres must increase: " + Arrays.toString(centresHz));
            }
        }
        this.centresHz = centresHz.clone();
    }

    /** {@return 20 speech bands for 16 kHz audio: about 150 Hz apart below 1 kHz, widening with frequency} */
    public static BandLayout speech16k() {
        return new BandLayout(new double[] {0, 150, 300, 450, 600, 800, 1000, 1250, 1500, 1800, 2150, 2500, 2900,
            3400, 4000, 4700, 5400, 6200, 7000, 8000});
    }

    /** {@return the number of bands} */
    public int bands() {
        return centresHz.length;
    }

    /** {@return a copy of the band centres, Hz} */
    public double[] centresHz() {
        return centresHz.clone();
    }

    /**
     * Per-bin triangle weights for a real FFT.
     *
     * @param fftSize    FFT points
     * @param sampleRate audio sample rate, Hz
     * @return {@code [bands][fftSize/2 + 1]} weights
     */
    public double[][] binWeights(int fftSize, int sampleRate) {
        int bins = fftSize / 2 + 1;
        double[][] w = new double[bands()][bins];
        for (int k = 0; k < bins; k++) {
            double f = (double) k * sampleRate / fftSize;
            int j = segment(f);
            double t = fraction(f, j);
            w[j][k] += 1 - t;
            if (j + 1 < bands()) {
                w[j + 1][k] += t;
            }
        }
        return w;
    }

    /**
     * Linear interpolation of per-band values at a frequency (clamped to the outer centres).
     *
     * @param perBand holds one value per band from {@code offset}
     * @param offset  index of band 0's value
     * @param hz      the frequency
     * @return the interpolated value
     */
    public double interpolate(float[] perBand, int offset, double hz) {
        int j = segment(hz);
        if (j + 1 >= bands()) {
            return perBand[offset + bands() - 1];
        }
        double t = fraction(hz, j);
        return perBand[offset + j] * (1 - t) + perBand[offset + j + 1] * t;
    }

    /**
     * {@code out[i] = exp(factor * interpolate(perBand, offset, (first + i) * spacing))} for
     * {@code i < count}: an envelope in log units read as powers (or, with {@code factor} 1/2, as
     * amplitudes) at equally spaced frequencies. Linear in log units between centres, so
     * geometric along the frequencies there: one {@code exp} per band and a product per frequency
     * instead of an {@code exp} each. Agrees with the direct formula to about 1e-14 relative.
     *
     * @param perBand holds one value per band from {@code offset}, in log units
     * @param offset  index of band 0's value
     * @param factor  multiplies the interpolated value inside the {@code exp}
     * @param spacing distance between the frequencies, Hz
     * @param first   the first frequency is {@code first * spacing}
     * @param count   how many frequencies
     * @param out     receives the {@code count} values from index 0
     * @throws IllegalArgumentException if {@code spacing} is not positive or {@code first} negative
     */
    public void expInterpolateSpaced(float[] perBand, int offset, double factor, double spacing, int first, int count,
            double[] out) {
        if (!(spacing > 0) || first < 0) {
            throw new IllegalArgumentException("need spacing > 0 and first >= 0, got " + spacing + " and " + first);
        }
        int last = bands() - 1, j = 0, i = 0;
        while (i < count) {
            double f = (first + i) * spacing;
            while (j < last && centresHz[j + 1] <= f) {
                j++;
            }
            if (j >= last) {
                double value = Math.exp(factor * perBand[offset + last]);
                for (; i < count; i++) {
                    out[i] = value;
                }
                return;
            }
            double a = perBand[offset + j], b = perBand[offset + j + 1];
            double t = fraction(f, j);
            double value = Math.exp(factor * (a * (1 - t) + b * t));
            double ratio = Math.exp(factor * (b - a) * spacing / (centresHz[j + 1] - centresHz[j]));
            out[i++] = value;
            while (i < count && (first + i) * spacing < centresHz[j + 1]) {
                value *= ratio;
                out[i++] = value;
            }
        }
    }

    /**
     * One band's triangle at one frequency.
     *
     * @param band the band
     * @param hz   the frequency
     * @return the band's weight there, 0 outside its two neighbours
     */
    public double weight(int band, double hz) {
        int j = segment(hz);
        double t = fraction(hz, j);
        return band == j ? 1 - t : band == j + 1 ? t : 0;
    }

    /**
     * The segment of the envelope a frequency lies in.
     *
     * @param hz the frequency
     * @return the index of the last centre at or below {@code hz} (0 below the first)
     */
    public int segment(double hz) {
        int j = Arrays.binarySearch(centresHz, hz);
        if (j >= 0) {
            return Math.min(j, bands() - 1);
        }
        return Math.max(0, Math.min(bands() - 1, -j - 2));
    }

    /**
     * Where a frequency lies in its segment: the weight of band {@code j + 1} there, {@code 1 -}
     * it that of band {@code j}.
     *
     * @param hz the frequency
     * @param j  its segment, {@link #segment}{@code (hz)}
     * @return 0 at centre {@code j} to 1 at the next (clamped; 0 at and past the last centre)
     */
    public double fraction(double hz, int j) {
        if (j + 1 >= bands()) {
            return 0;
        }
        double t = (hz - centresHz[j]) / (centresHz[j + 1] - centresHz[j]);
        return Math.max(0, Math.min(1, t));
    }
}
