package dev.samvaad.bench;

import dev.samvaad.infer.FastDecoder;
import dev.samvaad.infer.ModelConfig;
import dev.samvaad.model.S2sModel;
import dev.samvaad.model.TokenBatch;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
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
 * One decoder row after a 150-frame question: the pure-Java KV-cached row of
 * {@link FastDecoder.Session} against a SameDiff forward pass over the same prefix (what
 * generation costs without a cache). {@code BenchSummary} sets the cached rows against the memory
 * roofline ({@link DecoderRoofline}, {@link MemoryBench}).
 *
 * <ul>
 *   <li>{@code pureJavaCachedStep} / {@code sameDiffFullRecompute} ({@link CodeStep}): code step
 *       number {@code prefix} (1-based, the BOS step being 1; one step is G frames) of the model
 *       {@code model}; a model with a monologue has fed its {@link ModelFixtures#MONOLOGUE}-symbol
 *       text first (TEXT_BOS and the symbols: {@link ModelFixtures#textRows} rows), so the step
 *       attends over those rows and its {@code prefix} steps. SameDiff computes the text rows and
 *       the {@code prefix} steps.</li>
 *   <li>{@code pureJavaTextStep} / {@code sameDiffTextRecompute} ({@link TextStep}): the last text
 *       row of that monologue ({@code Session.stepText} of its last symbol: the row whose logits
 *       choose TEXT_EOT when generating), row {@link ModelFixtures#textRows} of the session. SameDiff computes the text
 *       rows and the BOS code step (a batch has at least one code step).</li>
 * </ul>
 *
 * <p>Models ({@link ModelFixtures#named}): {@code tiny} and {@code small} are the current
 * architecture ({@code bin/samvaad train}'s, G = 4, features, monologue, summary) at
 * {@code --size tiny} and {@code --size small}; {@code previous} is the previous default model
 * ({@code ModelConfig.small(6, 1024)}, one frame per step, no text), whose step at prefix p is,
 * as in earlier runs, the one whose logits choose frame p (G = 4: step p chooses frames
 * {@code 4p - 3} to {@code 4p}). Random weights: neither path's speed depends on their values.
 *
 * <p>How the cached row is timed: the session is fed its prefix once, in the trial's setup, and
 * each invocation rewinds it ({@link FastDecoder.Session#truncate}, a few field writes) to just
 * before the measured row and feeds that row again, so every call computes the same row at the
 * same position over the same cache. No {@code Level.Invocation} fixture: JMH's samples 07 and 38
 * warn that per-invocation setup distorts sub-millisecond measurements, and replaying the prefix
 * in one would run up to a hundred rows of unmeasured work per measured row. The setup checks that
 * a rewound row gives the logits of the first.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
// One fork a case: 28 cases at 2 forks would add about 10 minutes to the suite.
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class DecoderStepBench {
    /** Codec frames of the question. */
    static final int SOURCE_FRAMES = 150;

    /** A session that has fed its text rows and {@code prefix - 1} code steps. */
    @State(Scope.Thread)
    public static class CodeStep {
        /** The model ({@link ModelFixtures#named}). */
        @Param({"tiny", "small", "previous"})
        public String model;

        /** The measured code step, 1-based, in steps of G frames. */
        @Param({"6", "12", "25", "50"})
        public int prefix;

        private S2sModel sameDiff;
        private int[] measured;
        private TokenBatch prefixBatch;
        private FastDecoder.Session session;
        /** The session's position before the measured step. */
        private int before;

        /**
         * Builds the model (both paths over the same weights), the tokens, and a session that has
         * fed the text and {@code prefix - 1} code steps, so the measured step is number {@code prefix}.
         */
        @Setup(Level.Trial)
        public void setUp() {
            ModelConfig config = ModelFixtures.named(model);
            if (prefix < 1 || prefix >= config.positions()) {
                throw new IllegalArgumentException("prefix " + prefix + " is outside [1, " + config.positions() + ")");
            }
            SplittableRandom rng = new SplittableRandom(1);
            sameDiff = S2sModel.create(config, 1, 1e-3);
            FastDecoder decoder = FastDecoder.of(config, sameDiff.weights());
            session = decoder.start(ModelFixtures.codes(rng, config, SOURCE_FRAMES));
            if (config.hasText()) {
                session.stepText(ModelConfig.TEXT_BOS);
                for (int token : ModelFixtures.text(rng, config, ModelFixtures.MONOLOGUE)) {
                    session.stepText(token);
                }
            }
            int[] step = decoder.bosFrame();
            for (int s = 1; s < prefix; s++) {
                session.step(step);
                step = ModelFixtures.step(rng, config);
            }
            measured = step;
            before = session.position();
            checkRewind(session, before, () -> session.step(measured));
            prefixBatch = ModelFixtures.prefix(rng, config, SOURCE_FRAMES, ModelFixtures.textRows(config), prefix);
        }
    }

    /** A session of a model with a monologue that has fed TEXT_BOS and all but the last symbol. */
    @State(Scope.Thread)
    public static class TextStep {
        /** The model ({@link ModelFixtures#named}), one with a monologue. */
        @Param({"tiny", "small"})
        public String model;

        private S2sModel sameDiff;
        private int last;
        private TokenBatch textBatch;
        private FastDecoder.Session session;
        /** The session's position before the measured row. */
        private int before;

        /** Builds the model (both paths over the same weights), the tokens, and a session at the monologue's last row. */
        @Setup(Level.Trial)
        public void setUp() {
            ModelConfig config = ModelFixtures.named(model);
            if (!config.hasText()) {
                throw new IllegalArgumentException("model " + model + " has no text monologue");
            }
            SplittableRandom rng = new SplittableRandom(1);
            sameDiff = S2sModel.create(config, 1, 1e-3);
            FastDecoder decoder = FastDecoder.of(config, sameDiff.weights());
            session = decoder.start(ModelFixtures.codes(rng, config, SOURCE_FRAMES));
            int[] text = ModelFixtures.text(rng, config, ModelFixtures.MONOLOGUE);
            session.stepText(ModelConfig.TEXT_BOS);
            for (int i = 0; i < text.length - 1; i++) {
                session.stepText(text[i]);
            }
            last = text[text.length - 1];
            before = session.position();
            checkRewind(session, before, () -> session.stepText(last));
            textBatch = ModelFixtures.prefix(rng, config, SOURCE_FRAMES, ModelFixtures.textRows(config), 1);
        }
    }

    /** Fails the setup unless a row fed again after a rewind gives the logits it gave the first time. */
    static void checkRewind(FastDecoder.Session session, int before, Supplier<float[]> row) {
        float[] first = row.get().clone();
        session.truncate(before);
        if (!Arrays.equals(first, row.get())) {
            throw new IllegalStateException("a rewound row differs from the first at position " + before);
        }
    }

    @Benchmark
    public float[] pureJavaCachedStep(CodeStep s) {
        s.session.truncate(s.before);
        return s.session.step(s.measured);
    }

    @Benchmark
    public float[] sameDiffFullRecompute(CodeStep s) {
        return s.sameDiff.logits(s.prefixBatch);
    }

    @Benchmark
    public float[] pureJavaTextStep(TextStep s) {
        s.session.truncate(s.before);
        return s.session.stepText(s.last);
    }

    @Benchmark
    public float[] sameDiffTextRecompute(TextStep s) {
        return s.sameDiff.textLogits(s.textBatch);
    }
}
