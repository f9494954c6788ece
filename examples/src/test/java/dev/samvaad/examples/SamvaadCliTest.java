package dev.samvaad.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.samvaad.audio.WavAudio;
import dev.samvaad.audio.WavReader;
import dev.samvaad.audio.WavWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SamvaadCliTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = Samvaad.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void helpListsEveryExampleMain() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("doctor", "resample");
    }

    @Test
    void doctorReportsKernelsAndBackend() {
        assertThat(run("doctor")).isZero();
        assertThat(out.toString()).contains("tensor kernels").containsPattern("nd4j backend +CpuBackend");
    }

    @Test
    void resampleWritesMonoAtTheRequestedRate() throws Exception {
        int inRate = 44100, seconds = 1;
        float[] left = new float[inRate * seconds], right = new float[inRate * seconds];
        for (int i = 0; i < left.length; i++) {
            left[i] = (float) (0.5 * Math.sin(2 * Math.PI * 440 * i / inRate));
            right[i] = left[i];
        }
        Path in = dir.resolve("stereo in.wav");
        WavWriter.write(in, new WavAudio(new dev.samvaad.audio.WavFormat(inRate, 2, 24,
                dev.samvaad.audio.SampleEncoding.PCM_SIGNED), new float[][] {left, right}),
                dev.samvaad.audio.SampleEncoding.PCM_SIGNED, 24);
        Path outFile = dir.resolve("out.wav");

        assertThat(run("resample", "--input", in.toString(), "--output", outFile.toString(), "--rate", "16000"))
                .as(err.toString()).isZero();

        WavAudio result = WavReader.read(outFile);
        assertThat(result.sampleRate()).isEqualTo(16000);
        assertThat(result.channels()).isEqualTo(1);
        assertThat(result.frames()).isEqualTo(16000);
        float[] y = result.samples()[0];
        double rms = 0;
        for (int i = 1000; i < 15000; i++) {
            rms += y[i] * y[i];
        }
        assertThat(Math.sqrt(rms / 14000)).isCloseTo(0.5 / Math.sqrt(2), within(0.01));
    }

    @Test
    void badInputFileGivesOneLineErrorAndNonZeroExit() throws Exception {
        Path notWav = dir.resolve("notes.wav");
        Files.writeString(notWav, "this is not audio");
        int code = run("resample", "--input", notWav.toString(), "--output", dir.resolve("o.wav").toString());
        assertThat(code).isEqualTo(1);
        assertThat(err.toString().strip()).contains("notes.wav").doesNotContain("\n").doesNotContain("Exception");
        assertThat(dir.resolve("o.wav")).doesNotExist();
    }

    @Test
    void missingRequiredFlagIsAUsageError() {
        assertThat(run("resample", "--input", "x.wav")).isEqualTo(2);
        assertThat(err.toString()).contains("--output");
    }
}
