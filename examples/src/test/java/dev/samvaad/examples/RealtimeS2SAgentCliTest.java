package dev.samvaad.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.samvaad.audio.WavAudio;
import dev.samvaad.audio.WavReader;
import dev.samvaad.audio.WavWriter;
import dev.samvaad.codec.CodecTrainer;
import dev.samvaad.codec.RvqCodec;
import dev.samvaad.dataset.PairMeta;
import dev.samvaad.dataset.Split;
import dev.samvaad.infer.ModelConfig;
import dev.samvaad.infer.ModelFolder;
import dev.samvaad.infer.WeightNames;
import dev.samvaad.model.ModelCheckpoint;
import dev.samvaad.model.ModelInfo;
import dev.samvaad.model.S2sModel;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.TargetDataLine;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.schedule.FixedSchedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** The {@code agent} command on a tiny codec and a random model saved as a training run folder. */
class RealtimeS2SAgentCliTest {
    private static final int WAV_RATE = 22_050;

    @TempDir
    static Path shared;
    private static Path codecFile;
    private static Path run;
    private static Path data;

    @TempDir
    Path dir;

    private final CliCapture cli = new CliCapture();
    private final StringWriter out = cli.out, err = cli.err;

    @BeforeAll
    static void codecModelAndData() throws Exception {
        List<float[]> signals = new ArrayList<>();
        for (int s = 0; s < 6; s++) {
            signals.add(tone(150 + 120 * s, 0.8, 16_000));
        }
        RvqCodec codec = CodecTrainer.trainOnSignals(signals,
                CodecTrainer.Options.defaults().withCodebooks(2, 16).withIterations(3));
        codecFile = shared.resolve("codec.smvd");
        codec.save(codecFile);

        ModelConfig config = new ModelConfig(2, 16, 32, 4, 1, 1, 64, 128);
        Map<String, float[]> weights = WeightNames.initial(config, 3);
        // No EOS: every answer runs to the reply cap, so each turn has audio to time.
        weights.get("head.b")[config.layout().eos()] -= 50f;
        run = shared.resolve("run");
        ModelCheckpoint.save(run.resolve("best"), S2sModel.fromWeights(config, weights, new FixedSchedule(1e-3)),
                new ModelInfo("conversation", codec.fingerprint(), 0, Map.of()));

        data = shared.resolve("data");
        pair("conv_000001", Split.TRAIN, 300);
        pair("conv_000002", Split.TEST_VOICE, 400);
        pair("conv_000003", Split.TEST_VOICE, 500);
    }

    private int run(String... args) {
        return cli.run(args);
    }

    @Test
    void answersOneFileWritesTheReplyAndReportsItsLatency() throws Exception {
        Path reply = dir.resolve("a.wav");
        Path report = dir.resolve("r.json");

        assertThat(run("agent", "--codec", codecFile.toString(), "--s2s", run.toString(),
                "--input", data.resolve("conv_000002/user.wav").toString(), "--output", reply.toString(),
                "--max-reply-seconds", "0.5", "--report", report.toString())).as(err.toString()).isZero();

        WavAudio answer = WavReader.read(reply);
        assertThat(answer.sampleRate()).isEqualTo(16_000);
        assertThat(answer.durationSeconds()).isCloseTo(0.5, within(1e-9));
        assertThat(out.toString()).contains("user.wav turn 1:", "length capped", "first audio", "p50", "p95");
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertThat(json.at("/turns")).hasSize(1);
        JsonNode turn = json.at("/turns/0");
        assertThat(turn.path("outcome").asText()).isEqualTo("length_capped");
        assertThat(turn.path("replyFrames").asInt()).isEqualTo(25);
        // Measured, whatever the values: no timed asserts.
        assertThat(turn.path("firstAudioMs").asDouble()).isPositive();
        assertThat(turn.path("totalMs").asDouble()).isGreaterThanOrEqualTo(turn.path("firstAudioMs").asDouble());
        assertThat(turn.path("rtf").asDouble()).isPositive();
        assertThat(json.at("/summary/firstAudioP50Ms").asDouble()).isPositive();
        assertThat(json.at("/summary/firstAudioP95Ms").asDouble()).isPositive();
        assertThat(json.at("/machine/cores").asInt()).isPositive();
        assertThat(json.at("/settings/chunkMs").asInt()).isEqualTo(20);
    }

