package dev.samvaad.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.samvaad.audio.WavWriter;
import dev.samvaad.io.Checkpoint;
import dev.samvaad.io.CheckpointFile;
import dev.samvaad.tensor.Tensor;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The command-line part of the hostile-input catalogue (RELIABILITY.md): missing, malformed or
 * contradictory flags and bad files given to {@code bin/samvaad} commands. Each exits non-zero
 * (2 for a usage error picocli catches, 1 for a bad value or file) with a message on stderr that
 * names the flag or file, no stack trace, and leaves every file that was there untouched.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CliHostileInputTest {
    @TempDir
    Path dir;

    /** Fixtures every case may point at. */
    record Files_(Path wav, Path wav1Hz, Path codec, Path notCodec, Path emptyDir, Path brokenData, Path fileNotDir,
            Path existingOut, Path corpus, Path dataWithBadJson, Path fifo) {}

    private Files_ f;

    @BeforeEach
    void fixtures() throws Exception {
        Path wav = dir.resolve("question ✓.wav");
        WavWriter.writePcm16(wav, tone(1600), 16_000);
        Path wav1Hz = dir.resolve("one hertz.wav");
        WavWriter.writePcm16(wav1Hz, new float[2000], 1);
        Path codec = dir.resolve("codec.smvd");
        CheckpointFile.write(codec, tinyCodecCheckpoint());
        Path notCodec = Files.writeString(dir.resolve("not a codec.smvd"), "not a checkpoint");
        Path emptyDir = Files.createDirectories(dir.resolve("empty folder"));
        Path brokenData = dir.resolve("broken data");
        WavWriter.writePcm16(brokenData.resolve("conv_000001/user.wav"), tone(800), 16_000); // its answer is missing
        Path fileNotDir = Files.writeString(dir.resolve("a file.txt"), "I am a file");
        Path existingOut = Files.writeString(dir.resolve("existing out.wav"), "precious");
        Path corpus = Files.writeString(dir.resolve("corpus.json"), "{\"format\": \"samvaad-corpus/1\", \"intents\": [");
        Path dataWithBadJson = Files.createDirectories(dir.resolve("data with bad dataset.json"));
        Files.writeString(dataWithBadJson.resolve("dataset.json"), "{ not json");
        Path fifo = dir.resolve("pipe.wav");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        f = new Files_(wav, wav1Hz, codec, notCodec, emptyDir, brokenData, fileNotDir, existingOut, corpus, dataWithBadJson,
                fifo);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // picocli usage errors: exit 2
                usage("unknown subcommand", f -> args("transmogrify"), "transmogrify"),
                usage("unknown flag", f -> args("resample", "--input", s(f.wav()), "--output", "o.wav", "--frobnicate"),
                        "--frobnicate"),
                usage("missing required --output", f -> args("resample", "--input", s(f.wav())), "--output"),
                usage("missing required --codec", f -> args("train", "--data_dir", "d", "--output", "o"), "--codec"),
                usage("a number flag given text", f -> args("resample", "--input", s(f.wav()), "--output", "o.wav",
                        "--rate", "fast"), "--rate"),
                usage("an enum flag given an unknown value", f -> args("train", "--data_dir", "d", "--codec", "c",
                        "--output", "o", "--task", "chat"), "chat"),
                // bad values and files: exit 1
                bad("--resume and --init together", f -> args("train", "--data_dir", "d", "--codec", s(f.codec()),
                        "--output", "o", "--resume", "--init", "x"), "--resume or --init, not both"),
                bad("--resume and --overwrite together", f -> args("train", "--data_dir", "d", "--codec", s(f.codec()),
                        "--output", "o", "--resume", "--overwrite"), "--resume or --overwrite, not both"),
                bad("--epochs 0 is refused before any loading", f -> args("train", "--data_dir", "d", "--codec",
                        s(f.notCodec()), "--output", "o", "--epochs", "0"), "train: --epochs must be >= 1, got 0"),
                bad("--epochs -1 names the flag, not the trainer's Options", f -> args("train", "--data_dir", "d",
                        "--codec", s(f.notCodec()), "--output", "o", "--epochs", "-1"), "train: --epochs must be >= 1, got -1"),
                bad("--learning-rate 0 names the spelling typed", f -> args("train", "--data_dir", "d", "--codec",
                        s(f.notCodec()), "--output", "o", "--learning-rate", "0"),
                        "train: --learning-rate must be > 0, got 0"),
                bad("--source_tempo 3", f -> args("train", "--data_dir", "d", "--codec", s(f.notCodec()), "--output",
                        "o", "--source_tempo", "3"), "train: --source_tempo must be in [1, 2], got 3"),
                bad("evaluate --samples -3 is refused before any loading", f -> args("evaluate", "--model",
                        s(f.emptyDir()), "--codec", s(f.notCodec()), "--data_dir", s(f.emptyDir().resolve("nowhere")),
                        "--report", "r.json", "--samples", "-3"), "evaluate: --samples must be >= 0, got -3"),
                bad("agent --max_reply_seconds 0 is refused before any loading", f -> args("agent", "--codec",
                        s(f.notCodec()), "--s2s", s(f.emptyDir()), "--input", s(f.wav()), "--max_reply_seconds", "0"),
                        "agent: --max_reply_seconds must be > 0, got 0"),
                bad("train with a codec that is not a checkpoint", f -> args("train", "--data_dir", s(f.emptyDir()),
                        "--codec", s(f.notCodec()), "--output", "o"), "not a codec.smvd"),
                bad("train with a missing data folder", f -> args("train", "--data_dir", s(f.emptyDir().resolve("nowhere")),
                        "--codec", s(f.codec()), "--output", "o"), "nowhere"),
                bad("train on a folder with no usable pairs", f -> args("train", "--data_dir", s(f.brokenData()),
                        "--codec", s(f.codec()), "--output", s(f.emptyDir().resolve("run"))), "no usable conversation pairs"),
                bad("evaluate with a file as the model folder", f -> args("evaluate", "--model", s(f.fileNotDir()),
                        "--codec", s(f.codec()), "--data_dir", s(f.emptyDir()), "--report", "r.json"), "not a model folder"),
                bad("evaluate with an empty model folder", f -> args("evaluate", "--model", s(f.emptyDir()),
                        "--codec", s(f.codec()), "--data_dir", s(f.emptyDir()), "--report", "r.json"),
                        "not a model folder: no weights.smvd"),
                bad("codec-roundtrip with --codebooks 0", f -> args("codec-roundtrip", "--codec", s(f.codec()),
                        "--input", s(f.wav()), "--output", s(f.existingOut()), "--codebooks", "0"), "codebooks used must be 1..2"),
                bad("codec-roundtrip with a missing input", f -> args("codec-roundtrip", "--codec", s(f.codec()),
                        "--input", s(f.emptyDir().resolve("gone.wav")), "--output", s(f.existingOut())), "no such file"),
                bad("codec-roundtrip with a 1 Hz WAV", f -> args("codec-roundtrip", "--codec", s(f.codec()),
                        "--input", s(f.wav1Hz()), "--output", s(f.existingOut())), "sample rate 1 Hz is too far"),
                bad("codec-roundtrip with a folder as the codec", f -> args("codec-roundtrip", "--codec", s(f.emptyDir()),
                        "--input", s(f.wav()), "--output", s(f.existingOut())), "is a directory"),
                bad("resample --rate 0", f -> args("resample", "--input", s(f.wav()), "--output", s(f.existingOut()),
                        "--rate", "0"), "--rate must be a positive"),
                bad("resample to 1 Hz", f -> args("resample", "--input", s(f.wav()), "--output", s(f.existingOut()),
                        "--rate", "1"), "too far from the 1 Hz asked for"),
                bad("resample over an existing folder", f -> args("resample", "--input", s(f.wav()), "--output",
                        s(f.emptyDir())), "empty folder"),
                bad("resample /dev/zero (endless, size 0)", f -> args("resample", "--input", "/dev/zero", "--output",
                        s(f.existingOut())), "/dev/zero: is not a regular file"),
                bad("codec-roundtrip from a named pipe (would block on open)", f -> args("codec-roundtrip", "--codec",
                        s(f.codec()), "--input", s(f.fifo()), "--output", s(f.existingOut())), "is not a regular file"),
                bad("resample a folder", f -> args("resample", "--input", s(f.emptyDir()), "--output", s(f.existingOut())),
                        "is a directory"),
                bad("train-codec on a folder without WAVs", f -> args("train-codec", "--audio_dir", s(f.emptyDir()),
                        "--output", s(f.existingOut())), "empty folder"),
                bad("train-codec with --codebooks 0", f -> args("train-codec", "--audio_dir", s(f.emptyDir()),
                        "--output", s(f.existingOut()), "--codebooks", "0"), "--codebooks >= 1"),
                bad("codec-eval with a WAV as the codec", f -> args("codec-eval", "--codec", s(f.wav()), "--audio_dir",
                        s(f.emptyDir()), "--report", "r.json"), "not a Samvaad checkpoint"),
                bad("codec-eval with --max_files -1", f -> args("codec-eval", "--codec", s(f.codec()), "--audio_dir",
                        s(f.emptyDir()), "--report", "r.json", "--max_files", "-1"), "--max_files must be at least 1"),
                bad("generate-data into a file", f -> args("generate-data", "--num_pairs", "2", "--output_dir",
                        s(f.fileNotDir())), "a file.txt"),
                bad("generate-data over an unreadable dataset.json", f -> args("generate-data", "--num_pairs", "2",
                        "--output_dir", s(f.dataWithBadJson())), "dataset.json"),
                bad("generate-data with --workers 0", f -> args("generate-data", "--num_pairs", "2", "--output_dir",
                        s(f.emptyDir().resolve("d")), "--workers", "0"), "--workers must be at least 1"),
                bad("generate-data with a corpus cut short", f -> args("generate-data", "--num_pairs", "2",
                        "--output_dir", s(f.emptyDir().resolve("d")), "--corpus", s(f.corpus())), "corpus.json"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusedWithOneClearLineAndNothingDamaged(String what, Function<Files_, String[]> args, int expectedCode,
            String named) throws Exception {
        Map<String, String> before = snapshot(dir);
        CliCapture cli = new CliCapture();
        StringWriter out = cli.out, err = cli.err;

        int code = cli.run(args.apply(f));

        assertThat(code).as(err.toString()).isEqualTo(expectedCode);
        assertThat(err.toString()).contains(named).doesNotContain("\tat ").doesNotContain("Exception")
                .doesNotContain("Options[");
        if (expectedCode == 1) {
            assertThat(err.toString().strip()).as("one line").doesNotContain("\n");
        }
        assertThat(snapshot(dir)).isEqualTo(before);
    }

    @Test
    void unicodeAndSpacesInPathsWork() throws Exception {
        Path out = dir.resolve("ఫలితం with spaces/out ✓.wav");
        int code = Samvaad.commandLine().execute("resample", "--input", f.wav().toString(), "--output", out.toString(),
                "--rate", "8000");
        assertThat(code).isZero();
        assertThat(dev.samvaad.audio.WavReader.read(out).frames()).isEqualTo(800);
    }

    private static Arguments usage(String what, Function<Files_, String[]> args, String named) {
        return Arguments.of(what, args, 2, named);
    }

    private static Arguments bad(String what, Function<Files_, String[]> args, String named) {
        return Arguments.of(what, args, 1, named);
    }

    private static String[] args(String... a) {
        return a;
    }

    private static String s(Path p) {
        return p.toString();
    }

    private static float[] tone(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (0.3 * Math.sin(i * 0.1));
        }
        return x;
    }

    /** A valid codec checkpoint (2 codebooks of 4 entries over the 22 standard features), written through the public container API. */
    static Checkpoint tinyCodecCheckpoint() throws IOException {
        double[] bands = {0, 150, 300, 450, 600, 800, 1000, 1250, 1500, 1800, 2150, 2500, 2900, 3400, 4000, 4700, 5400,
            6200, 7000, 8000};
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("model", "vocoder-rvq");
        config.put("sampleRate", 16000);
        config.put("hop", 320);
        config.put("bandCentres", bands);
        config.put("minF0", 60.0);
        config.put("maxF0", 450.0);
        config.put("codebooks", 2);
        config.put("codebookSize", 4);
        config.put("featureSize", 22);
        float[] books = new float[2 * 4 * 22];
        for (int i = 0; i < books.length; i++) {
            books[i] = (float) Math.sin(i);
        }
        float[] scale = new float[22];
        java.util.Arrays.fill(scale, 1f);
        Map<String, Tensor> arrays = new LinkedHashMap<>();
        arrays.put("mean", Tensor.zeros(22));
        arrays.put("scale", Tensor.of(scale, 22));
        arrays.put("codebooks", Tensor.wrap(books, 2, 4, 22));
        return new Checkpoint("rvq-codec", 1, new ObjectMapper().writeValueAsString(config), arrays);
    }

    private static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.toList()) {
                out.put(root.relativize(p).toString(), Files.isDirectory(p) ? "dir" : !Files.isRegularFile(p) ? "special"
                        : List.of(Files.readAllBytes(p).length, java.util.Arrays.hashCode(Files.readAllBytes(p))).toString());
            }
        }
        return out;
    }
}
