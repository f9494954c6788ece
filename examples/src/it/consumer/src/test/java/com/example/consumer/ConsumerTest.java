package com.example.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.samvaad.audio.WavAudio;
import dev.samvaad.audio.WavReader;
import dev.samvaad.audio.WavWriter;
import dev.samvaad.codec.CodecTrainer;
import dev.samvaad.codec.RvqCodec;
import dev.samvaad.model.ModelCheckpoint;
import dev.samvaad.model.ModelConfig;
import dev.samvaad.model.ModelInfo;
import dev.samvaad.model.S2sModel;
import dev.samvaad.tensor.FloatKernels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README snippets as a user runs them: against the installed artifacts, on a JVM started
 * without the Vector API module, with a small codec and model made here (a codec trained for a
 * moment on tones, a model with seeded random weights): nothing heavy is trained.
 */
class ConsumerTest {
    private static final int RATE = 16_000;

    /** Makes codec.smvd, model/ and question.wav in the working directory (target/work). */
    @BeforeAll
    static void codecModelAndQuestion() {
        List<float[]> signals = new ArrayList<>();
        for (int s = 0; s < 6; s++) {
            signals.add(tone(150 + 120 * s, 0.8, RATE));
        }
        RvqCodec codec = CodecTrainer.trainOnSignals(signals,
                CodecTrainer.Options.defaults().withCodebooks(2, 16).withIterations(3));
        codec.save(Path.of("codec.smvd"));

        ModelConfig config = new ModelConfig(codec.codebooks(), codec.codebookSize(), 32, 4, 1, 1, 64, 128);
        ModelCheckpoint.save(Path.of("model"), S2sModel.create(config, 7, 1e-3),
                new ModelInfo("conversation", codec.fingerprint(), 0, Map.of()));

        // 0.3 s of silence, 0.8 s of a voiced tone, 0.5 s of silence, at a rate other than the codec's.
        int questionRate = 22_050;
        float[] question = new float[(int) (1.6 * questionRate)];
        float[] voiced = tone(220, 0.8, questionRate);
        System.arraycopy(voiced, 0, question, (int) (0.3 * questionRate), voiced.length);
        WavWriter.writePcm16(Path.of("question.wav"), question, questionRate);
    }

    @Test
    void runsWithoutTheVectorApi() {
        assertTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty(),
                "the consumer JVM must not have jdk.incubator.vector");
        assertEquals("scalar", FloatKernels.best().name());
    }

    @Test
    void encodesAndDecodesAWav() {
        int[][] codes = Snippets.encode();
        assertEquals(2, codes.length);
        assertEquals(80, codes[0].length, "1.6 s at 50 frames per second");

        Snippets.decode(codes);
        WavAudio decoded = WavReader.read(Path.of("decoded.wav"));
        assertEquals(RATE, decoded.sampleRate());
        assertEquals(80 * 320, decoded.frames());
    }

    @Test
    void answersAQuestionWav() throws Exception {
        Files.deleteIfExists(Path.of("answer.wav"));

        Snippets.answer();

        Path answer = Path.of("answer.wav");
        assertTrue(Files.isRegularFile(answer), "answer.wav written");
        WavAudio audio = WavReader.read(answer);
        assertEquals(1, audio.channels());
        assertEquals(RATE, audio.sampleRate());
        assertTrue(audio.frames() >= 320, "at least one frame of reply audio, got " + audio.frames() + " samples");
        for (float sample : audio.samples()[0]) {
            assertTrue(Float.isFinite(sample) && Math.abs(sample) <= 1f, "sample " + sample);
        }
    }

    /** A vibrato tone at about {@code hz}, amplitude 0.3. */
    private static float[] tone(double hz, double seconds, int rate) {
        float[] pcm = new float[(int) Math.round(seconds * rate)];
        double phase = 0;
        for (int i = 0; i < pcm.length; i++) {
            phase += 2 * Math.PI * hz * (1 + 0.05 * Math.sin(2 * Math.PI * 4 * i / rate)) / rate;
            pcm[i] = (float) (0.3 * Math.sin(phase));
        }
        return pcm;
    }
}
