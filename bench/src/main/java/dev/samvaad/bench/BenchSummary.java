package dev.samvaad.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.samvaad.infer.ModelConfig;
import dev.samvaad.io.JsonKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The short report of a {@code bench/run}: reads the JMH results ({@code jmh.json}), the codec
 * side by side ({@code side-by-side.json}) and the PyTorch training step ({@code pytorch.json}) of
 * one results folder, whichever exist, and writes
 * {@code summary.md} and {@code summary.json} there with the derived figures: decoder-step ratio
 * against SameDiff, the step's share of the memory roofline, GB/s and GFLOP/s of the tensor ops,
 * codec speed as multiples of real time, the decode-throughput ratios against the native codecs,
 * the training step's time against PyTorch's, and each target met or missed.
 *
 * <pre>java -cp ... dev.samvaad.bench.BenchSummary bench/results/20261125T120000Z</pre>
 */
public final class BenchSummary {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String PKG = "dev.samvaad.bench.";
    static final double STEP_SPEEDUP_TARGET = 10;
    static final double ROOFLINE_TARGET = 0.5;
    static final double CODEC_RATIO_TARGET = 1;
    /** The decoder step the step targets are judged at: the one that holds this answer frame (step 25 of a G = 4 model). */
    static final int TARGET_PREFIX = 100;
    static final double FIRST_AUDIO_TARGET_SECONDS = 0.100;
    /** The out-of-cache copy of {@link MemoryBench} the roofline uses. */
    static final int LARGE_COPY_MIB = 512;

    /** The figures of one JMH benchmark run (one parameter combination). */
    record Result(String benchmark, Map<String, String> params, double seconds, double errorSeconds,
            String settings, Map<String, Double> percentileSeconds) {
        String param(String name) {
            return params.get(name);
        }
    }

    private final List<Result> results;
    private final JsonNode sideBySide;
    private JsonNode pytorch;
    private final Map<String, Object> json = new LinkedHashMap<>();
    private final StringBuilder md = new StringBuilder();

    private BenchSummary(List<Result> results, JsonNode sideBySide) {
        this.results = results;
        this.sideBySide = sideBySide;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: BenchSummary RESULTS_DIR (holding jmh.json, side-by-side.json and/or pytorch.json)");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        Path jmh = dir.resolve("jmh.json"), side = dir.resolve("side-by-side.json");
        JsonNode jmhNode = Files.exists(jmh) && Files.size(jmh) > 0 ? JSON.readTree(jmh.toFile()) : null;
        JsonNode sideNode = Files.exists(side) ? JSON.readTree(side.toFile()) : null;
        Path torch = dir.resolve("pytorch.json");
        BenchSummary s = summarise(jmhNode, sideNode, Files.exists(torch) ? JSON.readTree(torch.toFile()) : null);
        Files.writeString(dir.resolve("summary.md"), s.markdown());
        JSON.writeValue(dir.resolve("summary.json").toFile(), s.json());
        System.out.print(s.markdown());
    }

    /** Derives the report from a JMH JSON array and a side-by-side report; either may be null. */
    static BenchSummary summarise(JsonNode jmh, JsonNode sideBySide) {
        return summarise(jmh, sideBySide, null);
    }

    /** The same, with the PyTorch training-step times of {@code bench/pytorch/train_step.py} (may be null). */
    static BenchSummary summarise(JsonNode jmh, JsonNode sideBySide, JsonNode pytorch) {
        BenchSummary s = new BenchSummary(jmh == null ? List.of() : parse(jmh), sideBySide);
        s.pytorch = pytorch;
        s.build();
        return s;
    }

    String markdown() {
        return md.toString();
    }

    Map<String, Object> json() {
        return json;
    }

