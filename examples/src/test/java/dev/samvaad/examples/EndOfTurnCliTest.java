package dev.samvaad.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.samvaad.codec.CodecTrainer;
import dev.samvaad.codec.RvqCodec;
import dev.samvaad.dataset.ConversationCorpus;
import dev.samvaad.dataset.ConversationPair;
import dev.samvaad.dataset.synth.ConversationGenerator;
import dev.samvaad.dataset.synth.CorpusResponseSource;
import dev.samvaad.dataset.synth.DialogueCorpus;
import dev.samvaad.dataset.synth.EspeakSynthesizer;
import dev.samvaad.dataset.synth.Pauses;
import dev.samvaad.dataset.synth.VoiceBank;
import dev.samvaad.infer.ModelConfig;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.schedule.FixedSchedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code train-turns}, {@code evaluate-turns}, {@code generate-data --pauses} and the agent's
 * end-of-turn flags, on questions espeak-ng speaks with pauses, a small codec trained on them and a
 * random model.
 */
class EndOfTurnCliTest {
    @TempDir
    static Path shared;
    private static Path codecDir;
    private static Path codecFile;
    private static Path run;
    private static Path data;

    @TempDir
    Path dir;

    private final CliCapture cli = new CliCapture();
    private final StringWriter out = cli.out, err = cli.err;

    @BeforeAll
    static void codecModelAndData() throws Exception {
        assumeTrue(new ProcessBuilder("sh", "-c", "command -v espeak-ng").start().waitFor() == 0,
                "espeak-ng not installed (apt-get install espeak-ng); .ci/run installs it");
        data = shared.resolve("turns");
        DialogueCorpus corpus = DialogueCorpus.builtIn("te").onlyIntents(List.of("food_tea", "dir_temple", "help_can_you"));
        new ConversationGenerator(new ConversationGenerator.Settings(data, 40, 3, 2, corpus, new CorpusResponseSource(corpus),
                new EspeakSynthesizer(), VoiceBank.espeak("te", 3), Pauses.of(1.0))).run(null);
        List<Path> wavs = ConversationCorpus.open(data).pairs().stream().limit(8).map(ConversationPair::userWav).toList();
        RvqCodec codec = CodecTrainer.trainOnFiles(wavs, CodecTrainer.Options.defaults().withCodebooks(2, 16)
                .withIterations(3).withSeed(1));
        codecDir = shared.resolve("codec dir");
        codecFile = codecDir.resolve("codec.smvd");
        codec.save(codecFile);
        ModelConfig config = new ModelConfig(2, 16, 32, 4, 1, 1, 64, 400);
        Map<String, float[]> weights = WeightNames.initial(config, 3);
        weights.get("head.b")[config.layout().eos()] -= 50f;
        run = shared.resolve("run");
        ModelCheckpoint.save(run.resolve("best"), S2sModel.fromWeights(config, weights, new FixedSchedule(1e-3)),
                new ModelInfo("conversation", codec.fingerprint(), 0, Map.of()));
    }

    /** {@code train-turns} for a copy of the codec in this test's folder; the predictor lands beside it. */
    private Path trainPredictor(int epochs, int hidden) throws Exception {
        Path codec = dir.resolve("codec.smvd");
        Files.copy(codecFile, codec);
        assertThat(run("train-turns", "--data_dir", data.toString(), "--codec", codec.toString(), "--epochs",
                Integer.toString(epochs), "--hidden", Integer.toString(hidden))).as(err.toString()).isZero();
        return codec;
    }

    private int run(String... args) {
        return cli.run(args);
    }

