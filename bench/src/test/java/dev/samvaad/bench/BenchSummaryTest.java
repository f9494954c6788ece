package dev.samvaad.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.samvaad.infer.ModelConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class BenchSummaryTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One JMH result as JMH writes it (the fields the summary reads). */
    private static String result(String benchmark, String params, double score, String unit) {
        return "{\"benchmark\":\"dev.samvaad.bench." + benchmark + "\",\"mode\":\"avgt\",\"forks\":2,"
                + "\"warmupIterations\":3,\"warmupTime\":\"2 s\",\"measurementIterations\":5,\"measurementTime\":\"2 s\","
                + "\"params\":{" + params + "},\"primaryMetric\":{\"score\":" + score + ",\"scoreError\":1.5,"
                + "\"scoreUnit\":\"" + unit + "\"}}";
    }

    private static JsonNode jmh() throws Exception {
        return JSON.readTree("[" + String.join(",",
                result("DecoderStepBench.pureJavaCachedStep", "\"prefix\":\"100\"", 300, "us/op"),
                result("DecoderStepBench.sameDiffFullRecompute", "\"prefix\":\"100\"", 30, "ms/op"),
                result("MemoryBench.copy", "\"mib\":\"512\"", 100_000, "us/op"),
                result("MemoryBench.copy", "\"mib\":\"8\"", 500, "us/op"),
                result("TensorBench.matvec", "\"kernels\":\"vector\",\"matvec\":\"6162x128\"", 100, "us/op"),
                result("CodecBench.decodeFrame", "", 40, "us/op"),
                result("TrainStepBench.trainStep", "\"size\":\"default\",\"threads\":\"1\"", 3.5, "s/op")
                        .replace("\"scoreUnit\"", "\"scorePercentiles\":{\"50.0\":1.2,\"100.0\":1.5},\"scoreUnit\""),
                result("TrainStepBench.trainStep", "\"size\":\"tiny\",\"threads\":\"1\"", 0.3, "s/op")
                        .replace("\"scoreUnit\"", "\"scorePercentiles\":{\"50.0\":0.25,\"100.0\":0.5},\"scoreUnit\""),
                result("FirstAudioBench.endOfTurnToFirstPcm", "\"endOfTurn\":\"vad\"", 40, "ms/op")
                        .replace("\"scoreUnit\"", "\"scorePercentiles\":{\"50.0\":38.0,\"95.0\":120.5},\"scoreUnit\"")) + "]");
    }

    /** A side-by-side.json as CodecSideBySide writes it. */
    private static JsonNode sideBySide() throws Exception {
        return JSON.readTree("{\"audioSeconds\":60,\"speech\":\"test speech\",\"decoders\":["
                + "{\"name\":\"samvaad 3.0 kbps (q=6)\",\"output\":\"16 kHz\",\"cpuSeconds\":0.3,\"xRealtime\":200},"
                + "{\"name\":\"codec2 3200\",\"output\":\"8 kHz\",\"cpuSeconds\":0.06,\"xRealtime\":1000,"
                + "\"xRealtimeWithoutStartup\":1100}],"
                + "\"ratiosSamvaadOverTool\":{\"codec2 3200\":{\"withToolStartup\":0.2,\"withoutToolStartup\":0.18}}}");
    }

    /** The same, as earlier builds wrote it (snake_case keys). */
    private static JsonNode sideBySideOfAnEarlierBuild() throws Exception {
        return JSON.readTree("{\"audio_seconds\":60,\"speech\":\"test speech\",\"decoders\":["
                + "{\"name\":\"samvaad 3.0 kbps (q=6)\",\"output\":\"16 kHz\",\"cpu_seconds\":0.3,\"x_realtime\":200},"
                + "{\"name\":\"codec2 3200\",\"output\":\"8 kHz\",\"cpu_seconds\":0.06,\"x_realtime\":1000,"
                + "\"x_realtime_without_startup\":1100}],"
                + "\"ratios_samvaad_over_tool\":{\"codec2 3200\":{\"with_tool_startup\":0.2,\"without_tool_startup\":0.18}}}");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> only(Object rows) {
        List<Map<String, Object>> list = (List<Map<String, Object>>) rows;
        assertThat(list).hasSize(1);
        return list.get(0);
    }

    /** The results of this build's DecoderStepBench and FirstAudioBench (with their model parameter) and the memory copies. */
    private static JsonNode jmhOfTheGroupedModel() throws Exception {
        return JSON.readTree("[" + String.join(",",
                result("DecoderStepBench.pureJavaCachedStep", "\"model\":\"tiny\",\"prefix\":\"25\"", 80, "us/op"),
                result("DecoderStepBench.sameDiffFullRecompute", "\"model\":\"tiny\",\"prefix\":\"25\"", 16, "ms/op"),
                result("DecoderStepBench.pureJavaCachedStep", "\"model\":\"tiny\",\"prefix\":\"6\"", 75, "us/op"),
                result("DecoderStepBench.pureJavaCachedStep", "\"model\":\"previous\",\"prefix\":\"25\"", 400, "us/op"),
                result("DecoderStepBench.pureJavaTextStep", "\"model\":\"tiny\"", 40, "us/op"),
                result("DecoderStepBench.sameDiffTextRecompute", "\"model\":\"tiny\"", 8, "ms/op"),
                result("MemoryBench.copy", "\"mib\":\"512\"", 100_000, "us/op"),
                result("MemoryBench.copy", "\"mib\":\"8\"", 500, "us/op"),
                firstAudio("tiny", "vad", 30, 28.0, 50.0),
                firstAudio("tiny-empty", "vad", 20, 21.0, 40.0),
                firstAudio("previous", "vad", 25, 24.0, 45.0),
                firstAudio("tiny", "finish", 30, 20.0, 50.0),
                firstAudio("tiny-empty", "finish", 20, 21.0, 40.0)) + "]");
    }

    private static String firstAudio(String model, String endOfTurn, double mean, double p50, double p95) {
        return result("FirstAudioBench.endOfTurnToFirstPcm", "\"endOfTurn\":\"" + endOfTurn + "\",\"model\":\"" + model + "\"",
                mean, "ms/op").replace("\"scoreUnit\"", "\"scorePercentiles\":{\"50.0\":" + p50 + ",\"95.0\":" + p95
                + "},\"scoreUnit\"");
    }

    @Test
    @SuppressWarnings("unchecked")
    void readsTheGroupedModelsStepsPerFrameWithItsRoofline() throws Exception {
        BenchSummary s = BenchSummary.summarise(jmhOfTheGroupedModel(), null);
        List<Map<String, Object>> rows = (List<Map<String, Object>>) s.json().get("decoderStep");
        assertThat(rows).extracting(r -> r.get("model") + "@" + r.get("prefix"))
                .containsExactly("tiny@6", "tiny@25", "previous@25");
        Map<String, Object> tiny = rows.get(1);
        assertThat(tiny).containsEntry("frames", 100).containsEntry("framesPerStep", 4);
        assertThat((double) tiny.get("secondsPerFrame")).isCloseTo(20e-6, within(1e-12));
        assertThat((double) tiny.get("speedup")).isCloseTo(200.0, within(1e-9));
        DecoderRoofline roof = DecoderRoofline.step(ModelFixtures.TINY, 150, 41, 25);
        assertThat(tiny).containsEntry("bytesRead", roof.total());
        assertThat((double) tiny.get("bytesPerFrame")).isCloseTo(roof.total() / 4.0, within(1e-9));
        double bandwidth = 2.0 * 512 * (1 << 20) / 0.1;
        assertThat((double) tiny.get("rooflineFractionLargeCopy")).isCloseTo(roof.total() / bandwidth / 80e-6, within(1e-9));
        // The previous model's step at prefix 25 is one frame, over its own bytes.
        assertThat(rows.get(2)).containsEntry("frames", 25).containsEntry("bytesRead",
                DecoderRoofline.of(ModelFixtures.PREVIOUS_DEFAULT, 150, 25).total());
        assertThat(s.markdown()).contains("| tiny | 25 | 100 | 80.0 ± 1.50 us | 20.0 us | 16.0 ± 1.50 ms | 200x | 1.32 MB |")
                .contains("- tiny: " + ModelFixtures.TINY.describe())
                .contains("| pure-Java step >= 10x faster than SameDiff recompute, tiny, step 25 (100 frames) | 200x | yes |");

        Map<String, Object> text = only(s.json().get("decoderTextRow"));
        assertThat(text).containsEntry("model", "tiny").containsEntry("textRow", 41);
        assertThat((double) text.get("speedup")).isCloseTo(200.0, within(1e-9));
        assertThat(text).containsEntry("bytesRead", DecoderRoofline.textRow(ModelFixtures.TINY, 150, 41).total());
        assertThat(s.markdown()).contains("| tiny | 41 | 40.0 ± 1.50 us | 8.00 ± 1.50 ms | 200x |");
    }

    @Test
    void givesTheMonologuesShareOfFirstAudio() throws Exception {
        BenchSummary s = BenchSummary.summarise(jmhOfTheGroupedModel(), null);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> shares = (List<Map<String, Object>>) s.json().get("firstAudioMonologue");
        assertThat(shares).hasSize(2);
        assertThat((double) shares.get(0).get("monologueShare")).isCloseTo((28.0 - 21.0) / 28.0, within(1e-9));
        // A noisy run can have the model without its monologue slower: said so, not a negative share.
        assertThat(s.markdown()).contains("| finish | 20.0 ms | 21.0 ms | -1.00 ms | within noise |");
        assertThat(s.markdown()).contains("| tiny | vad | 30.0 ± 1.50 ms | 28.0 ms | 50.0 ms |")
                .contains("| vad | 28.0 ms | 21.0 ms | 7.00 ms | 25% |")
                .contains("| first audio <= 100 ms (tiny, end of turn by vad, 95th percentile) | p95 50.0 ms, p50 28.0 ms, "
                        + "mean 30.0 ms | yes |")
                .contains("(previous, end of turn by vad")
                .doesNotContain("(tiny-empty, end of turn");
    }

    @Test
    void derivesSpeedUpAndRooflineShareOfTheDecoderStep() throws Exception {
        // jmh() is a run of an earlier build: no model parameter, so the previous model.
        BenchSummary s = BenchSummary.summarise(jmh(), null);
        Map<String, Object> row = only(s.json().get("decoderStep"));
        assertThat(row).containsEntry("model", "previous").containsEntry("framesPerStep", 1);
        assertThat((double) row.get("speedup")).isCloseTo(100.0, within(1e-9));
        // 512 MiB copied in 100 ms moves 2 x 512 MiB: 10.7 GB/s.
        double bandwidth = 2.0 * 512 * (1 << 20) / 0.1;
        long bytes = DecoderRoofline.of(ModelConfig.small(6, 1024), 150, 100).total();
        assertThat((double) row.get("rooflineFractionLargeCopy")).isCloseTo(bytes / bandwidth / 300e-6, within(1e-9));
        assertThat((double) row.get("rooflineFractionCopy8Mib"))
                .isCloseTo(bytes / (2.0 * 8 * (1 << 20) / 500e-6) / 300e-6, within(1e-9));
        assertThat(s.markdown()).contains("| previous | 100 | 100 | 300 ± 1.50 us | 300 us | 30.0 ± 1.50 ms | 100x | 5.55 MB |");
    }

    @Test
    void reportsGigabytesPerSecondOfTheLinearLayer() throws Exception {
        BenchSummary s = BenchSummary.summarise(jmh(), null);
        assertThat(s.markdown()).contains("| 6162x128 | vector | 100 ± 1.50 us | 31.5 |")   // 4*6162*128 B / 100 us
                .doesNotContain("mat-mul")
                .contains("| decode one 20 ms frame (running stream) | 40.0 ± 1.50 us | 500 |");
    }

    @Test
    void comparesTheTrainingStepWithPyTorchInTheSameRun() throws Exception {
        JsonNode torch = JSON.readTree("{\"torch\":\"1.13.1\",\"results\":["
                + "{\"size\":\"default\",\"threads\":1,\"medianSeconds\":1.08},"
                + "{\"size\":\"tiny\",\"threads\":1,\"medianSeconds\":0.15}]}");
        BenchSummary s = BenchSummary.summarise(jmh(), null, torch);
        // train_step.py of an earlier build wrote "median_s".
        JsonNode earlier = JSON.readTree(torch.toString().replace("medianSeconds", "median_s"));
        assertThat(BenchSummary.summarise(jmh(), null, earlier).markdown()).isEqualTo(s.markdown());
        assertThat(s.markdown()).contains("| default | 1 | 1200 ms | 1.25 | 1080 ms | 0.900 |")
                .contains("| tiny | 1 | 250 ms | 2.00 | 150 ms | 0.600 |")
                .contains("| SameDiff step, default size, 1 thread(s): median <= 1.5 s | 1200 ms | yes |")
                .contains("| PyTorch / SameDiff step time >= 0.8 (tiny, 1 thread(s)) | 0.600 | **no** |");
        assertThat(BenchSummary.summarise(jmh(), null).markdown()).contains("PyTorch: not run")
                .contains("| PyTorch / SameDiff step time >= 0.8 (default, 1 thread(s)) | not measured | not measured |");
    }

    @Test
    void marksTargetsMetMissedAndNotMeasured() throws Exception {
        BenchSummary s = BenchSummary.summarise(jmh(), sideBySide());
        assertThat(s.markdown())
                .contains("| pure-Java step >= 10x faster than SameDiff recompute, previous, prefix 100 | 100x | yes |")
                .contains("| codec decode throughput >= 1x codec2 3200 | 0.20 with its start-up, 0.18 without | **no** |")
                .contains("| previous | vad | 40.0 ± 1.50 ms | 38.0 ms | 121 ms |")
                .contains("| first audio <= 100 ms (previous, end of turn by vad, 95th percentile) | p95 121 ms, p50 38.0 ms, "
                        + "mean 40.0 ms | **no** |")
                .contains("| codec2 3200 | 8 kHz | 0.060 | 1000 | 1100 | 0.20 (0.18 without its start-up) |");
        assertThat(BenchSummary.summarise(jmh(), sideBySideOfAnEarlierBuild()).markdown()).isEqualTo(s.markdown());
        assertThat(s.json().keySet()).contains("jmhSettings", "decoderStep", "sideBySide", "firstAudio", "trainStep")
                .noneMatch(key -> key.contains("_"));
    }

    @Test
    void aPartialRunGivesAPartialSummary() throws Exception {
        BenchSummary s = BenchSummary.summarise(null, sideBySide());
        assertThat(s.json()).doesNotContainKey("decoderStep").containsKey("sideBySide");
        assertThat(s.markdown()).doesNotContain("Decoder step").contains("side by side")
                .contains("| first audio <= 100 ms (end of turn -> first PCM through the agent) "
                        + "| not measured in this run (FirstAudioBench) | not measured |");
    }

    @Test
    void convertsJmhUnitsToSeconds() {
        assertThat(BenchSummary.secondsPer("ms/op")).isEqualTo(1e-3);
        assertThat(BenchSummary.secondsPer("us/op")).isEqualTo(1e-6);
        assertThatThrownBy(() -> BenchSummary.secondsPer("ops/s")).hasMessageContaining("ops/s");
    }

    @Test
    void mainWritesMarkdownAndJsonNextToTheResults(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("jmh.json"), jmh().toString());
        BenchSummary.main(new String[] {dir.toString()});
        assertThat(Files.readString(dir.resolve("summary.md"))).startsWith("# Benchmark summary");
        assertThat(JSON.readTree(dir.resolve("summary.json").toFile()).path("decoderStep").size()).isEqualTo(1);
    }
}
