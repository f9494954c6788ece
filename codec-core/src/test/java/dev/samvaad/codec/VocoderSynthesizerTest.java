package dev.samvaad.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.samvaad.tensor.FloatKernels;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The optimised synthesizer gives the audio of the original one ({@link ReferenceSynthesizer})
 * to float rounding, for every kind of frame and over a long stream. Runs with the Vector API
 * kernels and, in the second surefire pass, with the plain loops.
 */
class VocoderSynthesizerTest {
    private static final VocoderConfig CONFIG = VocoderConfig.standard();

    /** Frames that wander through the feature space: every pitch from 60 to 450 Hz, voiced, unvoiced and between. */
    static float[][] wanderingFeatures(int frames, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int bands = CONFIG.bandCentres().length;
        float[][] out = new float[frames][CONFIG.featureSize()];
        float[] level = new float[bands];
        for (int j = 0; j < bands; j++) {
            level[j] = (float) (-4 - 0.3 * j);
        }
        double logF0 = Math.log(120), periodicity = 0.9;
        for (int t = 0; t < frames; t++) {
            for (int j = 0; j < bands; j++) {
                level[j] += (float) (0.6 * rng.nextGaussian());
                level[j] = Math.max(-13.8f, Math.min(-1f, level[j]));
                out[t][j] = level[j];
            }
            logF0 += 0.08 * rng.nextGaussian();
            logF0 = Math.max(Math.log(CONFIG.minF0()), Math.min(Math.log(CONFIG.maxF0()), logF0));
            if (rng.nextInt(20) == 0) {
                periodicity = rng.nextDouble(); // jumps: onsets, unvoiced stretches
            }
            periodicity = Math.max(0, Math.min(1, periodicity + 0.05 * rng.nextGaussian()));
            out[t][CONFIG.logF0Index()] = (float) logF0;
            out[t][CONFIG.periodicityIndex()] = (float) periodicity;
        }
        return out;
    }

    private static float[] run(float[][] features, boolean reference) {
        List<float[]> parts = new ArrayList<>();
        if (reference) {
            ReferenceSynthesizer s = new ReferenceSynthesizer(CONFIG, 9);
            for (float[] f : features) {
                parts.add(s.push(f.clone()));
            }
            parts.add(s.finish());
        } else {
            VocoderSynthesizer s = new VocoderSynthesizer(CONFIG, 9);
            for (float[] f : features) {
                parts.add(s.push(f.clone()));
            }
            parts.add(s.finish());
        }
        return VocoderTest.concat(parts);
    }

    private static void assertSameAudio(float[][] features) {
        float[] expected = run(features, true);
        float[] actual = run(features, false);
        assertThat(actual).hasSameSizeAs(expected);
        double peak = 0, worst = 0;
        for (int i = 0; i < expected.length; i++) {
            peak = Math.max(peak, Math.abs(expected[i]));
            worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
        }
        System.out.printf("%s kernels: peak %.3g, largest difference %.3g%n", FloatKernels.best().name(), peak, worst);
        assertThat(peak).isGreaterThan(1e-3);
        // The original added each harmonic into float samples; these differences are its rounding.
        assertThat(worst).isLessThan(2e-6 * peak);
    }

    @Test
    void givesTheOriginalAudioOnWanderingFrames() {
        assertSameAudio(wanderingFeatures(300, 1));
    }

    @Test
    void givesTheOriginalAudioOnAnalysedSpeechLikeSignals() {
        float[] x = VocoderTest.concat(List.of(VocoderTest.vowel(0.6, 95, 130, 1), new float[1600],
                VocoderTest.vowel(0.5, 240, 200, 2), RvqCodecTest.utterance(3)));
        assertSameAudio(CodecTrainer.features(CONFIG, x));
    }

    @Test
    void phasesDoNotDriftOverALongStream() {
        // 2 minutes at a steady low pitch (the most harmonics): the phasors are turned 6000 times.
        float[][] f = wanderingFeatures(6000, 2);
        for (float[] frame : f) {
            frame[CONFIG.logF0Index()] = (float) Math.log(61.5);
            frame[CONFIG.periodicityIndex()] = 1f;
        }
        assertSameAudio(f);
    }

    @Test
    void aSingleFrameAndAnEmptyStreamWork() {
        assertSameAudio(wanderingFeatures(1, 3));
        assertThat(new VocoderSynthesizer(CONFIG, 1).finish()).isEmpty();
    }
}