    @Test
    void trainTurnsSavesThePredictorBesideTheCodecWhereTheAgentFindsIt() throws Exception {
        Path codec = trainPredictor(10, 8);
        Path predictor = dir.resolve("end-of-turn.smvd");
        assertThat(predictor).isRegularFile();
        assertThat(out.toString()).contains("calibration", "<- chosen", "saved " + predictor);
        // Not replaced without --overwrite.
        assertThat(run("train-turns", "--data_dir", data.toString(), "--codec", codec.toString())).isEqualTo(1);
        assertThat(err.toString()).contains(predictor + " exists", "--overwrite");

        // The agent finds it (auto), ends turns with it, and says so in the report.
        Path report = dir.resolve("agent.json");
        assertThat(run("agent", "--codec", codec.toString(), "--s2s", run.toString(), "--input-dir", data.toString(),
                "--split", "test-voice", "--max-reply-seconds", "0.2", "--report", report.toString()))
                .as(err.toString()).isZero();
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertThat(json.at("/settings/endOfTurnModel").asText()).isEqualTo(predictor.toString());
        int withAudio = 0;
        for (JsonNode t : json.get("turns")) {
            assertThat(t.get("endOfTurn").asText()).isIn("predicted", "hangover", "input_end");
            if (t.get("firstAudioMs").isNumber()) {
                withAudio++;
                assertThat(t.get("perceivedLatencyMs").asDouble())
                        .isEqualTo(t.get("hangoverMs").asDouble() + t.get("firstAudioMs").asDouble());
            } else {
                assertThat(t.get("perceivedLatencyMs").isNull()).isTrue();
            }
        }
        assertThat(withAudio).isPositive();
        assertThat(out.toString()).contains("turn ended", "ms perceived");

        // --end_of_turn hangover: the fixed hangover, whatever lies beside the codec.
        assertThat(run("agent", "--codec", codec.toString(), "--s2s", run.toString(), "--input-dir", data.toString(),
                "--split", "test-voice", "--max-reply-seconds", "0.2", "--end_of_turn", "hangover", "--report",
                report.toString())).isZero();
        json = new ObjectMapper().readTree(report.toFile());
        assertThat(json.at("/settings/endOfTurnModel").isNull()).isTrue();
        for (JsonNode t : json.get("turns")) {
            assertThat(t.get("endOfTurn").asText()).isIn("hangover", "input_end");
        }
    }

