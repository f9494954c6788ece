package dev.samvaad.audio;

/** Test signals and the measurements the resampler tests make on them. */
final class TestSignals {

    private TestSignals() {
    }

    static float[] tone(double frequency, int sampleRate, double amplitude, int length) {
        return tone(frequency, sampleRate, amplitude, 0.0, length);
    }

    static float[] tone(double frequency, int sampleRate, double amplitude, double phase, int length) {
        float[] signal = new float[length];
        for (int i = 0; i < length; i++) {
            signal[i] = (float) (amplitude * Math.sin(2.0 * Math.PI * frequency * i / sampleRate + phase));
        }
        return signal;
    }

    /** A sine whose frequency rises linearly from {@code startFrequency} to {@code endFrequency}. */
    static float[] linearSweep(double startFrequency, double endFrequency, int sampleRate,
            double amplitude, int length) {
        double duration = length / (double) sampleRate;
        double rate = (endFrequency - startFrequency) / duration;
        float[] signal = new float[length];
        for (int i = 0; i < length; i++) {
            double time = i / (double) sampleRate;
            double phase = 2.0 * Math.PI * (startFrequency * time + rate * time * time / 2.0);
            signal[i] = (float) (amplitude * Math.sin(phase));
        }
        return signal;
    }

    static double rms(float[] signal, int from, int to) {
        double sum = 0.0;
        for (int i = from; i < to; i++) {
            sum += (double) signal[i] * signal[i];
        }
        return Math.sqrt(sum / (to - from));
    }

    /**
     * Amplitude of the component at {@code frequency} in {@code signal[from .. to)}: a Goertzel
     * filter over a Hann-windowed segment, so that a strong tone elsewhere does not leak into it.
     */
    static double toneAmplitude(float[] signal, int from, int to, double frequency, int sampleRate) {
        int length = to - from;
        double coefficient = 2.0 * Math.cos(2.0 * Math.PI * frequency / sampleRate);
        double previous = 0.0;
        double beforePrevious = 0.0;
        double windowSum = 0.0;
        for (int i = 0; i < length; i++) {
            double window = 0.5 - 0.5 * Math.cos(2.0 * Math.PI * i / (length - 1));
            windowSum += window;
            double current = signal[from + i] * window + coefficient * previous - beforePrevious;
            beforePrevious = previous;
            previous = current;
        }
        double power = previous * previous + beforePrevious * beforePrevious
                - coefficient * previous * beforePrevious;
        return 2.0 * Math.sqrt(Math.max(power, 0.0)) / windowSum;
    }

    /** How far {@code level} lies below {@code reference}, in dB (positive when below). */
    static double attenuationDb(double reference, double level) {
        return 20.0 * Math.log10(reference / level);
    }

    static double maxAbsoluteError(float[] actual, float[] expected, int from, int to) {
        double max = 0.0;
        for (int i = from; i < to; i++) {
            max = Math.max(max, Math.abs(actual[i] - expected[i]));
        }
        return max;
    }
}