    /** JMH's JSON results, every score converted to seconds per operation. */
    static List<Result> parse(JsonNode jmh) {
        List<Result> out = new ArrayList<>();
        for (JsonNode r : jmh) {
            String name = r.path("benchmark").asText();
            if (name.startsWith(PKG)) {
                name = name.substring(PKG.length());
            }
            Map<String, String> params = new TreeMap<>();
            r.path("params").fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
            JsonNode m = r.path("primaryMetric");
            double unit = secondsPer(m.path("scoreUnit").asText());
            double error = m.path("scoreError").asDouble(Double.NaN);
            String mode = r.path("mode").asText();
            String settings = "sample".equals(mode)
                    ? String.format(Locale.ROOT, "sampled times, %d fork(s), %d x %s warm-up, %d x %s measured",
                            r.path("forks").asInt(), r.path("warmupIterations").asInt(), r.path("warmupTime").asText(),
                            r.path("measurementIterations").asInt(), r.path("measurementTime").asText())
                    : "ss".equals(mode)
                    ? String.format(Locale.ROOT, "single shots, %d fork(s), %d warm-up, %d measured",
                            r.path("forks").asInt(), r.path("warmupIterations").asInt(),
                            r.path("measurementIterations").asInt())
                    : String.format(Locale.ROOT, "average time, %d fork(s), %d x %s warm-up, %d x %s measured",
                            r.path("forks").asInt(), r.path("warmupIterations").asInt(), r.path("warmupTime").asText(),
                            r.path("measurementIterations").asInt(), r.path("measurementTime").asText());
            Map<String, Double> percentiles = new TreeMap<>();
            m.path("scorePercentiles").fields().forEachRemaining(e -> percentiles.put(e.getKey(), e.getValue().asDouble() * unit));
            out.add(new Result(name, params, m.path("score").asDouble() * unit, error * unit, settings, percentiles));
        }
        return out;
    }

    /** Seconds in one unit of a JMH score unit such as {@code "us/op"}. */
    static double secondsPer(String scoreUnit) {
        String u = scoreUnit.endsWith("/op") ? scoreUnit.substring(0, scoreUnit.length() - 3) : scoreUnit;
        return switch (u) {
            case "s" -> 1;
            case "ms" -> 1e-3;
            case "us" -> 1e-6;
            case "ns" -> 1e-9;
            default -> throw new IllegalArgumentException("unsupported JMH score unit '" + scoreUnit
                    + "' (the summary reads average-time and single-shot scores)");
        };
    }

    private Result find(String benchmark, String... params) {
        return first(all(benchmark), params);
    }

    /** The first of {@code candidates} whose parameters have the values given ({@code name, value, ...}), or null. */
    private static Result first(List<Result> candidates, String... params) {
        for (Result r : candidates) {
            boolean match = true;
            for (int i = 0; i < params.length; i += 2) {
                match &= params[i + 1].equals(r.param(params[i]));
            }
            if (match) {
                return r;
            }
        }
        return null;
    }

    private List<Result> all(String benchmark) {
        return results.stream().filter(r -> r.benchmark().equals(benchmark)).toList();
    }

    // ---------------------------------------------------------------- the report

    private final List<Map<String, Object>> targets = new ArrayList<>();

