package com.example.consumer;

import dev.samvaad.audio.AudioIO;
import dev.samvaad.audio.WavWriter;
import dev.samvaad.codec.AudioCodec;
import dev.samvaad.codec.RvqCodec;
import dev.samvaad.dataset.CodeCache;
import dev.samvaad.dataset.ConversationCorpus;
import dev.samvaad.dataset.PairDataset;
import dev.samvaad.infer.ModelConfig;
import dev.samvaad.training.Trainer;
import dev.samvaad.training.TrainingListener;
import java.nio.file.Path;

/**
 * The code of README's "Use it in your project", compiled and run by {@code ConsumerTest} against
 * the installed artifacts. README quotes the lines between each {@code tag::} and {@code end::}
 * marker verbatim (examples' {@code ReadmeSnippetsTest} checks it). Paths are relative: the test
 * runs in a folder holding {@code codec.smvd}, {@code question.wav} and a folder of conversation
 * pairs, {@code conversations/}. The answer snippet is the runtime consumer's
 * ({@code src/it/runtime-consumer}), which depends on {@code s2s-runtime} alone.
 */
public final class Snippets {
    private Snippets() {}

    /** Encodes a WAV (any rate, mono or stereo) to codes. */
    public static int[][] encode() {
        // tag::encode[]
        AudioCodec codec = RvqCodec.load(Path.of("codec.smvd"));
        float[] pcm = AudioIO.readMono(Path.of("question.wav"), codec.sampleRate());
        int[][] codes = codec.encode(pcm); // [codebooks][frames], 50 frames per second
        // end::encode[]
        return codes;
    }

    /** Decodes codes to a WAV. */
    public static void decode(int[][] codes) {
        // tag::decode[]
        AudioCodec codec = RvqCodec.load(Path.of("codec.smvd"));
        float[] audio = codec.decode(codes);
        WavWriter.writePcm16(Path.of("decoded.wav"), audio, codec.sampleRate());
        // end::decode[]
    }

    /**
     * Trains a model on a folder of conversation pairs ({@code conv_001/user.wav},
     * {@code conv_001/assistant.wav}, ...) into {@code run/}, then again into {@code listened/} with
     * a listener that prints each epoch's figures; returns the first run's result.
     */
    public static Trainer.Result train() {
        // tag::train[]
        RvqCodec codec = RvqCodec.load(Path.of("codec.smvd"));
        ConversationCorpus corpus = ConversationCorpus.open(Path.of("conversations"));
        PairDataset data = PairDataset.conversation(corpus, new CodeCache(Path.of("conversations", ".codes"), codec), 2);
        ModelConfig config = new ModelConfig(codec.codebooks(), codec.codebookSize(), 32, 4, 1, 1, 64, 128);
        // 1 epoch, 1 pair per batch, learning rate 1e-3, no warm-up, seed 7, a checkpoint every step
        Trainer.Options options = new Trainer.Options(1, 1, 1e-3, 0, 7, 1);
        Trainer.Result result = new Trainer(data, config, codec, Path.of("run"), options).run(Trainer.Start.NEW, null);
        // end::train[]
        // tag::listen[]
        TrainingListener progress = new TrainingListener() {
            @Override
            public void onEpoch(TrainingListener.Epoch e) {
                System.out.printf("epoch %d: training loss %.3f, curves %s%n", e.epoch(), e.trainLoss(), e.curves());
            }
        };
        new Trainer(data, config, codec, Path.of("listened"), options).run(Trainer.Start.NEW, null, progress);
        // end::listen[]
        return result;
    }
}
