package com.example.consumer;

import dev.samvaad.audio.WavAudio;
import dev.samvaad.audio.WavReader;
import dev.samvaad.audio.WavWriter;
import dev.samvaad.codec.CodecTrainer;
import dev.samvaad.codec.RvqCodec;
import dev.samvaad.dataset.ConversationCorpus;
import dev.samvaad.model.ModelCheckpoint;
import dev.samvaad.model.S2sModel;
import dev.samvaad.tensor.FloatKernels;
import dev.samvaad.training.Trainer;
import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README snippets as a user runs them: against the installed artifacts, on a JVM started
 * without the Vector API module, with a small codec and model made here (a codec trained for a
 * moment on tones and a model trained for two steps on two pairs of tones): nothing heavy is
 * trained. The answer snippet runs in the runtime consumer, without ND4J.
 */
class ConsumerTest {
    private static final int RATE = 16_000;

    /** Makes codec.smvd, question.wav and conversations/ in the working directory (target/work). */
    @BeforeAll
    static void codecModelAndQuestion() throws IOException {
        List<float[]> signals = new ArrayList<>();
        for (int s = 0; s < 6; s++) {
            signals.add(tone(150 + 120 * s, 0.8, RATE));
        }
        RvqCodec codec = CodecTrainer.trainOnSignals(signals,
                CodecTrainer.Options.defaults().withCodebooks(2, 16).withIterations(3));
        codec.save(Path.of("codec.smvd"));

        // 0.3 s of silence, 0.8 s of a voiced tone, 0.5 s of silence, at a rate other than the codec's.
        int questionRate = 22_050;
        float[] question = new float[(int) (1.6 * questionRate)];
        float[] voiced = tone(220, 0.8, questionRate);
        System.arraycopy(voiced, 0, question, (int) (0.3 * questionRate), voiced.length);
        WavWriter.writePcm16(Path.of("question.wav"), question, questionRate);

        // Two pairs of a user's own recordings (no meta.json: both count as training pairs).
        deleteTree(Path.of("conversations"));
        deleteTree(Path.of("run"));
        deleteTree(Path.of("listened"));
        for (int p = 1; p <= 2; p++) {
            Path pair = Path.of("conversations", "conv_00" + p);
            WavWriter.writePcm16(pair.resolve("user.wav"), tone(200 + 100 * p, 0.6, questionRate), questionRate);
            WavWriter.writePcm16(pair.resolve("assistant.wav"), tone(500 + 150 * p, 0.4, RATE), RATE);
        }
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
    void trainsOnAConversationFolderAndAListenerHearsTheEpochs() throws IOException {
        assertEquals(2, ConversationCorpus.open(Path.of("conversations")).pairs().size());

        java.io.PrintStream console = System.out;
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
        Trainer.Result result;
        try {
            result = Snippets.train();
        } finally {
            System.setOut(console);
        }

        assertEquals(2, result.steps(), "one epoch of two pairs, one pair per batch");
        assertEquals(1, result.epochs());
        RvqCodec codec = RvqCodec.load(Path.of("codec.smvd"));
        ModelCheckpoint.Loaded last = ModelCheckpoint.load(result.last(), codec.fingerprint());
        assertEquals(2, last.info().step());
        assertTrue(Files.isRegularFile(Path.of("run", "metrics.csv")), "metrics.csv written");
        try (Stream<Path> cache = Files.walk(Path.of("conversations", ".codes"))) {
            assertEquals(4, cache.filter(p -> Files.isRegularFile(p) && p.toString().endsWith(".codes")).count(),
                    "both sides of both pairs encoded once");
        }
        // The listener's lines, the curves of the listened run, and the codec each run keeps.
        String lines = printed.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(lines.contains("epoch 1: training loss ") && lines.contains("curves.png"), lines);
        assertTrue(Files.isRegularFile(Path.of("listened", "curves.png")), "curves.png written");
        assertEquals(codec.fingerprint(), RvqCodec.load(Path.of("run", "codec.smvd")).fingerprint());
        try (dev.samvaad.agent.ConversationAgent agent = dev.samvaad.agent.ConversationAgent.load(Path.of("listened"))) {
            assertEquals(RATE, agent.sampleRate());
        }
    }

    /**
     * The installed library jars are automatic modules with the names their manifests give, and
     * they resolve together on a module path (no package in two of them).
     */
    @Test
    void librariesAreNamedAutomaticModules() throws Exception {
        Map<String, Class<?>> expected = new LinkedHashMap<>();
        expected.put("dev.samvaad.codec", RvqCodec.class);
        expected.put("dev.samvaad.dataset", ConversationCorpus.class);
        expected.put("dev.samvaad.infer", dev.samvaad.agent.ConversationAgent.class);
        expected.put("dev.samvaad.model", S2sModel.class);
        expected.put("dev.samvaad.training", Trainer.class);
        List<Path> jars = new ArrayList<>();
        for (Map.Entry<String, Class<?>> e : expected.entrySet()) {
            Path jar = Path.of(e.getValue().getProtectionDomain().getCodeSource().getLocation().toURI());
            assertTrue(jar.getFileName().toString().endsWith(".jar"), "an installed jar: " + jar);
            try (JarFile file = new JarFile(jar.toFile())) {
                assertEquals(e.getKey(), file.getManifest().getMainAttributes().getValue("Automatic-Module-Name"), jar.toString());
            }
            ModuleDescriptor module = ModuleFinder.of(jar).findAll().iterator().next().descriptor();
            assertEquals(e.getKey(), module.name());
            assertTrue(module.isAutomatic());
            jars.add(jar);
        }
        Configuration resolved = ModuleLayer.boot().configuration().resolve(ModuleFinder.of(jars.toArray(Path[]::new)),
                ModuleFinder.of(), expected.keySet());
        assertEquals(expected.keySet(), resolved.modules().stream().map(java.lang.module.ResolvedModule::name)
                .collect(java.util.stream.Collectors.toSet()));
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
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
