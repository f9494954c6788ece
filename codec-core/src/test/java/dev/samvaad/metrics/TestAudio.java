package dev.samvaad.metrics;

import java.util.Arrays;
import java.util.Random;

/** Deterministic test signals for the metrics tests. */
final class TestAudio {

    /** Speech-like content: two voiced stretches between silent gaps, 3.2 s in all. */
    private static final double[][] VOICED_STRETCHES = {{0.3, 1.5}, {1.8, 2.9}};
    private static final double DURATION_SECONDS = 3.2;

    /** Formant triples (Hz) of three vowels, used in turn by successive syllables. */
    private static final double[][] VOWELS = {{700, 1200, 2600}, {300, 2300, 3000}, {500, 900, 2400}};
    private static final double FORMANT_BANDWIDTH = 120.0;
    private static final double SYLLABLE_RATE = 4.0;
    /** Content stays below this so that 8 kHz input keeps all of it through the resampler. */
    private static final double TOP_FREQUENCY = 3400.0;

    private TestAudio() {
    }

    /**
     * A harmonic source (f0 around 120 Hz, slowly wavering) shaped by vowel formants that change
     * per syllable, amplitude-modulated at a 4 Hz syllable rate, with digital silence between the
     * voiced stretches. Defined in continuous time, so every sample rate gets the same content.
     */
    static float[] speechLike(int sampleRate) {
        float[] signal = new float[(int) Math.round(DURATION_SECONDS * sampleRate)];
        for (int i = 0; i < signal.length; i++) {
            double time = (double) i / sampleRate;
            if (isVoiced(time)) {
                signal[i] = (float) (0.1 * syllableEnvelope(time) * voice(time));
            }
        }
        return signal;
    }

    private static boolean isVoiced(double time) {
        for (double[] stretch : VOICED_STRETCHES) {
            if (time >= stretch[0] && time < stretch[1]) {
                return true;
            }
        }
        return false;
    }

    private static double syllableEnvelope(double time) {
        double s = Math.sin(Math.PI * SYLLABLE_RATE * time);
        return s * s;
    }

    private static double voice(double time) {
        double vibratoRate = 0.7;
        double vibratoDepth = 15.0;
        double f0 = 120.0 + vibratoDepth * Math.sin(2 * Math.PI * vibratoRate * time);
        double phase = 2 * Math.PI * 120.0 * time - vibratoDepth / vibratoRate * Math.cos(2 * Math.PI * vibratoRate * time);
        double[] formants = VOWELS[(int) Math.floor(time * SYLLABLE_RATE) % VOWELS.length];
        double sum = 0.0;
        for (int k = 1; k * f0 < TOP_FREQUENCY; k++) {
            sum += formantGain(k * f0, formants) / Math.sqrt(k) * Math.sin(k * phase);
        }
        return sum;
    }

    private static double formantGain(double frequency, double[] formants) {
        double gain = 0.05;
        for (double formant : formants) {
            double detuning = (frequency - formant) / FORMANT_BANDWIDTH;
            gain += 1.0 / (1.0 + detuning * detuning);
        }
        return gain;
    }

    /** {@code signal} plus white Gaussian noise at exactly {@code snrDb} over the whole signal. */
    static float[] withWhiteNoise(float[] signal, double snrDb, long seed) {
        return mix(signal, gaussianNoise(signal.length, seed), snrDb);
    }

    /** {@code signal + g * noise}, {@code g} chosen so that the energy ratio is {@code snrDb}. */
    static float[] mix(float[] signal, float[] noise, double snrDb) {
        double gain = Math.sqrt(energy(signal) / energy(noise) / Math.pow(10.0, snrDb / 10.0));
        float[] mixture = new float[signal.length];
        for (int i = 0; i < signal.length; i++) {
            mixture[i] = (float) (signal[i] + gain * noise[i]);
        }
        return mixture;
    }

    static float[] gaussianNoise(int length, long seed) {
        Random random = new Random(seed);
        float[] noise = new float[length];
        for (int i = 0; i < length; i++) {
            noise[i] = (float) random.nextGaussian();
        }
        return noise;
    }

    /**
     * Noise defined in continuous time, so it is the same at every sample rate: a sum of sines of
     * random frequency (100 Hz .. 3.4 kHz) and phase.
     */
    static float[] rateIndependentNoise(int sampleRate, int length, long seed) {
        Random random = new Random(seed);
        int components = 150;
        double[] frequency = new double[components];
        double[] phase = new double[components];
        for (int c = 0; c < components; c++) {
            frequency[c] = 100.0 + random.nextDouble() * (TOP_FREQUENCY - 100.0);
            phase[c] = 2 * Math.PI * random.nextDouble();
        }
        float[] noise = new float[length];
        for (int i = 0; i < length; i++) {
            double time = (double) i / sampleRate;
            double sum = 0.0;
            for (int c = 0; c < components; c++) {
                sum += Math.sin(2 * Math.PI * frequency[c] * time + phase[c]);
            }
            noise[i] = (float) sum;
        }
        return noise;
    }

    static float[] tone(double frequency, int sampleRate, double amplitude, int length) {
        float[] signal = new float[length];
        for (int i = 0; i < length; i++) {
            signal[i] = (float) (amplitude * Math.sin(2 * Math.PI * frequency * i / sampleRate));
        }
        return signal;
    }

    static float[] scaled(float[] signal, double factor) {
        float[] result = new float[signal.length];
        for (int i = 0; i < signal.length; i++) {
            result[i] = (float) (signal[i] * factor);
        }
        return result;
    }

    static float[] concat(float[] first, float[] second) {
        float[] result = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, result, first.length, second.length);
        return result;
    }

    static double energy(float[] signal) {
        double sum = 0.0;
        for (float sample : signal) {
            sum += (double) sample * sample;
        }
        return sum;
    }
}
