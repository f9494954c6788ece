package dev.samvaad.bench;

import dev.samvaad.infer.ModelConfig;
import dev.samvaad.model.S2sModel;
import dev.samvaad.model.TokenBatch;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One SameDiff training step (loss, gradients, clipping at global norm 1, Adam update) at the
 * tiny and default model sizes: batch 16, 150 source frames, 150 target frames plus EOS, on one
 * and two threads. Seconds per step, so single shots; {@code bench/pytorch/train_step.py} times
 * the same step in PyTorch in the same {@code bench/run}, and the summary gives the ratio.
 *
 * <p>The model is the <b>previous</b> architecture, on purpose: one frame per step, learned code
 * embeddings, no text monologue and no summary ({@link ModelFixtures#PREVIOUS_TINY},
 * {@link ModelFixtures#PREVIOUS_DEFAULT}), which {@code train_step.py} mirrors layer for layer
 * (issue 16). It is not the model {@code bin/samvaad train} builds today (G = 4, the codec's
 * features, monologue and summary: {@link ModelFixtures#TINY}); moving both sides to that model is
 * left for a change that moves the PyTorch twin with it.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 10)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Benchmark)
public class TrainStepBench {
    @Param({"tiny", "default"})
    public String size;

    /** ND4J's op threads and OpenBLAS threads for this fork. */
    @Param({"1", "2"})
    public int threads;

    private S2sModel model;
    private TokenBatch batch;

    @Setup(Level.Trial)
    public void setUp() {
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
        ModelConfig config = "tiny".equals(size) ? ModelFixtures.PREVIOUS_TINY : ModelFixtures.PREVIOUS_DEFAULT;
        model = S2sModel.create(config, 1, 1e-3);
        batch = ModelFixtures.batch(new SplittableRandom(2), config, 16, 150, 150);
    }

    @Benchmark
    public double trainStep() {
        return model.trainStep(batch, 1.0).loss();
    }
}