    @Test
    void answersTheUserTurnsOfSomeSplitsOfAConversationFolder() throws Exception {
        Path report = dir.resolve("dir.json");
        Path replies = dir.resolve("replies");

        assertThat(run("agent", "--codec", codecFile.toString(), "--model", run.resolve("best").toString(),
                "--input_dir", data.toString(), "--split", "test-voice", "--output_dir", replies.toString(),
                "--max_reply_seconds", "0.3", "--chunk_ms", "7", "--report", report.toString()))
                .as(err.toString()).isZero();

        assertThat(out.toString()).contains("conv_000002 turn 1:", "conv_000003 turn 1:", "2 turns from 2 files")
                .doesNotContain("conv_000001");
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertThat(json.at("/turns")).hasSize(2);
        assertThat(json.at("/turns/1/input").asText()).isEqualTo("conv_000003");
        assertThat(json.at("/summary/turns").asInt()).isEqualTo(2);
        assertThat(json.at("/summary/totalP95Ms").asDouble()).isGreaterThanOrEqualTo(json.at("/summary/totalP50Ms").asDouble());
        assertThat(replies.resolve("conv_000002-reply.wav")).exists();
    }

    @Test
    void aPlainFolderGivesEveryWavAndEachReplyIsNamedAfterItsQuestion() throws Exception {
        Path folder = dir.resolve("questions");
        WavWriter.writePcm16(folder.resolve("a.wav"), question(350, 48_000), 48_000);
        WavWriter.writePcm16(folder.resolve("more/b.WAV"), question(450, 8_000), 8_000);
        Path replies = dir.resolve("replies");

        assertThat(run("agent", "--codec", codecFile.toString(), "--s2s", run.toString(), "--input-dir", folder.toString(),
                "--output_dir", replies.toString(), "--max-reply-seconds", "0.2", "--warmup", "0"))
                .as(err.toString()).isZero();
        assertThat(out.toString()).contains("a.wav turn 1:", "b.WAV turn 1:", "2 turns from 2 files");
        // a.wav -> a-reply.wav (not a.wav-reply.wav); a file in a subfolder keeps its folder in the name.
        try (var written = Files.list(replies)) {
            assertThat(written.map(p -> p.getFileName().toString()).sorted())
                    .containsExactly("a-reply.wav", "more_b-reply.wav");
        }
    }

    @Test
    void replyFilesAreNamedAfterTheQuestionWithoutItsExtension() {
        assertThat(RealtimeS2SAgent.replyFileName("a.wav")).isEqualTo("a-reply.wav");
        assertThat(RealtimeS2SAgent.replyFileName("conv_000001")).isEqualTo("conv_000001-reply.wav");
        assertThat(RealtimeS2SAgent.replyFileName("more/b.WAV")).isEqualTo("more_b-reply.wav");
        assertThat(RealtimeS2SAgent.replyFileName("my question.wav.wav")).isEqualTo("my_question.wav-reply.wav");
        assertThat(RealtimeS2SAgent.replyFileName("wav")).isEqualTo("wav-reply.wav");
    }

