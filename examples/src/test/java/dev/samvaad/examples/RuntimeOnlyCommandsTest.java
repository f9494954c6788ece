package dev.samvaad.examples;

import dev.samvaad.audio.WavAudio;
import dev.samvaad.audio.WavReader;
import dev.samvaad.audio.WavWriter;
import dev.samvaad.codec.CodecTrainer;
import dev.samvaad.codec.RvqCodec;
import dev.samvaad.infer.ModelConfig;
import dev.samvaad.infer.ModelFolder;
import dev.samvaad.infer.WeightNames;
import dev.samvaad.infer.WeightsFile;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code agent} and {@code web} run on {@code s2s-runtime}: started in a JVM whose classpath is
 * bin/samvaad's without ND4J, JavaCPP, OpenBLAS, {@code s2s-model} and {@code training}, the
 * agent answers a question file from a run folder that holds only the codec and
 * {@code weights.smvd}, and the web demo's command loads.
 */
class RuntimeOnlyCommandsTest {
    /**
     * Jars and class folders of the training side: ND4J's and JavaCPP's (with the native backends),
     * s2s-model's and training's. None of them may be needed to answer.
     */
    private static final Pattern TRAINING_SIDE = Pattern.compile(
            "[/\\\\]org[/\\\\](nd4j|bytedeco)[/\\\\]|(^|[/\\\\])(s2s-model|training)-[^/\\\\]*\\.jar$"
                    + "|[/\\\\](s2s-model|training)[/\\\\]target[/\\\\]classes$");

    @TempDir
    Path dir;

    @Test
    void theAgentAnswersAFileAndTheWebDemoLoadsWithoutTheTrainingSide() throws Exception {
        List<String> full = new ArrayList<>(Arrays.asList(Files.readString(Path.of("target", "classpath.txt")).strip()
                .split(File.pathSeparator)));
        List<String> runtimeOnly = full.stream().filter(p -> !TRAINING_SIDE.matcher(p).find()).toList();
        assertThat(full).anyMatch(p -> p.contains("nd4j-native")).anyMatch(p -> p.contains("s2s-model"));
        assertThat(runtimeOnly).noneMatch(p -> p.contains("nd4j") || p.contains("javacpp") || p.contains("openblas")
                || p.contains("s2s-model") || p.contains("training")).anyMatch(p -> p.contains("s2s-runtime"));
        String classpath = Path.of("target", "classes").toAbsolutePath() + File.pathSeparator
                + String.join(File.pathSeparator, runtimeOnly);

        List<float[]> tones = new ArrayList<>();
        for (int s = 0; s < 6; s++) {
            tones.add(RealtimeS2SAgentCliTest.tone(150 + 120 * s, 0.8, 16_000));
        }
        RvqCodec codec = CodecTrainer.trainOnSignals(tones,
                CodecTrainer.Options.defaults().withCodebooks(2, 16).withIterations(3));
        Path run = dir.resolve("run");
        ModelConfig config = new ModelConfig(2, 16, 32, 4, 1, 1, 64, 128);
        WeightsFile.write(run.resolve("best"), config, WeightNames.initial(config, 3), codec.fingerprint(),
                "conversation", 0);
        codec.save(run.resolve(ModelFolder.CODEC_FILE));
        float[] question = new float[(int) (1.4 * 22_050)];
        float[] voiced = RealtimeS2SAgentCliTest.tone(220, 0.8, 22_050);
        System.arraycopy(voiced, 0, question, (int) (0.3 * 22_050), voiced.length);
        WavWriter.writePcm16(dir.resolve("q.wav"), question, 22_050);

        Result agent = java(classpath, "dev.samvaad.examples.RealtimeS2SAgent", "--s2s", run.toString(), "--input",
                dir.resolve("q.wav").toString(), "--output", dir.resolve("a.wav").toString(), "--max-reply-seconds", "1");
        assertThat(agent.exit()).as(agent.output()).isZero();
        WavAudio reply = WavReader.read(dir.resolve("a.wav"));
        assertThat(reply.sampleRate()).isEqualTo(codec.sampleRate());
        assertThat(reply.frames()).isPositive();

        Result web = java(classpath, "dev.samvaad.examples.WebDemo", "--help");
        assertThat(web.exit()).as(web.output()).isZero();
        assertThat(web.output()).contains("--s2s");
    }

    private record Result(int exit, String output) {}

    private Result java(String classpath, String mainClass, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, mainClass));
        command.addAll(List.of(args));
        Path log = dir.resolve(mainClass + ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(mainClass + " did not finish in 120 s: " + Files.readString(log, StandardCharsets.UTF_8));
        }
        return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
