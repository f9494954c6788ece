package dev.samvaad.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.samvaad.audio.WavWriter;
import dev.samvaad.codec.RvqCodec;
import dev.samvaad.dataset.PairMeta;
import dev.samvaad.dataset.Split;
import dev.samvaad.examples.web.WebFixtures;
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

/** The {@code evaluate} command on the tiny tone codec and a random model saved as a training run folder. */
class EvaluateModelCliTest {
    private static final int RATE = WebFixtures.RATE;

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
        RvqCodec codec = WebFixtures.codec();
        codecFile = shared.resolve("codec.smvd");
        codec.save(codecFile);
        run = shared.resolve("run");
        ModelCheckpoint.save(run.resolve("best"), S2sModel.create(WebFixtures.CONFIG, 3, 1e-3),
                new ModelInfo("conversation", codec.fingerprint(), 4, Map.of()));
        data = shared.resolve("data");
        pair("conv_000001", Split.TRAIN, 300, "greet");
        pair("conv_000002", Split.VAL, 400, "greet");
        pair("conv_000003", Split.VAL, 500, "thank");
        pair("conv_000004", Split.TEST_VOICE, 600, "thank");
    }

    private int run(String... args) {
        return cli.run(args);
    }

    @Test
    void takesARunFolderAsS2sAndEvaluatesOnlyTheSplitAndFilesAskedFor() throws Exception {
        Path report = dir.resolve("r.json");

        assertThat(run("evaluate", "--s2s", run.toString(), "--codec", codecFile.toString(), "--data_dir", data.toString(),
                "--report", report.toString(), "--split", "val", "--max_files", "1", "--samples", "0"))
                .as(err.toString()).isZero();

        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertThat(json.at("/settings/model").asText()).isEqualTo(run.resolve("best").toString());
        assertThat(json.at("/settings/modelStep").asInt()).isEqualTo(4);
        assertThat(json.path("splits")).hasSize(1);
        assertThat(json.at("/splits/0/split").asText()).isEqualTo("val");
        assertThat(json.at("/splits/0/items").asInt()).isEqualTo(1);
        // The first val pair (conv_000002, greet), not the second (thank).
        assertThat(json.at("/splits/0/perIntent").fieldNames()).toIterable().containsExactly("greet");
        assertThat(json.at("/settings/split").toString()).isEqualTo("[\"val\"]");
        assertThat(json.at("/settings/maxFiles").asInt()).isEqualTo(1);
    }

    @Test
    void aRunFolderThatKeepsItsCodecIsEvaluatedWithoutCodecAndTheReportsKeysAreCamelCase() throws Exception {
        Path own = dir.resolve("own run");
        Files.createDirectories(own.resolve("best"));
        try (var files = Files.list(run.resolve("best"))) {
            for (Path f : files.toList()) {
                Files.copy(f, own.resolve("best").resolve(f.getFileName()));
            }
        }
        Files.copy(codecFile, own.resolve("codec.smvd"));
        Path report = dir.resolve("r.json");

        assertThat(run("evaluate", "--model", own.toString(), "--data_dir", data.toString(), "--report",
                report.toString(), "--split", "val", "--samples", "0")).as(err.toString()).isZero();

        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertThat(json.at("/settings/codec").asText()).isEqualTo(own.resolve("codec.smvd").toString());
        for (String section : List.of("settings", "machine", "codec", "generation")) {
            assertThat(json.path(section).fieldNames()).toIterable().as(section).isNotEmpty()
                    .noneMatch(key -> key.contains("_"));
        }
        assertThat(json.at("/splits/0").fieldNames()).toIterable().noneMatch(key -> key.contains("_"));
    }

    @Test
    void aFolderThatIsNotAModelSaysSoInOneLine() {
        assertThat(run("evaluate", "--model", data.toString(), "--codec", codecFile.toString(), "--data_dir",
                data.toString(), "--report", dir.resolve("r.json").toString())).isEqualTo(1);

        assertThat(err.toString().strip()).isEqualTo("evaluate: " + data + ": not a model folder: no weights.smvd (a "
                + "checkpoint folder holds model.json and weights.smvd; a training run folder holds best/ and last/)");
        assertThat(dir.resolve("r.json")).doesNotExist();
    }

    @Test
    void everyOptionIsCheckedBeforeAnythingIsLoaded() {
        // Nothing here could be loaded: a missing codec, model and data folder.
        String[] missing = {"evaluate", "--model", "no-model", "--codec", "no-codec.smvd", "--data_dir", "no-data",
            "--report", dir.resolve("r.json").toString()};
        assertRefused(missing, new String[] {"--samples", "-3"}, "evaluate: --samples must be >= 0, got -3");
        assertRefused(missing, new String[] {"--max_files", "0"}, "evaluate: --max_files must be >= 1, got 0");
        assertRefused(missing, new String[] {"--split", "val,tests"}, "evaluate: --split: unknown split 'tests' (known: "
                + "train, val, test-voice, test-paraphrase, test-slot)");
    }

    private void assertRefused(String[] base, String[] extra, String message) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        List<String> args = new ArrayList<>(List.of(base));
        args.addAll(List.of(extra));
        assertThat(run(args.toArray(String[]::new))).isEqualTo(1);
        assertThat(err.toString().strip()).isEqualTo(message);
    }

    private static void pair(String id, Split split, double hz, String intent) throws Exception {
        Path folder = data.resolve(id);
        WavWriter.writePcm16(folder.resolve("user.wav"), WebFixtures.question(hz, 0.2, 0.6, 0.2, RATE), RATE);
        WavWriter.writePcm16(folder.resolve("assistant.wav"), WebFixtures.tone(hz * 2, 0.4, 0.3, RATE, 3), RATE);
        PairMeta meta = new PairMeta("question " + id, "answer " + intent, intent, "tone", split, Map.of(), Map.of());
        Files.writeString(folder.resolve("meta.json"), new ObjectMapper().writeValueAsString(meta));
    }
}
