package dev.samvaad.agent;

import dev.samvaad.agent.EnergyVad.Segment;
import dev.samvaad.agent.EnergyVad.State;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

import static dev.samvaad.agent.AgentFixtures.concat;
import static dev.samvaad.agent.AgentFixtures.silence;
import static dev.samvaad.agent.AgentFixtures.tone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class EnergyVadTest {
    private static final int RATE = 16_000;
    /** 20 ms frames, 300 ms hangover (15 frames), 120 ms minimum speech (6 frames). */
    private static final VadOptions OPTIONS = VadOptions.defaults();

    @Test
    void toneAfterSilenceIsOneSegmentEndedByTheHangover() {
        // Tone over frames 25..64, then silence.
        float[] pcm = concat(silence(0.5, RATE), tone(300, 0.8, 0.3, RATE, 1), silence(1.0, RATE));

        assertThat(EnergyVad.segments(pcm, RATE, OPTIONS)).containsExactly(new Segment(25, 64, 64 + 15 + 1));
    }

    @Test
    void statesGoThroughOnsetToSpeechAfterTheMinimumSpeechLength() {
        EnergyVad vad = new EnergyVad(OPTIONS, RATE);
        float[] pcm = concat(silence(0.1, RATE), tone(300, 0.5, 0.3, RATE, 1), silence(0.5, RATE));
        List<State> states = new ArrayList<>();
        for (int at = 0; at + vad.frameSamples() <= pcm.length; at += vad.frameSamples()) {
            states.add(vad.accept(pcm, at));
        }

        assertThat(vad.frameSamples()).isEqualTo(320);
        assertThat(states.subList(0, 5)).containsOnly(State.SILENCE);
        assertThat(states.subList(5, 10)).containsOnly(State.ONSET);     // 5 voiced frames: < 120 ms
        assertThat(states.subList(10, 44)).containsOnly(State.SPEECH);   // 25 tone frames, then 14 of hangover
        assertThat(states.subList(44, states.size())).containsOnly(State.SILENCE);
        assertThat(vad.onsetFrame()).isEqualTo(5);
        assertThat(vad.lastVoicedFrame()).isEqualTo(29);
        assertThat(vad.lastEnergyDb()).isLessThan(-100);
    }

    @Test
    void aClickShorterThanTheMinimumSpeechIsNotATurn() {
        float[] pcm = concat(silence(0.5, RATE), tone(1000, 0.06, 0.5, RATE, 2), silence(1.0, RATE));

        assertThat(EnergyVad.segments(pcm, RATE, OPTIONS)).isEmpty();
    }

    @Test
    void aPauseShorterThanTheHangoverKeepsOneTurnALongerOneSplitsIt() {
        float[] shortPause = concat(silence(0.2, RATE), tone(300, 0.5, 0.3, RATE, 1), silence(0.2, RATE),
                tone(300, 0.5, 0.3, RATE, 2), silence(1.0, RATE));
        float[] longPause = concat(silence(0.2, RATE), tone(300, 0.5, 0.3, RATE, 1), silence(0.5, RATE),
                tone(300, 0.5, 0.3, RATE, 2), silence(1.0, RATE));

        assertThat(EnergyVad.segments(shortPause, RATE, OPTIONS)).hasSize(1);
        assertThat(EnergyVad.segments(longPause, RATE, OPTIONS)).extracting(Segment::startFrame).containsExactly(10L, 60L);
    }

    @Test
    void soundBelowTheThresholdIsSilence() {
        // Amplitude 0.001: about -63 dBFS, under the default -45.
        float[] quiet = concat(silence(0.2, RATE), tone(300, 1.0, 0.001, RATE, 1), silence(0.5, RATE));
        assertThat(EnergyVad.segments(quiet, RATE, OPTIONS)).isEmpty();
        assertThat(EnergyVad.segments(quiet, RATE, OPTIONS.toBuilder().thresholdDb(-70).initialNoiseDb(-90).build())).hasSize(1);
    }

    @Test
    void speechRunningToTheEndOfTheInputIsASegmentToo() {
        float[] pcm = concat(silence(0.2, RATE), tone(300, 0.5, 0.3, RATE, 1));

        assertThat(EnergyVad.segments(pcm, RATE, OPTIONS)).containsExactly(new Segment(10, 34, 35));
    }

    @Test
    void theNoiseFloorAdaptsToASteadyNoiseBed() {
        // Gaussian noise at about -35 dBFS: above the absolute threshold, so only the adaptive floor rejects it.
        SplittableRandom rng = new SplittableRandom(3);
        float[] noise = new float[8 * RATE];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) (0.0178 * rng.nextGaussian());
        }
        float[] speech = tone(300, 0.6, 0.3, RATE, 4);
        float[] pcm = noise.clone();
        int at = 6 * RATE;
        for (int i = 0; i < speech.length; i++) {
            pcm[at + i] += speech[i];
        }

        EnergyVad vad = new EnergyVad(OPTIONS, RATE);
        for (int f = 0; f + 320 <= 5 * RATE; f += 320) {
            vad.accept(pcm, f);
        }
        assertThat(vad.noiseFloorDb()).isCloseTo(-35, within(3.0));
        assertThat(vad.state()).isEqualTo(State.SILENCE);
        // The tone 40 dB over the noise is still found, starting at frame 300 (6 s).
        List<Segment> segments = EnergyVad.segments(pcm, RATE, OPTIONS);
        assertThat(segments).last().extracting(Segment::startFrame).isEqualTo(300L);
        // Without the adaptive floor the noise bed is speech from start to end.
        assertThat(EnergyVad.segments(pcm, RATE, OPTIONS.toBuilder().noiseWindowMs(0).build()))
                .containsExactly(new Segment(0, 399, 400));
    }

    @Test
    void optionsAreChecked() {
        assertThatThrownBy(() -> VadOptions.builder().hangoverMs(10).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hangoverMs");
        assertThatThrownBy(() -> VadOptions.builder().frameMs(1).build()).hasMessageContaining("frameMs");
        assertThatThrownBy(() -> VadOptions.builder().marginDb(-1).build()).hasMessageContaining("marginDb");
        assertThatThrownBy(() -> new EnergyVad(OPTIONS, 0)).hasMessageContaining("sampleRate");
    }
}