    @Test
    void withoutAPredictorAutoFallsBackToTheHangoverAndPredictorModeRefuses() {
        assertThat(run("agent", "--codec", codecFile.toString(), "--s2s", run.toString(), "--input",
                data.resolve("conv_000001/user.wav").toString(), "--max-reply-seconds", "0.2")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("turn ended by the hangover after 300 ms of silence");
        assertThat(run("agent", "--codec", codecFile.toString(), "--s2s", run.toString(), "--input",
                data.resolve("conv_000001/user.wav").toString(), "--end_of_turn", "predictor")).isEqualTo(1);
        assertThat(err.toString()).contains("--end_of_turn predictor: no end-of-turn predictor at",
                codecDir.resolve("end-of-turn.smvd").toString());
    }

    @Test
    void aDamagedPredictorIsRefusedNamingTheFile() throws Exception {
        Path codec = trainPredictor(2, 4);
        Path predictor = dir.resolve("end-of-turn.smvd");
        byte[] bytes = Files.readAllBytes(predictor);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(predictor, bytes);
        for (String command : List.of("agent", "web")) {
            List<String> args = new ArrayList<>(List.of(command, "--codec", codec.toString(), "--s2s", run.toString()));
            if (command.equals("agent")) {
                args.addAll(List.of("--input", data.resolve("conv_000001/user.wav").toString()));
            } else {
                args.addAll(List.of("--port", "0", "--seconds", "0.1"));
            }
            int before = err.toString().length();
            assertThat(run(args.toArray(String[]::new))).isEqualTo(1);
            assertThat(err.toString().substring(before).strip()).startsWith(command + ": " + predictor)
                    .contains("checksum").doesNotContain("\tat ");
        }
    }

    @Test
    void evaluateTurnsPutsThePredictorAndTheFixedHangoverSideBySide() throws Exception {
        Path codec = trainPredictor(10, 8);
        Path report = dir.resolve("turns.json");
        assertThat(run("evaluate-turns", "--codec", codec.toString(), "--s2s", run.toString(), "--data_dir",
                data.toString(), "--split", "test-voice,test-paraphrase,test-slot", "--max-reply-seconds", "0.2",
                "--warmup", "0", "--report", report.toString())).as(err.toString()).isZero();
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertThat(json.get("summary").fieldNames()).toIterable().containsExactly("predictor", "fixed 300 ms hangover");
        int turns = json.at("/settings/questions").asInt();
        // Every held-out pair of those splits (these intents have no slots: no test-slot pairs).
        assertThat(turns).isEqualTo(ConversationCorpus.open(data).pairs().stream()
                .filter(p -> p.split() != dev.samvaad.dataset.Split.TRAIN && p.split() != dev.samvaad.dataset.Split.VAL)
                .count()).isPositive();
        assertThat(json.at("/summary/predictor/turns").asInt()).isEqualTo(turns);
        assertThat(json.at("/summary/predictor/latencyP50Ms").isNumber()).isTrue();
        assertThat(json.at("/summary/fixed 300 ms hangover/cutInsPausesUpTo500ms/turns").asInt()).isLessThanOrEqualTo(turns);
        assertThat(json.get("turns")).hasSize(turns);
        assertThat(json.at("/turns/0/predictor/latencyMs").isNumber() || json.at("/turns/0/predictor/cutIn").asBoolean())
                .isTrue();
        Path table = dir.resolve("turns.md");
        assertThat(Files.readString(table)).contains("| predictor |", "| fixed 300 ms hangover |", "latency p50 ms");
        assertThat(out.toString()).contains("| predictor |", "report " + report);
        // An existing report is kept; comparing the hangover with itself is refused.
        assertThat(run("evaluate-turns", "--codec", codec.toString(), "--s2s", run.toString(), "--data_dir",
                data.toString(), "--report", report.toString())).isEqualTo(1);
        assertThat(err.toString()).contains(report + " exists");
        assertThat(run("evaluate-turns", "--codec", codec.toString(), "--s2s", run.toString(), "--data_dir",
                data.toString(), "--report", dir.resolve("x.json").toString(), "--end_of_turn", "hangover")).isEqualTo(1);
        assertThat(err.toString()).contains("leave out --end_of_turn hangover");
    }

    @Test
    void endOfTurnFlagsOutOfRangeAreRefusedByTheNameTyped() {
        assertThat(run("train-turns", "--data_dir", data.toString(), "--codec", codecFile.toString(), "--hidden", "-1"))
                .isEqualTo(1);
        assertThat(err.toString()).contains("train-turns: --hidden must be in [0, 256], got -1");
        assertThat(run("agent", "--codec", codecFile.toString(), "--s2s", run.toString(), "--input", "q.wav",
                "--turn-threshold", "1.5")).isEqualTo(1);
        assertThat(err.toString()).contains("agent: --turn-threshold must be in (0, 1), got 1.5");
        assertThat(run("agent", "--codec", codecFile.toString(), "--s2s", run.toString(), "--input", "q.wav",
                "--max-silence-ms", "10")).isEqualTo(1);
        assertThat(err.toString()).contains("agent: --max-silence-ms must be >= 20, got 10");
        assertThat(run("generate-data", "--output_dir", dir.toString(), "--pauses", "1.5")).isEqualTo(1);
        assertThat(err.toString()).contains("--pauses must be 0..1");
        assertThat(run("generate-data", "--output_dir", dir.toString(), "--pause_ms", "150,700")).isEqualTo(1);
        assertThat(err.toString()).contains("--pause_ms goes with --pauses");
        assertThat(run("generate-data", "--output_dir", dir.toString(), "--pauses", "0.5", "--pause_ms", "700,150"))
                .isEqualTo(1);
        assertThat(err.toString()).contains("--pause_ms must be MIN,MAX within 20..5000 ms, MIN first, got 700,150");
    }
}
