package dev.samvaad.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Times training at a production-like size (100k vectors, D = 24, K = 1024, Q = 6, 15
 * iterations). Off by default; run with
 * {@code mvn -o -pl codec-core test -Dtest=RvqTrainerTimingTest -Dsamvaad.slowTests=true}.
 */
@Tag("slow")
@EnabledIfSystemProperty(named = "samvaad.slowTests", matches = "true")
class RvqTrainerTimingTest {

    @Test
    void trainsAProductionSizedQuantiser() {
        float[][] data = RvqTestData.gaussianMixture(100_000, 24, 512, 42);
        RvqTrainer.Options options = RvqTrainer.Options.builder()
                .stages(6).size(1024).iterations(15).seed(7).build();
        List<String> stages = new ArrayList<>();
        long start = System.nanoTime();
        ResidualVQ rvq = RvqTrainer.train(data, options, (stage, iterations, mse, restarts) ->
                stages.add(String.format("stage %d: %d iterations, mse %.5f, %d restarts",
                        stage, iterations, mse, restarts)));
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("RVQ training, N=100000 D=24 K=1024 Q=6, %d threads: %.1f s%n",
                options.threads(), seconds);
        stages.forEach(System.out::println);
        assertThat(rvq.stages()).isEqualTo(6);
    }
}