    private void build() {
        md.append("# Benchmark summary\n\n");
        Map<String, Object> settings = new LinkedHashMap<>();
        for (Result r : results) {
            settings.putIfAbsent(r.benchmark().replaceAll("\\..*", ""), r.settings());
        }
        if (!settings.isEmpty()) {
            md.append("JMH settings:\n");
            settings.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
            md.append('\n');
            json.put("jmhSettings", settings);
        }
        memory();
        decoder();
        tensor();
        codec();
        sideBySide();
        training();
        firstAudio();
        md.append("## Targets\n\n| target | figure | met |\n|---|---|---|\n");
        for (Map<String, Object> t : targets) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s |\n", t.get("target"), t.get("figure"),
                    t.get("met") == null ? "not measured" : (Boolean) t.get("met") ? "yes" : "**no**"));
        }
        md.append('\n');
        json.put("targets", targets);
    }

    private void target(String what, String figure, Boolean met) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("target", what);
        t.put("figure", figure);
        t.put("met", met);
        targets.add(t);
    }

    private Double copyBandwidth(int mib) {
        Result copy = find("MemoryBench.copy", "mib", Integer.toString(mib));
        return copy == null ? null : 2.0 * mib * (1 << 20) / copy.seconds();
    }

    private void memory() {
        if (all("MemoryBench.copy").isEmpty() && all("MemoryBench.read").isEmpty()) {
            return;
        }
        md.append("## Memory bandwidth (one thread)\n\n| test | size | time | GB/s |\n|---|---|---|---|\n");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String which : List.of("copy", "read")) {
            for (Result r : all("MemoryBench." + which)) {
                int mib = Integer.parseInt(r.param("mib"));
                double bytes = (which.equals("copy") ? 2.0 : 1.0) * mib * (1 << 20);
                double gbs = bytes / r.seconds() / 1e9;
                md.append(String.format(Locale.ROOT, "| %s | %d MiB | %s | %.1f |\n",
                        which.equals("copy") ? "System.arraycopy (read + write counted)" : "SIMD dot (reads)",
                        mib, time(r), gbs));
                rows.add(row("test", which, "mib", mib, "seconds", r.seconds(), "gbPerSecond", gbs));
            }
        }
        md.append('\n');
        json.put("memory", rows);
    }

    /** The model of a decoder-step or first-audio result: its {@code model} parameter, {@code previous} for a run of an earlier build (it had none). */
    static String model(Result r) {
        String m = r.param("model");
        return m == null ? "previous" : m;
    }

    /** The results of {@code benchmark} for {@code model} ({@link #model(Result)}) and the other parameters given. */
    private Result findFor(String benchmark, String model, String... params) {
        return first(all(benchmark).stream().filter(r -> model(r).equals(model)).toList(), params);
    }

    /** The distinct values of {@code param} among the results of these benchmarks, in the order first seen. */
    private List<String> values(String param, String... benchmarks) {
        List<String> out = new ArrayList<>();
        for (String b : benchmarks) {
            for (Result r : all(b)) {
                String v = "model".equals(param) ? model(r) : r.param(param);
                if (v != null && !out.contains(v)) {
                    out.add(v);
                }
            }
        }
        return out;
    }

    private void decoder() {
        String cached = "DecoderStepBench.pureJavaCachedStep", full = "DecoderStepBench.sameDiffFullRecompute";
        String text = "DecoderStepBench.pureJavaTextStep", textFull = "DecoderStepBench.sameDiffTextRecompute";
        List<String> models = values("model", cached, full, text, textFull);
        if (models.isEmpty()) {
            return;
        }
        Double dram = copyBandwidth(LARGE_COPY_MIB), cache = copyBandwidth(8);
        md.append(String.format(Locale.ROOT, "## Decoder step (%d-frame question)%n%n", DecoderStepBench.SOURCE_FRAMES));
        md.append("Roofline: bytes of weights + KV cache read per row / memory-copy bandwidth of this run "
                + "(" + LARGE_COPY_MIB + " MiB copy; in brackets the 8 MiB copy, a cache-resident bound). "
                + "A code step yields G frames; a model with a monologue has fed its text rows (TEXT_BOS and "
                + ModelFixtures.MONOLOGUE + " symbols) before its code steps.\n\n");
        for (String m : models) {
            md.append("- ").append(m).append(": ").append(describe(m)).append('\n');
        }
        md.append('\n');
        StringBuilder codeMd = new StringBuilder();
        List<Map<String, Object>> rows = new ArrayList<>();
        List<Map<String, Object>> textRows = new ArrayList<>();
        StringBuilder textMd = new StringBuilder();
        List<String> prefixes = values("prefix", cached, full);
        prefixes.sort(Comparator.comparingInt(Integer::parseInt));
        for (String m : models) {
            ModelConfig c = config(m);
            for (String prefix : prefixes) {
                Result step = findFor(cached, m, "prefix", prefix);
                Result sd = findFor(full, m, "prefix", prefix);
                if (step == null && sd == null) {
                    continue;
                }
                int steps = Integer.parseInt(prefix);
                DecoderRoofline roof = c == null ? null
                        : DecoderRoofline.step(c, DecoderStepBench.SOURCE_FRAMES, ModelFixtures.textRows(c), steps);
                Map<String, Object> row = roofRow(step, sd, roof, dram, cache);
                int g = c == null ? 1 : c.frameGroup();
                codeMd.append(String.format(Locale.ROOT, "| %s | %d | %d | %s | %s | %s |%n", m, steps, steps * g,
                        step == null ? "-" : time(step),
                        step == null ? "-" : us(step.seconds() / g), roofCells(row, sd, roof, dram, cache)));
                Map<String, Object> out = row("model", m, "prefix", steps, "frames", steps * g, "framesPerStep", g,
                        "stepSeconds", step == null ? null : step.seconds(),
                        "secondsPerFrame", step == null ? null : step.seconds() / g);
                out.putAll(row);
                out.put("bytesPerFrame", roof == null ? null : roof.bytesPerFrame());
                rows.add(out);
                if (steps * g == TARGET_PREFIX) {
                    decoderTargets(m, steps, g, (Double) row.get("speedup"), (Double) row.get("rooflineFractionLargeCopy"),
                            (Double) row.get("rooflineFractionCopy8Mib"));
                }
            }
            Result textStep = findFor(text, m), textSd = findFor(textFull, m);
            if (textStep != null || textSd != null) {
                DecoderRoofline roof = c == null || !c.hasText() ? null
                        : DecoderRoofline.textRow(c, DecoderStepBench.SOURCE_FRAMES, ModelFixtures.textRows(c));
                int textRow = ModelFixtures.MONOLOGUE + 1;
                Map<String, Object> row = roofRow(textStep, textSd, roof, dram, cache);
                textMd.append(String.format(Locale.ROOT, "| %s | %d | %s | %s |%n", m, textRow,
                        textStep == null ? "-" : time(textStep), roofCells(row, textSd, roof, dram, cache)));
                Map<String, Object> out = row("model", m, "textRow", textRow,
                        "stepSeconds", textStep == null ? null : textStep.seconds());
                out.putAll(row);
                textRows.add(out);
            }
        }
        if (!rows.isEmpty()) {
            md.append("| model | prefix (steps) | frames | pure-Java step | per frame | SameDiff recompute | speed-up "
                    + "| bytes read | roofline time | share of roofline |\n|---|---|---|---|---|---|---|---|---|---|\n")
                    .append(codeMd).append('\n');
        }
        if (!textRows.isEmpty()) {
            md.append("Text row (`Session.stepText`): the monologue's last row, TEXT_BOS and " + ModelFixtures.MONOLOGUE
                    + " symbols in the cache; SameDiff computes the text rows and the BOS code step.\n\n");
            md.append("| model | text row | pure-Java row | SameDiff recompute | speed-up | bytes read | roofline time "
                    + "| share of roofline |\n|---|---|---|---|---|---|---|---|\n");
            md.append(textMd).append('\n');
        }
        json.put("decoderStep", rows);
        if (!textRows.isEmpty()) {
            json.put("decoderTextRow", textRows);
        }
    }

    /** The config of a decoder benchmark's model, or null for a name this build does not know. */
    private static ModelConfig config(String model) {
        try {
            return ModelFixtures.named(model);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String describe(String model) {
        ModelConfig c = config(model);
        return c == null ? "unknown to this build" : c.describe();
    }

    /** Speed-up and roofline shares of one cached row against its SameDiff recompute (either may be null). */
    private static Map<String, Object> roofRow(Result step, Result sd, DecoderRoofline roof, Double dram, Double cache) {
        Double speedup = step != null && sd != null ? sd.seconds() / step.seconds() : null;
        Double fraction = step != null && dram != null && roof != null ? roof.fraction(step.seconds(), dram) : null;
        Double cacheFraction = step != null && cache != null && roof != null ? roof.fraction(step.seconds(), cache) : null;
        return row("samediffSeconds", sd == null ? null : sd.seconds(), "speedup", speedup,
                "bytesRead", roof == null ? null : roof.total(), "weightBytes", roof == null ? null : roof.weights(),
                "selfCacheBytes", roof == null ? null : roof.selfCache(),
                "crossCacheBytes", roof == null ? null : roof.crossCache(), "rooflineFractionLargeCopy", fraction,
                "rooflineFractionCopy8Mib", cacheFraction);
    }

    /** The cells from "SameDiff recompute" to "share of roofline" of a {@link #roofRow}. */
    private static String roofCells(Map<String, Object> row, Result sd, DecoderRoofline roof, Double dram, Double cache) {
        Double speedup = (Double) row.get("speedup");
        Double fraction = (Double) row.get("rooflineFractionLargeCopy");
        Double cacheFraction = (Double) row.get("rooflineFractionCopy8Mib");
        return String.format(Locale.ROOT, "%s | %s | %s | %s | %s", sd == null ? "-" : time(sd),
                speedup == null ? "-" : String.format(Locale.ROOT, "%.0fx", speedup),
                roof == null ? "-" : String.format(Locale.ROOT, "%.2f MB", roof.total() / 1e6),
                dram == null || roof == null ? "-"
                        : us(roof.boundSeconds(dram)) + (cache == null ? "" : " (" + us(roof.boundSeconds(cache)) + ")"),
                fraction == null ? "-" : pct(fraction) + (cacheFraction == null ? "" : " (" + pct(cacheFraction) + ")"));
    }

    /** The decoder-step targets of one model, judged at the step that holds frame {@value #TARGET_PREFIX}. */
    private void decoderTargets(String model, int steps, int g, Double speedup, Double fraction, Double cacheFraction) {
        String at = g == 1 ? "prefix " + steps : "step " + steps + " (" + steps * g + " frames)";
        if (speedup != null) {
            target("pure-Java step >= 10x faster than SameDiff recompute, " + model + ", " + at,
                    String.format(Locale.ROOT, "%.0fx", speedup), speedup >= STEP_SPEEDUP_TARGET);
        }
        if (fraction != null) {
            target("decoder step >= 50% of the memory roofline, " + model + ", " + at + " (" + LARGE_COPY_MIB
                            + " MiB copy bandwidth)",
                    pct(fraction) + (cacheFraction == null ? "" : "; against the 8 MiB copy: " + pct(cacheFraction)),
                    fraction >= ROOFLINE_TARGET);
        }
    }

    private void tensor() {
        List<Result> mv = new ArrayList<>(all("TensorBench.matvec"));
        mv.addAll(all("TensorBench.matvecNd4j"));
        if (mv.isEmpty()) {
            return;
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        md.append("## Tensor core at the model's shapes (one thread)\n\n");
        md.append("| mat-vec rows x cols | kernels | time | weights GB/s |\n|---|---|---|---|\n");
        for (Result r : mv) {
            int[] s = Shapes.parse(r.param("matvec"), 2);
            double gbs = 4.0 * s[0] * s[1] / r.seconds() / 1e9;
            String kernels = r.benchmark().endsWith("Nd4j") ? "ND4J" : r.param("kernels");
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %.1f |\n", r.param("matvec"), kernels, time(r), gbs));
            rows.add(row("op", "matvec", "shape", r.param("matvec"), "kernels", kernels, "seconds", r.seconds(),
                    "gbPerSecond", gbs));
        }
        md.append('\n');
        json.put("tensor", rows);
    }

    private void codec() {
        // benchmark -> (what, seconds of audio it handles)
        Map<String, Object[]> what = new LinkedHashMap<>();
        what.put("decodeFrame", new Object[] {"decode one 20 ms frame (running stream)", 0.02});
        what.put("decode10s", new Object[] {"decode 10 s of codes", CodecBench.SECONDS});
        what.put("streamFirstChunk", new Object[] {"new stream + first frame (first 10 ms of audio)", null});
        what.put("encodeFrame", new Object[] {"encode one 20 ms frame (running stream: analysis + RVQ)", 0.02});
        what.put("encode10s", new Object[] {"encode 10 s", CodecBench.SECONDS});
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map.Entry<String, Object[]> e : what.entrySet()) {
            Result r = find("CodecBench." + e.getKey());
            if (r == null) {
                continue;
            }
            if (rows.isEmpty()) {
                md.append("## Codec (6 x 1024, 3.0 kbps, one thread)\n\n| operation | time | x real time |\n|---|---|---|\n");
            }
            Double realTime = e.getValue()[1] == null ? null : (double) e.getValue()[1] / r.seconds();
            md.append(String.format(Locale.ROOT, "| %s | %s | %s |\n", e.getValue()[0], time(r),
                    realTime == null ? "-" : String.format(Locale.ROOT, "%.0f", realTime)));
            rows.add(row("benchmark", e.getKey(), "seconds", r.seconds(), "xRealtime", realTime));
        }
        if (!rows.isEmpty()) {
            md.append('\n');
            json.put("codec", rows);
        }
    }

    private void sideBySide() {
        if (sideBySide == null) {
            return;
        }
        // Keys in camelCase; a side-by-side.json of an earlier build has them in snake_case.
        double audio = JsonKeys.path(sideBySide, "audioSeconds").asDouble();
        md.append(String.format(Locale.ROOT, "## Codec decode throughput side by side (%.0f s of speech: %s)%n%n",
                audio, sideBySide.path("speech").asText()));
        md.append("| decoder | output | CPU s per decode | x real time | x real time without start-up | samvaad / it |\n");
        md.append("|---|---|---|---|---|---|\n");
        JsonNode ratios = JsonKeys.path(sideBySide, "ratiosSamvaadOverTool");
        for (JsonNode d : sideBySide.path("decoders")) {
            String name = d.path("name").asText();
            JsonNode r = ratios.path(name);
            JsonNode withoutStartup = JsonKeys.path(d, "xRealtimeWithoutStartup");
            String without = withoutStartup.isMissingNode() ? "-"
                    : String.format(Locale.ROOT, "%.0f", withoutStartup.asDouble());
            double withTool = JsonKeys.path(r, "withToolStartup").asDouble();
            double withoutTool = JsonKeys.path(r, "withoutToolStartup").asDouble();
            String ratio = r.isMissingNode() ? "-" : String.format(Locale.ROOT, "%.2f (%.2f without its start-up)",
                    withTool, withoutTool);
            md.append(String.format(Locale.ROOT, "| %s | %s | %.3f | %.0f | %s | %s |\n", name, d.path("output").asText(),
                    JsonKeys.path(d, "cpuSeconds").asDouble(), JsonKeys.path(d, "xRealtime").asDouble(), without, ratio));
            if (!r.isMissingNode()) {
                target("codec decode throughput >= 1x " + name,
                        String.format(Locale.ROOT, "%.2f with its start-up, %.2f without", withTool, withoutTool),
                        Math.min(withTool, withoutTool) >= CODEC_RATIO_TARGET);
            }
        }
        md.append('\n');
        json.put("sideBySide", sideBySide);
    }

    /**
     * {@code FirstAudioBench} (sample mode): mean, median and 95th percentile per model and way of
     * ending the turn, and the monologue's share: {@code tiny} against {@code tiny-empty}, the same
     * model whose monologue ends at once.
     */
    private void firstAudio() {
        List<Result> runs = all("FirstAudioBench.endOfTurnToFirstPcm");
        if (runs.isEmpty()) {
            target("first audio <= 100 ms (end of turn -> first PCM through the agent)",
                    "not measured in this run (FirstAudioBench)", null);
            return;
        }
        md.append("## First audio (end of turn -> first reply PCM through the agent)\n\n")
                .append("| model | end of turn | mean | median | 95th percentile |\n|---|---|---|---|---|\n");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Result r : runs) {
            String m = model(r);
            Double p50 = r.percentileSeconds().get("50.0"), p95 = r.percentileSeconds().get("95.0");
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |\n", m, r.param("endOfTurn"), time(r),
                    p50 == null ? "-" : ms(p50), p95 == null ? "-" : ms(p95)));
            rows.add(row("model", m, "endOfTurn", r.param("endOfTurn"), "meanSeconds", r.seconds(), "p50Seconds", p50,
                    "p95Seconds", p95));
            if ("tiny-empty".equals(m)) {
                continue; // a control for the monologue's share, not a model anyone runs
            }
            double judged = p95 == null ? r.seconds() : p95;
            target("first audio <= 100 ms (" + m + ", end of turn by " + r.param("endOfTurn") + ", 95th percentile)",
                    (p95 == null ? "mean " + ms(r.seconds()) : "p95 " + ms(p95) + ", p50 " + (p50 == null ? "-" : ms(p50))
                            + ", mean " + ms(r.seconds())),
                    judged <= FIRST_AUDIO_TARGET_SECONDS);
        }
        md.append('\n');
        List<Map<String, Object>> shares = new ArrayList<>();
        for (Result r : runs) {
            Result empty = findFor("FirstAudioBench.endOfTurnToFirstPcm", "tiny-empty", "endOfTurn", r.param("endOfTurn"));
            if (!"tiny".equals(model(r)) || empty == null) {
                continue;
            }
            double with = r.percentileSeconds().getOrDefault("50.0", r.seconds());
            double without = empty.percentileSeconds().getOrDefault("50.0", empty.seconds());
            double share = (with - without) / with;
            if (shares.isEmpty()) {
                md.append("The monologue's share of first audio (tiny, " + ModelFixtures.MONOLOGUE + " symbols, against "
                        + "tiny-empty, whose monologue ends at once; medians; a difference at or below zero is within "
                        + "the run's noise, and the benchmark's teardown prints the text rows timed on their own):\n\n"
                        + "| end of turn | with the monologue | without | difference | the monologue's share |\n"
                        + "|---|---|---|---|---|\n");
            }
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", r.param("endOfTurn"), ms(with),
                    ms(without), ms(with - without), share > 0 ? pct(share) : "within noise"));
            shares.add(row("endOfTurn", r.param("endOfTurn"), "p50Seconds", with, "p50SecondsWithoutMonologue", without,
                    "monologueShare", share));
        }
        if (!shares.isEmpty()) {
            md.append('\n');
            json.put("firstAudioMonologue", shares);
        }
        json.put("firstAudio", rows);
    }

    private void training() {
        List<Result> steps = all("TrainStepBench.trainStep");
        if (steps.isEmpty()) {
            return;
        }
        md.append("## Training step (batch 16 x 150 frames: loss, gradients, clipping, Adam)\n\n");
        boolean torch = pytorch != null && pytorch.has("results");
        md.append(torch ? "PyTorch " + pytorch.path("torch").asText() + " (BLAS: " + pytorch.path("blas").asText("unknown")
                + ") times the same model and batch (`bench/pytorch/train_step.py`) in the same run.\n\n"
                : "PyTorch: not run (needs `python3` with `torch`; Debian: `apt-get install python3-torch`).\n\n");
        md.append("| size | threads | SameDiff median | max / median | PyTorch median | PyTorch / SameDiff |\n"
                + "|---|---|---|---|---|---|\n");
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Result r : steps) {
            double median = r.percentileSeconds().getOrDefault("50.0", r.seconds());
            double max = r.percentileSeconds().getOrDefault("100.0", Double.NaN);
            Double torchMedian = torch ? pytorchMedian(r.param("size"), r.param("threads")) : null;
            Double ratio = torchMedian == null ? null : torchMedian / median;
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", r.param("size"),
                    r.param("threads"), ms(median), sig(max / median),
                    torchMedian == null ? "-" : ms(torchMedian), ratio == null ? "-" : sig(ratio)));
            rows.add(row("size", r.param("size"), "threads", r.param("threads"), "samediffMedianSeconds", median,
                    "samediffMaxOverMedian", max / median, "pytorchMedianSeconds", torchMedian,
                    "pytorchOverSamediff", ratio));
            if ("default".equals(r.param("size"))) {
                target("SameDiff step, default size, " + r.param("threads") + " thread(s): median <= 1.5 s",
                        ms(median), median <= 1.5);
                target("SameDiff step, default size, " + r.param("threads") + " thread(s): max / median <= 1.5",
                        sig(max / median), max / median <= 1.5);
            }
            target("PyTorch / SameDiff step time >= 0.8 (" + r.param("size") + ", " + r.param("threads")
                    + " thread(s))", ratio == null ? "not measured" : sig(ratio), ratio == null ? null : ratio >= 0.8);
        }
        md.append('\n');
        json.put("trainStep", rows);
    }

    private Double pytorchMedian(String size, String threads) {
        for (JsonNode r : pytorch.path("results")) {
            if (r.path("size").asText().equals(size) && r.path("threads").asText().equals(threads)) {
                // bench/pytorch/train_step.py wrote "median_s" before it wrote camelCase keys.
                return (r.has("medianSeconds") ? r.path("medianSeconds") : r.path("median_s")).asDouble();
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- formatting

    private static Map<String, Object> row(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /** A score with its JMH error, in a readable unit. */
    static String time(Result r) {
        double s = r.seconds(), e = r.errorSeconds();
        String unit;
        double f;
        if (s >= 1) {
            unit = "s";
            f = 1;
        } else if (s >= 1e-3) {
            unit = "ms";
            f = 1e3;
        } else {
            unit = "us";
            f = 1e6;
        }
        String value = sig(s * f);
        return Double.isNaN(e) ? value + " " + unit : value + " ± " + sig(e * f) + " " + unit;
    }

    private static String ms(double seconds) {
        return sig(seconds * 1e3) + " ms";
    }

    private static String us(double seconds) {
        return sig(seconds * 1e6) + " us";
    }

    private static String pct(double fraction) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * fraction);
    }

    /** Three significant digits, at most. */
    private static String sig(double value) {
        double v = Double.parseDouble(String.format(Locale.ROOT, "%.3g", value));
        double a = Math.abs(v);
        return String.format(Locale.ROOT, a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f", v);
    }
}
