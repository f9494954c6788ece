package dev.samvaad.model;

import dev.samvaad.infer.ModelConfig;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The step layout of grouped frames, checked over random batches and group sizes. */
class StepBatchesTest {

    @Test
    void groupOfOneIsTheFrameBatchItself() {
        ModelConfig config = new ModelConfig(2, 8, 16, 2, 1, 1, 16, 32);
        TokenBatch frames = TinyPairs.batch(config, 3, 1);
        assertThat(StepBatches.grouped(config, frames)).isSameAs(frames);
    }

    @Test
    void stepsHoldTheFramesInOrderThenEosAndTheDecoderInputIsTheLabelsShifted() {
        SplittableRandom rng = new SplittableRandom(5);
        for (int trial = 0; trial < 40; trial++) {
            int q = 1 + rng.nextInt(3), g = 1 + rng.nextInt(5);
            ModelConfig config = new ModelConfig(q, 6, 16, 2, 1, 1, 16, 64, g, trial % 2 == 0);
            TokenBatch frames = TinyPairs.batch(config, 1 + rng.nextInt(4), rng.nextLong());
            TokenBatch steps = StepBatches.grouped(config, frames);
            assertThat(steps.sourceFrames()).isEqualTo((frames.sourceFrames() + g - 1) / g);
            for (int r = 0; r < frames.size(); r++) {
                int answerPlusEos = 0;
                for (float m : frames.labelMask()[r]) {
                    answerPlusEos += m > 0 ? 1 : 0;
                }
                int used = (answerPlusEos + g - 1) / g;
                for (int s = 0; s < steps.targetFrames(); s++) {
                    assertThat(steps.labelMask()[r][s]).isEqualTo(s < used ? 1f : 0f);
                    for (int slot = 0; slot < g; slot++) {
                        int t = s * g + slot;
                        for (int k = 0; k < q; k++) {
                            int label = steps.labels()[r][slot * q + k][s];
                            int input = steps.decoderInput()[r][slot * q + k][s];
                            if (s >= used) {
                                assertThat(label).isEqualTo(config.layout().pad());
                                assertThat(input).isEqualTo(config.layout().pad());
                                continue;
                            }
                            assertThat(label).isEqualTo(t < answerPlusEos ? frames.labels()[r][k][t] : config.layout().eos());
                            assertThat(input).isEqualTo(s == 0 ? config.layout().bos() : steps.labels()[r][slot * q + k][s - 1]);
                        }
                    }
                }
                for (int s = 0; s < steps.sourceFrames(); s++) {
                    for (int slot = 0; slot < g; slot++) {
                        int t = s * g + slot;
                        for (int k = 0; k < q; k++) {
                            int expected = t < frames.sourceFrames() ? frames.encoderInput()[r][k][t] : config.layout().pad();
                            assertThat(steps.encoderInput()[r][slot * q + k][s]).isEqualTo(expected);
                        }
                    }
                    assertThat(steps.encoderMask()[r][s]).isEqualTo(frames.encoderMask()[r][s * g]);
                }
            }
        }
    }
}
