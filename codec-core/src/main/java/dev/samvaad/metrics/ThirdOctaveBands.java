package dev.samvaad.metrics;

/**
 * The one-third-octave band matrix of pystoi's {@code thirdoct(fs, nfft, num_bands, min_freq)}:
 * band {@code i} has centre {@code minFreq * 2^(i/3)} and edges {@code minFreq * 2^((2i -+ 1)/6)},
 * each edge moved to the nearest FFT bin (the lower bin on a tie); the band covers the bins
 * {@code [low, high)}, upper edge bin excluded, as in pystoi.
 */
final class ThirdOctaveBands {

    private final int[] lowBin;
    private final int[] highBin;

    ThirdOctaveBands(int sampleRate, int fftSize, int bands, double minFreq) {
        lowBin = new int[bands];
        highBin = new int[bands];
        double binWidth = (double) sampleRate / fftSize;
        int bins = fftSize / 2 + 1;
        for (int band = 0; band < bands; band++) {
            lowBin[band] = nearestBin(minFreq * Math.pow(2.0, (2.0 * band - 1.0) / 6.0), binWidth, bins);
            highBin[band] = nearestBin(minFreq * Math.pow(2.0, (2.0 * band + 1.0) / 6.0), binWidth, bins);
        }
    }

    int bands() {
        return lowBin.length;
    }

    int lowBin(int band) {
        return lowBin[band];
    }

    /** Exclusive. */
    int highBin(int band) {
        return highBin[band];
    }

    /** Band magnitudes: square root of the summed power over each band's bins. */
    void magnitudes(double[] power, double[] bandMagnitudes) {
        for (int band = 0; band < lowBin.length; band++) {
            double sum = 0.0;
            for (int bin = lowBin[band]; bin < highBin[band]; bin++) {
                sum += power[bin];
            }
            bandMagnitudes[band] = Math.sqrt(sum);
        }
    }

    /** numpy's argmin of the squared distance: the first bin at the smallest distance. */
    private static int nearestBin(double frequency, double binWidth, int bins) {
        int best = 0;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (int bin = 0; bin < bins; bin++) {
            double distance = Math.abs(bin * binWidth - frequency);
            if (distance < bestDistance) {
                best = bin;
                bestDistance = distance;
            }
        }
        return best;
    }
}