    @Test
    void aFolderWithoutWavsSaysThereIsNothingToAnswer() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("empty"));
        Files.writeString(folder.resolve("notes.txt"), "no audio here");

        // Refused before the model is loaded: these paths are never read.
        assertThat(run("agent", "--codec", "missing.smvd", "--s2s", "missing", "--input-dir", folder.toString()))
                .isEqualTo(1);
        assertThat(err.toString().strip()).isEqualTo("agent: " + folder + ": no .wav files to answer (and no "
                + "conversation pairs, conv_*/user.wav + meta.json)");
    }

    @Test
    void aFileWithoutSpeechIsAOneLineError() throws Exception {
        Path quiet = dir.resolve("quiet.wav");
        WavWriter.writePcm16(quiet, new float[16_000], 16_000);

        assertThat(run("agent", "--codec", codecFile.toString(), "--s2s", run.toString(), "--input", quiet.toString()))
                .isEqualTo(1);
        assertThat(err.toString()).contains("quiet.wav", "no speech found");
    }

    @Test
    void oneUnreadableFileInAFolderIsReportedAndTheOthersAreAnswered() throws Exception {
        Path folder = dir.resolve("questions");
        // The first file (also the warm-up's first choice) is not audio at all.
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("a.wav"), "not audio at all");
        WavWriter.writePcm16(folder.resolve("b.wav"), question(350, 16_000), 16_000);
        WavWriter.writePcm16(folder.resolve("c.wav"), question(450, 8_000), 8_000);
        Path report = dir.resolve("r.json");

        assertThat(run("agent", "--codec", codecFile.toString(), "--s2s", run.toString(), "--input-dir", folder.toString(),
                "--max-reply-seconds", "0.2", "--report", report.toString())).isEqualTo(1);

        assertThat(out.toString()).contains("b.wav turn 1:", "c.wav turn 1:", "2 turns from 3 files (1 failed)",
                "report " + report);
        assertThat(err.toString().strip().lines()).containsExactly(
                "agent: a.wav: failed: " + folder.resolve("a.wav") + ": not a WAV file (starts with 'not ')",
                "agent: 1 of 3 files failed: a.wav");
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertThat(json.at("/turns")).hasSize(2);
        assertThat(json.at("/settings/filesFailed").asInt()).isEqualTo(1);
        assertThat(json.at("/failed")).hasSize(1);
        assertThat(json.at("/failed/0/input").asText()).isEqualTo("a.wav");
        assertThat(json.at("/failed/0/error").asText()).contains("not a WAV file");
    }

    @Test
    void withoutCodecTheCodecThatTravelsWithTheModelIsUsedAndAnotherCodecIsRefusedNamingBoth() throws Exception {
        Path own = dir.resolve("own run");
        copyFolder(run.resolve("best"), own.resolve("best"));
        Files.copy(codecFile, own.resolve(ModelFolder.CODEC_FILE));
        String question = data.resolve("conv_000002/user.wav").toString();

        // A run folder and a checkpoint folder in it: the run's codec.smvd, found without --codec.
        assertThat(run("agent", "--s2s", own.toString(), "--input", question, "--max-reply-seconds", "0.2"))
                .as(err.toString()).isZero();
        assertThat(run("agent", "--model", own.resolve("best").toString(), "--input", question,
                "--max-reply-seconds", "0.2")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("user.wav turn 1:", "1 turn from 1 file");
        // The load line in words: no record's toString().
        assertThat(cli.log()).contains("model " + own.resolve("best") + " at step 0: ", " parameters, width 32, 1 encoder + 1 "
                + "decoder layer, 1 frame per step, 2 x 16 codes per frame, reads code embeddings; codec "
                + own.resolve("codec.smvd")).doesNotContain("ModelConfig[", "ModelInfo[");

        // --codec still wins, and must be the codec the model was trained with.
        List<float[]> others = List.of(tone(200, 0.8, 16_000), tone(900, 0.8, 16_000));
        RvqCodec other = CodecTrainer.trainOnSignals(others, CodecTrainer.Options.defaults().withCodebooks(2, 16)
                .withIterations(2));
        Path otherFile = dir.resolve("other.smvd");
        other.save(otherFile);
        err.getBuffer().setLength(0);
        assertThat(run("agent", "--codec", otherFile.toString(), "--s2s", own.toString(), "--input", question)).isEqualTo(1);
        assertThat(err.toString().strip()).isEqualTo("agent: " + own.resolve("best") + ": the model was trained on codes "
                + "of codec " + RvqCodec.load(codecFile).fingerprint() + ", but " + otherFile + " holds codec "
                + other.fingerprint() + "; use the codec it was trained with (the run's own is "
                + own.resolve("codec.smvd") + ")");

        // A run trained before the codec travelled with the model: --codec is needed, and says so.
        err.getBuffer().setLength(0);
        assertThat(run("agent", "--s2s", run.toString(), "--input", question)).isEqualTo(1);
        assertThat(err.toString().strip()).isEqualTo("agent: " + run + ": no codec.smvd in the model folder or its run "
                + "folder (a run trained before the codec travelled with the model?); give --codec");
    }

    private static void copyFolder(Path from, Path to) throws java.io.IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }

    @Test
    void rangeErrorsNameTheFlagAsTypedBeforeAnythingIsLoaded() {
        // Nothing here exists: the flags are checked first.
        String[] base = {"agent", "--codec", "missing.smvd", "--s2s", "missing", "--input", "q.wav"};
        assertRefused(base, "agent: --max_reply_seconds must be > 0, got 0", "--max_reply_seconds", "0");
        assertRefused(base, "agent: --max-reply-seconds must be > 0, got -1.5", "--max-reply-seconds", "-1.5");
        assertRefused(base, "agent: --hangover-ms must be >= 20, got 5", "--hangover-ms", "5");
        assertRefused(base, "agent: --top_k must be >= 0, got -2", "--top_k", "-2");
        assertRefused(base, "agent: --chunk-ms must be >= 1, got 0", "--chunk-ms", "0");
        assertRefused(new String[] {"agent", "--codec", "missing.smvd", "--s2s", "missing", "--input-dir", "d"},
                "agent: --max_files must be >= 1, got 0", "--max_files", "0");
    }

    private void assertRefused(String[] base, String message, String... extra) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        List<String> args = new ArrayList<>(List.of(base));
        args.addAll(List.of(extra));
        assertThat(run(args.toArray(String[]::new))).isEqualTo(1);
        assertThat(err.toString().strip()).isEqualTo(message);
    }

    @Test
    void exactlyOneModeIsNeeded() {
        // An exclusive group: picocli refuses it as a usage error (exit 2, usage after it), before the command runs.
        assertThat(run("agent", "--codec", codecFile.toString(), "--s2s", run.toString())).isEqualTo(2);
        assertThat(err.toString().lines().findFirst()).hasValue(
                "Error: Missing required argument (specify one of these): (--mic | --input=FILE | --input-dir=DIR)");
        err.getBuffer().setLength(0);
        assertThat(run("agent", "--codec", codecFile.toString(), "--s2s", run.toString(), "--mic",
                "--input", "q.wav")).isEqualTo(2);
        assertThat(err.toString().lines().findFirst()).hasValue(
                "Error: --mic, --input=FILE are mutually exclusive (specify only one)");
        err.getBuffer().setLength(0);
        assertThat(run("agent", "--codec", codecFile.toString(), "--s2s", run.toString(), "--input", "q.wav",
                "--input_dir", "d")).isEqualTo(2);
        assertThat(err.toString().lines().findFirst()).hasValue(
                "Error: --input=FILE, --input-dir=DIR are mutually exclusive (specify only one)");
        assertThat(err.toString()).contains("Usage: samvaad agent");
    }

    @Test
    void microphoneModeWithoutAnAudioDeviceSaysSoAndFails() {
        assumeFalse(AudioSystem.isLineSupported(new DataLine.Info(TargetDataLine.class,
                new AudioFormat(16_000, 16, 1, true, false))), "this machine has a microphone");

        // The device is checked before the model is loaded, so these paths are never read.
        assertThat(run("agent", "--mic", "--codec", "missing.smvd", "--s2s", "missing")).isEqualTo(1);
        assertThat(err.toString().strip()).contains("agent: no microphone found", "--input q.wav --output a.wav")
                .doesNotContain("\n").doesNotContain("Exception");
    }

    private static void pair(String id, Split split, double hz) throws Exception {
        Path folder = data.resolve(id);
        WavWriter.writePcm16(folder.resolve("user.wav"), question(hz, WAV_RATE), WAV_RATE);
        WavWriter.writePcm16(folder.resolve("assistant.wav"), tone(hz * 2, 0.5, WAV_RATE), WAV_RATE);
        PairMeta meta = new PairMeta("q?", "a.", "test", "tone", split, Map.of(), Map.of());
        Files.writeString(folder.resolve("meta.json"), new ObjectMapper().writeValueAsString(meta));
    }

    /** 0.2 s of silence, 0.6 s of tone, 0.5 s of silence. */
    private static float[] question(double hz, int rate) {
        float[] t = tone(hz, 0.6, rate);
        float[] pcm = new float[(int) (1.3 * rate)];
        System.arraycopy(t, 0, pcm, (int) (0.2 * rate), t.length);
        return pcm;
    }

    /** A tone at {@code hz} with a 3 Hz tremolo, amplitude about 0.3 (also {@link RuntimeOnlyCommandsTest}'s). */
    static float[] tone(double hz, double seconds, int rate) {
        float[] pcm = new float[(int) (seconds * rate)];
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (float) (0.3 * Math.sin(2 * Math.PI * hz * i / rate) * (1 + 0.2 * Math.sin(2 * Math.PI * 3 * i / rate)));
        }
        return pcm;
    }
}
