package dev.samvaad.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.samvaad.audio.WavAudio;
import dev.samvaad.audio.WavReader;
import dev.samvaad.audio.WavWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SamvaadCliTest {
    @TempDir
    Path dir;

    private final CliCapture cli = new CliCapture();
    private final StringWriter out = cli.out, err = cli.err;

    private int run(String... args) {
        return cli.run(args);
    }

    @Test
    void helpListsEveryExampleMain() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("quickstart", "generate-data", "train-codec", "codec-roundtrip", "codec-eval",
                "train", "evaluate", "agent", "doctor", "resample");
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
        assertThat(out.toString()).contains(": 44100 Hz, 2 channels, pcm24 -> ", ": 16000 Hz mono pcm16, 1.00 s")
                .doesNotContain("PCM_SIGNED");

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
    void generateDataTakesSeedAndKebabFlagsAndResumes() throws Exception {
        assumeTrue(new ProcessBuilder("sh", "-c", "command -v espeak-ng").start().waitFor() == 0,
                "espeak-ng not installed (apt-get install espeak-ng); .ci/run installs it");
        Path out = dir.resolve("data dir");
        assertThat(run("generate-data", "--num_pairs", "20", "--output_dir", out.toString(), "--seed", "4",
                "--workers", "2")).as(err.toString()).isZero();
        assertThat(out.resolve("conv_000020/meta.json")).exists();
        assertThat(out.resolve("conv_000021")).doesNotExist();
        assertThat(this.out.toString()).contains("train", "test-paraphrase", "20 generated");

        this.out.getBuffer().setLength(0);
        assertThat(run("generate-data", "--num-pairs", "20", "--output-dir", out.toString(), "--seed", "4")).isZero();
        assertThat(this.out.toString()).contains("0 generated, 20 already complete");
    }

    @Test
    void contradictoryGenerationFlagsAreRefused() {
        assertThat(run("generate-data", "--num_pairs", "5", "--output_dir", dir.toString(), "--llm-model", "m"))
                .isEqualTo(1);
        assertThat(err.toString()).contains("--llm-model needs --llm-url");
        assertThat(run("generate-data", "--num_pairs", "5", "--output_dir", dir.toString(),
                "--tts-command", "piper --output_file {out}")).isEqualTo(1);
        assertThat(err.toString()).contains("--user-voices");
        assertThat(run("generate-data", "--output_dir", dir.toString(), "--questions", "q.txt")).isEqualTo(1);
        assertThat(err.toString()).contains("--questions has no answers of its own");
        assertThat(run("generate-data", "--num_pairs", "0", "--output_dir", dir.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("--num_pairs must be at least 1");
    }

    @Test
    void quickstartRunsEveryStepOnAFewIntentsAndRefusesAnUnknownOne() throws Exception {
        assumeTrue(new ProcessBuilder("sh", "-c", "command -v espeak-ng").start().waitFor() == 0,
                "espeak-ng not installed (apt-get install espeak-ng); .ci/run installs it");
        Path out = dir.resolve("quick start");
        assertThat(run("quickstart", "--output_dir", out.toString(), "--num_pairs", "40", "--epochs", "1",
                "--intents", "greeting_hello,agree,number_square", "--turn_pairs", "30")).as(err.toString()).isZero();
        var report = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertThat(report.path("splits").toString()).contains("test-voice", "test-paraphrase", "test-slot", "chance");
        assertThat(out.resolve("report.md")).exists();
        assertThat(out.resolve("model/best/model.json")).exists();
        // train kept the codec in the run folder; evaluate found it there without --codec.
        assertThat(dev.samvaad.codec.RvqCodec.load(out.resolve("model/codec.smvd")).fingerprint())
                .isEqualTo(dev.samvaad.codec.RvqCodec.load(out.resolve("codec.smvd")).fingerprint());
        assertThat(report.at("/settings/codec").asText()).isEqualTo(out.resolve("model/codec.smvd").toString());
        assertThat(this.out.toString()).contains("4/5 evaluate", "5/5 the end-of-turn predictor", "saved", "done: report",
                "end-of-turn predictor", "talk to it: bin/samvaad agent --s2s " + out.resolve("model") + " --input-dir");
        // The predictor lies beside the codec, where agent and web look for it, and loads with it.
        dev.samvaad.agent.EndOfTurnPredictor.load(out.resolve("end-of-turn.smvd"),
                dev.samvaad.codec.RvqCodec.load(out.resolve("codec.smvd")));
        assertThat(java.nio.file.Files.readString(out.resolve("turns/conv_000001/meta.json"))).contains("\"turn\"");
        String meta = java.nio.file.Files.readString(out.resolve("conversations/conv_000001/meta.json"));
        assertThat(meta).containsAnyOf("greeting_hello", "agree", "number_square");

        assertThat(run("quickstart", "--output_dir", dir.resolve("other").toString(), "--num_pairs", "20",
                "--intents", "no_such_intent")).isNotZero();
        assertThat(err.toString()).contains("no_such_intent");
    }

    @Test
    void codecCommandsTrainRoundTripAndEvaluate() throws Exception {
        assumeTrue(new ProcessBuilder("sh", "-c", "command -v espeak-ng").start().waitFor() == 0,
                "espeak-ng not installed (apt-get install espeak-ng); .ci/run installs it");
        Path data = dir.resolve("data");
        assertThat(run("generate-data", "--num_pairs", "40", "--output_dir", data.toString())).isZero();
        Path codecFile = dir.resolve("codec.smvd");
        assertThat(run("train-codec", "--audio_dir", data.toString(), "--split", "train", "--output", codecFile.toString(),
                "--codebooks", "3", "--codebook_size", "32", "--iterations", "4")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("3 codebooks of 32 codes", "50 frames/s", "750 bps");
        byte[] codecBytes = Files.readAllBytes(codecFile);
        assertThat(run("train-codec", "--audio_dir", data.toString(), "--split", "train", "--output", codecFile.toString(),
                "--codebooks", "2", "--codebook_size", "16", "--iterations", "2")).isEqualTo(1);
        assertThat(err.toString()).contains("codec.smvd exists").contains("--overwrite");
        assertThat(Files.readAllBytes(codecFile)).isEqualTo(codecBytes); // the models' codec is kept

        Path roundTrip = dir.resolve("rt.wav");
        Path question = data.resolve("conv_000001/user.wav");
        assertThat(run("codec-roundtrip", "--codec", codecFile.toString(), "--input", question.toString(),
                "--output", roundTrip.toString(), "--codebooks", "2")).as(err.toString()).isZero();
        var decoded = WavReader.read(roundTrip);
        assertThat(decoded.sampleRate()).isEqualTo(16_000);
        assertThat(decoded.durationSeconds()).isCloseTo(WavReader.read(question).durationSeconds(), within(0.01));

        Path run = dir.resolve("run");
        assertThat(run("train", "--data_dir", data.toString(), "--codec", codecFile.toString(), "--output", run.toString(),
                "--epochs", "1", "--size", "tiny", "--batch_size", "8", "--warmup", "2")).as(err.toString()).isZero();
        assertThat(run.resolve("best/model.json")).exists();
        assertThat(run.resolve("metrics.csv")).exists();
        assertThat(run.resolve("curves.png")).exists();
        // The codec travels with the model.
        assertThat(dev.samvaad.codec.RvqCodec.load(run.resolve("codec.smvd")).fingerprint())
                .isEqualTo(dev.samvaad.codec.RvqCodec.load(codecFile).fingerprint());
        assertThat(out.toString()).contains("; codec " + run.resolve("codec.smvd") + "; metrics ");
        String metrics = Files.readString(run.resolve("metrics.csv"));
        assertThat(run("train", "--data_dir", data.toString(), "--codec", codecFile.toString(), "--output", run.toString(),
                "--epochs", "1", "--size", "tiny", "--batch_size", "8", "--warmup", "2")).isEqualTo(1);
        assertThat(err.toString()).contains("already holds a training run").contains("--overwrite");
        assertThat(Files.readString(run.resolve("metrics.csv"))).isEqualTo(metrics);
        Path answers = dir.resolve("answers/report.json");
        assertThat(run("evaluate", "--model", run.resolve("best").toString(), "--codec", codecFile.toString(),
                "--data_dir", data.toString(), "--report", answers.toString(), "--samples", "1")).as(err.toString()).isZero();
        var answerJson = new com.fasterxml.jackson.databind.ObjectMapper().readTree(answers.toFile());
        assertThat(answerJson.toString()).contains("test-voice").contains("chance");
        assertThat(dir.resolve("answers/report.md")).exists();
        assertThat(run("evaluate", "--model", run.resolve("best").toString(), "--codec", codecFile.toString(),
                "--data_dir", data.toString(), "--report", answers.toString(), "--samples", "1")).isEqualTo(1);
        assertThat(err.toString()).contains("report.json exists").contains("--overwrite");

        Path report = dir.resolve("eval.json");
        assertThat(run("codec-eval", "--codec", codecFile.toString(), "--audio_dir", data.toString(), "--split",
                "test-voice", "--report", report.toString(), "--no-reference")).as(err.toString()).isZero();
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(report.toFile());
        assertThat(json.path("scores")).hasSize(3);
        assertThat(json.path("scores").get(2).path("stoi").asDouble()).isBetween(0.3, 1.0);
        assertThat(json.path("codec").path("bitrate").asDouble()).isEqualTo(750.0);
        assertThat(json.path("audio").path("side").asText()).isEqualTo("user");
    }

    @Test
    void codecCommandsNameABadFileInOneLine() throws Exception {
        Path notWav = dir.resolve("question.wav");
        Files.writeString(notWav, "RIFF but not really");
        Path notCodec = dir.resolve("codec.smvd");
        Files.writeString(notCodec, "not a checkpoint");
        assertThat(run("codec-roundtrip", "--codec", notCodec.toString(), "--input", notWav.toString(),
                "--output", dir.resolve("o.wav").toString())).isEqualTo(1);
        assertThat(err.toString().strip()).contains("codec.smvd").contains("not a Samvaad checkpoint").doesNotContain("\n");
        err.getBuffer().setLength(0);
        assertThat(run("train-codec", "--audio_dir", dir.resolve("nowhere").toString(), "--output", notCodec.toString()))
                .isEqualTo(1);
        assertThat(err.toString()).contains("nowhere").contains("not a folder");
        assertThat(Files.readString(notCodec)).isEqualTo("not a checkpoint");
    }

    @Test
    void missingRequiredFlagIsAUsageError() {
        assertThat(run("resample", "--input", "x.wav")).isEqualTo(2);
        assertThat(err.toString()).contains("--output");
    }
}
