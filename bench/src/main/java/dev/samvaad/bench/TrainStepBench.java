package dev.samvaad.bench;

import dev.samvaad.model.S2sModel;
import dev.samvaad.model.TokenBatch;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One SameDiff training step (loss + Adam update) at the default model size: batch 16, 150
 * source frames, 150 target frames plus EOS. Seconds per step, so single-shot.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Benchmark)
public class TrainStepBench {
    private S2sModel model;
    private TokenBatch batch;

    @Setup(Level.Trial)
    public void setUp() {
        model = S2sModel.create(ModelFixtures.DEFAULT, 1, 1e-3);
        batch = ModelFixtures.batch(new SplittableRandom(2), ModelFixtures.DEFAULT, 16, 150, 150);
    }

    @Benchmark
    public double trainStep() {
        return model.trainStep(batch);
    }
}
