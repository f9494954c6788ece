package com.example.runtime;

import dev.samvaad.agent.ConversationAgent;
import dev.samvaad.audio.WavAudio;
import dev.samvaad.audio.WavReader;
import dev.samvaad.audio.WavWriter;
import dev.samvaad.codec.CodecTrainer;
import dev.samvaad.codec.RvqCodec;
import dev.samvaad.infer.ModelConfig;
import dev.samvaad.infer.WeightNames;
import dev.samvaad.infer.WeightsFile;
import java.io.File;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * README's answer snippet as a user who only answers questions runs it: against the installed
 * {@code s2s-runtime} and what it brings (codec-core, Jackson, SLF4J, JTransforms), with a small
 * codec trained here on tones and a model folder holding only {@code weights.smvd} (seeded random
 * weights): no ND4J class and no native library can be reached.
 */
class RuntimeConsumerTest {
    private static final int RATE = 16_000;

    /** Makes codec.smvd, model/weights.smvd and question.wav in the working directory (target/work). */
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
        WeightsFile.write(Path.of("model"), config, WeightNames.initial(config, 7), codec.fingerprint(),
                "conversation", 0);

        // 0.3 s of silence, 0.8 s of a voiced tone, 0.5 s of silence, at a rate other than the codec's.
        int questionRate = 22_050;
        float[] question = new float[(int) (1.6 * questionRate)];
        float[] voiced = tone(220, 0.8, questionRate);
        System.arraycopy(voiced, 0, question, (int) (0.3 * questionRate), voiced.length);
        WavWriter.writePcm16(Path.of("question.wav"), question, questionRate);
    }

    @Test
    void answersAQuestionWavWithTheRuntimeAlone() throws Exception {
        Files.deleteIfExists(Path.of("answer.wav"));

        Snippets.answer();

        WavAudio audio = WavReader.read(Path.of("answer.wav"));
        assertEquals(1, audio.channels());
        assertEquals(RATE, audio.sampleRate());
        assertTrue(audio.frames() >= 320, "at least one frame of reply audio, got " + audio.frames() + " samples");
        for (float sample : audio.samples()[0]) {
            assertTrue(Float.isFinite(sample) && Math.abs(sample) <= 1f, "sample " + sample);
        }
    }

    @Test
    void noNd4jNoJavaCppAndNoNativeLibraryIsOnTheClasspath() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.nd4j.linalg.factory.Nd4j"));
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.bytedeco.javacpp.Loader"));
        List<String> jars = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(p -> Path.of(p).getFileName().toString()).toList();
        assertTrue(jars.stream().anyMatch(j -> j.startsWith("s2s-runtime-")), jars.toString());
        assertTrue(jars.stream().noneMatch(j -> j.startsWith("nd4j") || j.startsWith("javacpp")
                || j.startsWith("openblas") || j.startsWith("s2s-model")), jars.toString());
    }

    @Test
    void theRuntimeJarIsANamedAutomaticModule() throws Exception {
        Path jar = Path.of(ConversationAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (JarFile file = new JarFile(jar.toFile())) {
            assertEquals("dev.samvaad.infer", file.getManifest().getMainAttributes().getValue("Automatic-Module-Name"));
        }
        ModuleDescriptor module = ModuleFinder.of(jar).findAll().iterator().next().descriptor();
        assertEquals("dev.samvaad.infer", module.name());
        assertTrue(module.packages().containsAll(List.of("dev.samvaad.agent", "dev.samvaad.infer")), module.packages().toString());
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
