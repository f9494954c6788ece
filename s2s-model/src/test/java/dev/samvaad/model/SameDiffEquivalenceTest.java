package dev.samvaad.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.samvaad.infer.FastDecoder;
import dev.samvaad.infer.FrameListener;
import dev.samvaad.infer.GenerationOptions;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The pure-Java decoder computes what the SameDiff graph computes, and decodes what it learned. */
class SameDiffEquivalenceTest {

    @Test
    void fastDecoderLogitsEqualSameDiffAtEveryStep() {
        for (ModelConfig config : new ModelConfig[] {new ModelConfig(2, 8, 32, 4, 2, 2, 64, 64),
            new ModelConfig(3, 5, 24, 3, 1, 2, 40, 64)}) {
            S2sModel model = S2sModel.create(config, 21, 3e-2);
            TokenBatch batch = TinyPairs.batch(config, 3, 8);
            for (int i = 0; i < 3; i++) {
                model.trainStep(batch); // moves gains and biases away from their initial 1 and 0
            }
            float[] expected = model.logits(batch);
            FastDecoder decoder = FastDecoder.of(config, model.weights());
            int q = config.codebooks(), v = config.vocabulary(), td = batch.targetFrames();
            for (int r = 0; r < batch.size(); r++) {
                int srcLen = (int) sum(batch.encoderMask()[r]);
                int tgtLen = (int) sum(batch.labelMask()[r]);
                int[][] src = new int[q][], dec = new int[q][];
                for (int k = 0; k < q; k++) {
                    src[k] = Arrays.copyOf(batch.encoderInput()[r][k], srcLen);
                    dec[k] = Arrays.copyOf(batch.decoderInput()[r][k], tgtLen);
                }
                float[][] full = decoder.forwardFull(src, dec);
                FastDecoder.Session session = decoder.start(src);
                for (int t = 0; t < tgtLen; t++) {
                    int[] frame = new int[q];
                    for (int k = 0; k < q; k++) {
                        frame[k] = dec[k][t];
                    }
                    float[] stepped = session.step(frame);
                    for (int k = 0; k < q; k++) {
                        int row = (r * td + t) * q + k;
                        for (int i = 0; i < v; i++) {
                            float sameDiff = expected[row * v + i];
                            assertThat(full[t][k * v + i]).as("%s row %d t %d q %d token %d", config, r, t, k, i)
                                    .isCloseTo(sameDiff, within(1e-4f));
                            assertThat(stepped[k * v + i]).isCloseTo(sameDiff, within(1e-4f));
                        }
                    }
                }
            }
        }
    }

    @Test
    void overfittedModelIsRegeneratedExactlyByGreedyDecoding() {
        ModelConfig config = new ModelConfig(2, 8, 32, 4, 1, 1, 64, 64);
        S2sModel model = S2sModel.create(config, 7, 1e-2);
        TokenBatch batch = TinyPairs.batch(config, 4, 11);
        double loss = Double.MAX_VALUE;
        for (int step = 0; step < 300 && loss > 0.01; step++) {
            loss = model.trainStep(batch);
        }
        assertThat(loss).isLessThan(0.01);
        FastDecoder decoder = FastDecoder.of(config, model.weights());
        for (int r = 0; r < batch.size(); r++) {
            int srcLen = (int) sum(batch.encoderMask()[r]);
            int tgtLen = (int) sum(batch.labelMask()[r]) - 1; // without the EOS
            int[][] src = new int[config.codebooks()][];
            for (int k = 0; k < config.codebooks(); k++) {
                src[k] = Arrays.copyOf(batch.encoderInput()[r][k], srcLen);
            }
            int[][] answer = decoder.start(src).generate(GenerationOptions.greedy(), FrameListener.none());
            for (int k = 0; k < config.codebooks(); k++) {
                assertThat(answer[k]).as("pair %d codebook %d", r, k)
                        .containsExactly(Arrays.copyOf(batch.labels()[r][k], tgtLen));
            }
        }
    }

    private static double sum(float[] x) {
        double s = 0;
        for (float v : x) {
            s += v;
        }
        return s;
    }
}
