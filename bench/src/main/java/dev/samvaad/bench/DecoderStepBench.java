package dev.samvaad.bench;

import dev.samvaad.infer.FastDecoder;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One generated frame at the default model size after a 150-frame question, at several answer
 * prefix lengths: the pure-Java KV-cached step against a SameDiff forward pass over the same
 * prefix (what generation costs without a cache). {@code BenchSummary} sets the cached step
 * against the memory roofline ({@link DecoderRoofline}, {@link MemoryBench}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Thread)
public class DecoderStepBench {
    static final int SOURCE_FRAMES = 150;

    @Param({"25", "50", "100", "200"})
    int prefix;

    private FastDecoder decoder;
    private S2sModel model;
    private int[][] source;
    private int[][] answer;
    private FastDecoder.Session session;
    private int[] lastFrame;
    private TokenBatch prefixBatch;

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom rng = new SplittableRandom(1);
        model = S2sModel.create(ModelFixtures.DEFAULT, 1, 1e-3);
        decoder = FastDecoder.of(ModelFixtures.DEFAULT, model.weights());
        source = ModelFixtures.codes(rng, ModelFixtures.DEFAULT, SOURCE_FRAMES);
        answer = ModelFixtures.codes(rng, ModelFixtures.DEFAULT, prefix);
        prefixBatch = ModelFixtures.batch(rng, ModelFixtures.DEFAULT, 1, SOURCE_FRAMES, prefix - 1);
        lastFrame = new int[ModelFixtures.DEFAULT.codebooks()];
    }

    /** A session that has decoded {@code prefix - 1} frames, so the measured step is number {@code prefix}. */
    @Setup(Level.Invocation)
    public void newSession() {
        session = decoder.start(source);
        int[] frame = new int[ModelFixtures.DEFAULT.codebooks()];
        for (int t = 0; t < prefix - 1; t++) {
            for (int q = 0; q < frame.length; q++) {
                frame[q] = answer[q][t];
            }
            session.step(frame);
        }
        for (int q = 0; q < lastFrame.length; q++) {
            lastFrame[q] = answer[q][prefix - 1];
        }
    }

    @Benchmark
    public float[] pureJavaCachedStep() {
        return session.step(lastFrame);
    }

    @Benchmark
    public float[] sameDiffFullRecompute() {
        return model.logits(prefixBatch);
    }
}
