package dev.samvaad.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The vocoder's analysis and synthesis agree: what is synthesised from features analyses back to them. */
class VocoderTest {
    private static final VocoderConfig CONFIG = VocoderConfig.standard();

    /** A vowel-like test signal: harmonics of a gliding f0 under a two-formant envelope. */
    static float[] vowel(double seconds, double f0Start, double f0End, long seed) {
        int n = (int) (seconds * CONFIG.sampleRate());
        float[] x = new float[n];
        SplittableRandom rng = new SplittableRandom(seed);
        double[] phase = new double[80];
        for (int i = 0; i < n; i++) {
            double f0 = f0Start + (f0End - f0Start) * i / n;
            double s = 0;
            for (int k = 1; k * f0 < 7500 && k < phase.length; k++) {
                double f = k * f0;
                double env = Math.exp(-Math.pow((f - 700) / 300, 2)) + 0.5 * Math.exp(-Math.pow((f - 1800) / 400, 2)) + 0.02;
                phase[k] += 2 * Math.PI * f / CONFIG.sampleRate();
                s += env * Math.cos(phase[k]);
            }
            x[i] = (float) (0.1 * s + 0.002 * rng.nextGaussian());
        }
        return x;
    }

    @Test
    void pitchOfAVowelIsTracked() {
        float[] x = vowel(1.0, 120, 120, 1);
        float[][] f = CodecTrainer.features(CONFIG, x);
        assertThat(f.length).isEqualTo(50);
        for (int t = 2; t < 48; t++) {
            assertThat(Math.exp(f[t][CONFIG.logF0Index()])).as("frame %d", t).isCloseTo(120, within(2.0));
            assertThat(f[t][CONFIG.periodicityIndex()]).isGreaterThan(0.9f);
        }
    }

    @Test
    void synthesisAnalysesBackToItsFeatures() {
        for (double f0 : new double[] {100, 220}) {
            float[] x = vowel(1.0, f0, f0 * 1.1, 2);
            float[][] features = CodecTrainer.features(CONFIG, x);
            float[] y = synthesize(features);
            float[][] again = CodecTrainer.features(CONFIG, y);
            double err = 0;
            int count = 0;
            for (int t = 3; t < features.length - 3; t++) {
                double loudest = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < CONFIG.bandCentres().length; j++) {
                    loudest = Math.max(loudest, features[t][j]);
                }
                for (int j = 0; j < CONFIG.bandCentres().length; j++) {
                    if (features[t][j] > loudest - Math.log(1e4)) { // within 40 dB of the loudest band
                        err += Math.pow(10 / Math.log(10) * (again[t][j] - features[t][j]), 2);
                        count++;
                    }
                }
            }
            double rmsDb = Math.sqrt(err / count);
            System.out.printf("f0 %.0f Hz: band power error after resynthesis %.2f dB rms%n", f0, rmsDb);
            assertThat(rmsDb).isLessThan(1.5);
        }
    }

    @Test
    void noiseAnalysesBackToItsFeaturesToo() {
        SplittableRandom rng = new SplittableRandom(3);
        float[] x = new float[CONFIG.sampleRate()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (0.05 * rng.nextGaussian());
        }
        float[][] features = CodecTrainer.features(CONFIG, x);
        float[] y = synthesize(features);
        double inPower = 0, outPower = 0;
        for (int i = 1000; i < 15000; i++) {
            inPower += x[i] * x[i];
            outPower += y[i] * y[i];
        }
        System.out.printf("noise: output/input power %.3f%n", outPower / inPower);
        assertThat(outPower / inPower).isBetween(0.7, 1.4);
    }

    static float[] synthesize(float[][] features) {
        VocoderSynthesizer s = new VocoderSynthesizer(CONFIG, 1);
        List<float[]> parts = new ArrayList<>();
        for (float[] f : features) {
            parts.add(s.push(f));
        }
        parts.add(s.finish());
        float[] out = concat(parts);
        assertThat(out.length).isEqualTo(features.length * CONFIG.hop());
        return out;
    }

    static float[] concat(List<float[]> parts) {
        float[] out = new float[parts.stream().mapToInt(p -> p.length).sum()];
        int i = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, i, p.length);
            i += p.length;
        }
        return out;
    }
}
