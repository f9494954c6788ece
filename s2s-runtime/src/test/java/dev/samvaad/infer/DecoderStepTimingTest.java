package dev.samvaad.infer;

import dev.samvaad.tensor.FloatKernels;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Times one cached {@code step} at {@code ModelConfig.small(6, 1024)} with a 150-frame source after
 * 100 decoded positions. Off by default; run with
 * {@code mvn -o -pl s2s-model test -Dtest=DecoderStepTimingTest -Dsamvaad.slowTests=true}.
 */
@Tag("slow")
@EnabledIfSystemProperty(named = "samvaad.slowTests", matches = "true")
class DecoderStepTimingTest {

    @Test
    void timesOneStep() {
        ModelConfig config = ModelConfig.small(6, 1024);
        FastDecoder decoder = FastDecoder.of(config, TestModels.randomWeights(config, 1, 0.2));
        int[][] source = TestModels.randomCodes(6, 150, 1024, 2);
        int[] frame = {1, 2, 3, 4, 5, 6};

        long encodeStart = System.nanoTime();
        decoder.start(source);
        double encodeMs = (System.nanoTime() - encodeStart) / 1e6;

        // Warm-up: JIT-compile the hot path on throwaway sessions.
        for (int round = 0; round < 20; round++) {
            FastDecoder.Session warm = decoder.start(source);
            for (int t = 0; t < 101; t++) {
                warm.step(frame);
            }
        }

        int sessions = 30;
        long total = 0;
        long best = Long.MAX_VALUE;
        for (int s = 0; s < sessions; s++) {
            FastDecoder.Session session = decoder.start(source);
            for (int t = 0; t < 100; t++) {
                session.step(frame);
            }
            long start = System.nanoTime();
            float[] logits = session.step(frame);
            long elapsed = System.nanoTime() - start;
            total += elapsed;
            best = Math.min(best, elapsed);
            assertThat(logits).hasSize(6 * 1027);
        }
        // The 101st step of a session, averaged over sessions; also the mean over a whole 100-step run.
        FastDecoder.Session run = decoder.start(source);
        long runStart = System.nanoTime();
        for (int t = 0; t < 200; t++) {
            run.step(frame);
        }
        double perStepOfRun = (System.nanoTime() - runStart) / 1e3 / 200;
        System.out.printf("kernels %s, encoder (150 frames) cold %.1f ms%n", FloatKernels.best().name(), encodeMs);
        System.out.printf("step at position 100, source 150: mean %.1f us, best %.1f us (%d sessions); "
                + "mean over positions 0..199: %.1f us%n", total / 1e3 / sessions, best / 1e3, sessions, perStepOfRun);
    }
}
