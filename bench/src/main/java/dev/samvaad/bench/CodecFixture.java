package dev.samvaad.bench;

import dev.samvaad.codec.CodecTrainer;
import dev.samvaad.codec.RvqCodec;
import java.util.List;

/**
 * The codec the benchmarks measure: the default shape (6 codebooks of 1024, 3.0 kbps) trained in
 * a few seconds on {@link #TRAIN_SECONDS} of {@link BenchSpeech} ({@link BenchSpeech.Material#TRAIN})
 * with a small k-means budget ({@link #ITERATIONS} Lloyd iterations per codebook). Its speed does
 * not depend on how well it is trained, only on its shape and on the speech it decodes, which is
 * {@link BenchSpeech.Material#TEST} (other voices and sentences).
 */
final class CodecFixture {
    static final double TRAIN_SECONDS = 60;
    static final int ITERATIONS = 4;

    final RvqCodec codec;
    final BenchSpeech.Speech trainSpeech;
    final double trainSeconds;

    private CodecFixture(RvqCodec codec, BenchSpeech.Speech trainSpeech, double trainSeconds) {
        this.codec = codec;
        this.trainSpeech = trainSpeech;
        this.trainSeconds = trainSeconds;
    }

    /** Makes the training speech and trains the codec; {@link #trainSeconds} says how long that took. */
    static CodecFixture train() {
        long start = System.nanoTime();
        BenchSpeech.Speech speech = BenchSpeech.make(BenchSpeech.Material.TRAIN, TRAIN_SECONDS);
        RvqCodec codec = CodecTrainer.trainOnSignals(List.of(speech.pcm()), options());
        return new CodecFixture(codec, speech, (System.nanoTime() - start) / 1e9);
    }

    static CodecTrainer.Options options() {
        return CodecTrainer.Options.defaults().withIterations(ITERATIONS);
    }
}
