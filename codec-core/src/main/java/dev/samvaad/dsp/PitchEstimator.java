package dev.samvaad.dsp;

import dev.samvaad.tensor.FloatKernels;

/**
 * Fundamental frequency and periodicity of one frame, after YIN (de Cheveigné and Kawahara,
 * 2002): the cumulative-mean-normalised difference function, its first dip below a threshold
 * (else its global minimum), refined by parabolic interpolation. Correlations run on the SIMD
 * dot-product kernel. Not thread-safe (scratch buffers); one per stream.
 */
public final class PitchEstimator {
    private static final double THRESHOLD = 0.15;

    private final int sampleRate;
    private final int minLag;
    private final int maxLag;
    private final int frameLength;
    private final FloatKernels kernels = FloatKernels.best();
    private final double[] cmnd;

    /**
     * The pitch of a frame.
     *
     * @param f0          fundamental frequency, Hz
     * @param periodicity in [0, 1], 1 for a perfectly periodic frame
     */
    public record Pitch(double f0, double periodicity) {}

    /**
     * An estimator for frames of one length.
     *
     * @param sampleRate  audio sample rate, Hz
     * @param minF0       lowest pitch searched, Hz
     * @param maxF0       highest pitch searched, Hz
     * @param frameLength samples per frame, at least two periods of {@code minF0}
     * @throws IllegalArgumentException if the frame is too short for {@code minF0}
     */
    public PitchEstimator(int sampleRate, double minF0, double maxF0, int frameLength) {
        this.sampleRate = sampleRate;
        this.minLag = Math.max(2, (int) Math.floor(sampleRate / maxF0));
        this.maxLag = (int) Math.ceil(sampleRate / minF0);
        this.frameLength = frameLength;
        if (frameLength < 2 * maxLag) {
            throw new IllegalArgumentException("a frame of " + frameLength + " samples is too short for f0 down to "
                    + minF0 + " Hz (needs " + 2 * maxLag + ")");
        }
        this.cmnd = new double[maxLag + 2];
    }

    /**
     * Estimates the pitch of {@code frame[offset, offset + frameLength)}.
     *
     * @param frame  holds the frame
     * @param offset index of its first sample
     * @return f0 and periodicity
     */
    public Pitch estimate(float[] frame, int offset) {
        int window = frameLength - maxLag - 1;
        double energyHead = kernels.dot(frame, offset, frame, offset, window);
        // e(tau) = energy of frame[tau, tau + window), updated incrementally.
        double energyShifted = energyHead;
        double runningSum = 0;
        cmnd[0] = 1;
        for (int tau = 1; tau <= maxLag + 1; tau++) {
            float out = frame[offset + tau - 1], in = frame[offset + tau - 1 + window];
            energyShifted += in * in - out * out;
            double cross = kernels.dot(frame, offset, frame, offset + tau, window);
            double d = Math.max(0, energyHead + energyShifted - 2 * cross);
            runningSum += d;
            cmnd[tau] = runningSum > 0 ? d * tau / runningSum : 1;
        }
        int best = -1;
        for (int tau = minLag; tau <= maxLag; tau++) {
            if (cmnd[tau] < THRESHOLD) {
                while (tau + 1 <= maxLag && cmnd[tau + 1] < cmnd[tau]) {
                    tau++;
                }
                best = tau;
                break;
            }
        }
        if (best < 0) {
            best = minLag;
            for (int tau = minLag + 1; tau <= maxLag; tau++) {
                if (cmnd[tau] < cmnd[best]) {
                    best = tau;
                }
            }
        }
        double lag = best + parabolicOffset(cmnd[best - 1], cmnd[best], cmnd[best + 1]);
        double periodicity = Math.max(0, Math.min(1, 1 - cmnd[best]));
        return new Pitch(sampleRate / lag, periodicity);
    }

    private static double parabolicOffset(double left, double centre, double right) {
        double denominator = left - 2 * centre + right;
        if (denominator <= 0) {
            return 0;
        }
        return Math.max(-0.5, Math.min(0.5, 0.5 * (left - right) / denominator));
    }
}
