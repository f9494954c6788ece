package dev.samvaad.metrics;

import java.util.Arrays;
import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Power spectrum {@code |X[k]|^2}, {@code k = 0 .. fftSize / 2}, of a real frame zero-padded to
 * {@code fftSize}; unnormalised, as {@code numpy.abs(numpy.fft.rfft(frame, fftSize)) ** 2}.
 *
 * <p>Holds a work buffer: not thread-safe, so the metrics make one per call.
 */
final class PowerSpectrum {

    private final int fftSize;
    private final DoubleFFT_1D fft;
    private final double[] buffer;

    PowerSpectrum(int fftSize) {
        this.fftSize = fftSize;
        this.fft = new DoubleFFT_1D(fftSize);
        this.buffer = new double[fftSize];
    }

    int bins() {
        return fftSize / 2 + 1;
    }

    /** Writes the power of {@code frame} (at most {@code fftSize} samples) into {@code power[0 .. bins())}. */
    void compute(double[] frame, double[] power) {
        System.arraycopy(frame, 0, buffer, 0, frame.length);
        Arrays.fill(buffer, frame.length, fftSize, 0.0);
        fft.realForward(buffer);
        // JTransforms packs Re[0] in buffer[0]; buffer[1] holds Re[n/2] for even n, Im[(n-1)/2] for odd n.
        power[0] = buffer[0] * buffer[0];
        int last = bins() - 1;
        for (int k = 1; k < last; k++) {
            power[k] = buffer[2 * k] * buffer[2 * k] + buffer[2 * k + 1] * buffer[2 * k + 1];
        }
        if (last > 0) {
            power[last] = fftSize % 2 == 0
                    ? buffer[1] * buffer[1]
                    : buffer[2 * last] * buffer[2 * last] + buffer[1] * buffer[1];
        }
    }
}
