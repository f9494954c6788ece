package dev.samvaad.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.samvaad.audio.Pcm16;
import dev.samvaad.audio.Resampler;
import dev.samvaad.audio.WavWriter;
import dev.samvaad.codec.RvqCodec;
import dev.samvaad.codec.eval.ExternalCodecs;
import dev.samvaad.metrics.Machine;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Codec decode throughput side by side, in one run: Samvaad's decoder against {@code opusdec}
 * (Opus 6 kbps) and {@code c2dec} (Codec2 3200) on the same speech, when those tools are installed.
 *
 * <p>Throughput is seconds of audio decoded per CPU second. Encoding is done first and not
 * counted. Samvaad decodes in this JVM, warmed up ({@code --warmup} decodes), timed by the
 * process CPU clock (every JVM thread, GC and JIT included) over {@code --repeats} decodes; its
 * first, cold decode is reported too. A tool is run {@code --repeats} times on the coded file,
 * output to a pipe that is discarded, and timed by the CPU its processes used ({@link ChildCpu});
 * its start-up is measured separately by decoding a 20 ms file and reported both ways: the ratio
 * "with start-up" charges every tool run its process start, the ratio "without" subtracts it (a
 * long-running decoder's view, like Samvaad's).
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp ... dev.samvaad.bench.CodecSideBySide --out side-by-side.json
 *     [--seconds 60] [--repeats 15] [--warmup 10]
 * </pre>
 */
public final class CodecSideBySide {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    record Options(Path out, double seconds, int repeats, int warmups) {
        static Options parse(String[] args) {
            Path out = null;
            double seconds = 60;
            int repeats = 15, warmups = 10;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option " + a + " needs a value");
                }
                String v = args[++i];
                switch (a) {
                    case "--out" -> out = Path.of(v);
                    case "--seconds" -> seconds = Double.parseDouble(v);
                    case "--repeats" -> repeats = Integer.parseInt(v);
                    case "--warmup" -> warmups = Integer.parseInt(v);
                    default -> throw new IllegalArgumentException("unknown option " + a
                            + " (expected --out FILE, --seconds S, --repeats N, --warmup N)");
                }
            }
            if (out == null) {
                throw new IllegalArgumentException("--out FILE is required");
            }
            if (!(seconds >= 1) || repeats < 1 || warmups < 0) {
                throw new IllegalArgumentException("need --seconds >= 1, --repeats >= 1, --warmup >= 0");
            }
            return new Options(out, seconds, repeats, warmups);
        }
    }

    private CodecSideBySide() {}

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("CodecSideBySide: " + e.getMessage());
            System.exit(2);
            return;
        }
        Map<String, Object> report = run(options);
        Files.createDirectories(options.out().toAbsolutePath().getParent());
        JSON.writeValue(options.out().toFile(), report);
        System.out.println("side by side: " + options.out());
    }

    static Map<String, Object> run(Options o) throws IOException, InterruptedException {
        CodecFixture fixture = CodecFixture.train();
        RvqCodec codec = fixture.codec;
        BenchSpeech.Speech speech = BenchSpeech.make(BenchSpeech.Material.TEST, o.seconds());
        double audioSeconds = speech.seconds();
        log("codec %dx%d trained in %.1f s; decoding %.0f s of %s", codec.codebooks(), codec.codebookSize(),
                fixture.trainSeconds, audioSeconds, speech.source());

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("what", "codec decode throughput: seconds of audio per CPU second");
        report.put("date", Instant.now().toString());
        report.put("machine", Machine.describe());
        report.put("audioSeconds", audioSeconds);
        report.put("speech", speech.source());
        report.put("repeats", o.repeats());
        report.put("samvaadWarmupDecodes", o.warmups());
        report.put("codecSetupSeconds", fixture.trainSeconds);

        List<Map<String, Object>> decoders = new ArrayList<>();
        Map<String, Object> samvaad = samvaad(codec, speech.pcm(), audioSeconds, o);
        decoders.add(samvaad);
        double samvaadCpu = (double) samvaad.get("cpuSeconds");
        Map<String, Object> ratios = new LinkedHashMap<>();
        ChildCpu clock = ChildCpu.open();
        Path dir = Files.createTempDirectory("samvaad-side-by-side");
        try {
            if (clock == null) {
                report.put("note", "no /proc/self/stat: external decoders not timed");
            } else {
                report.put("childCpuClockHz", clock.ticksPerSecond());
                for (Tool tool : tools(dir, speech.pcm())) {
                    Map<String, Object> r = measure(tool, clock, audioSeconds, o.repeats());
                    decoders.add(r);
                    ratios.put(tool.name(), ratio(audioSeconds, samvaadCpu, (double) r.get("cpuSeconds"),
                            (double) r.get("startupCpuSeconds")));
                }
            }
        } finally {
            BenchSpeech.deleteQuietly(dir);
        }
        report.put("decoders", decoders);
        report.put("ratiosSamvaadOverTool", ratios);
        return report;
    }

    /**
     * Samvaad's decoder on the codes of {@code pcm}: process CPU per decode over the timed repeats
     * (that clock ticks in 10 ms steps, so it is read around all of them), the median thread CPU
     * and wall time per decode, and the first decode's thread CPU (interpreted and JIT-compiling).
     */
    static Map<String, Object> samvaad(RvqCodec codec, float[] pcm, double audioSeconds, Options o) {
        int[][] codes = codec.encode(pcm);
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[] threadCpu = new double[o.repeats()], wall = new double[o.repeats()];
        double firstCpu = Double.NaN;
        long checksum = 0, process0 = 0;
        for (int i = -o.warmups(); i < o.repeats(); i++) {
            if (i == 0) {
                process0 = os.getProcessCpuTime();
            }
            long c0 = threads.getCurrentThreadCpuTime(), w0 = System.nanoTime();
            float[] out = codec.decode(codes);
            long c1 = threads.getCurrentThreadCpuTime(), w1 = System.nanoTime();
            checksum += Float.floatToIntBits(out[out.length / 2]);
            if (i == -o.warmups()) {
                firstCpu = (c1 - c0) / 1e9;
            }
            if (i >= 0) {
                threadCpu[i] = (c1 - c0) / 1e9;
                wall[i] = (w1 - w0) / 1e9;
            }
        }
        double cpu = (os.getProcessCpuTime() - process0) / 1e9 / o.repeats();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("name", String.format(Locale.ROOT, "samvaad %.1f kbps (q=%d)", codec.bitrate() / 1000, codec.codebooks()));
        r.put("bitrate", codec.bitrate());
        r.put("output", codec.sampleRate() + " Hz float");
        r.put("timedBy", "JVM process CPU (every thread, GC and JIT included) over the repeats after warm-up, per decode");
        r.put("cpuSeconds", cpu);
        r.put("threadCpuSecondsMedian", median(threadCpu));
        r.put("wallSeconds", median(wall));
        r.put("firstDecodeThreadCpuSeconds", firstCpu);
        r.put("xRealtime", audioSeconds / cpu);
        r.put("checksum", checksum);
        log("%s: %.3f s CPU per decode (%.0fx real time; thread CPU median %.3f s), first decode %.3f s",
                r.get("name"), cpu, audioSeconds / cpu, median(threadCpu), firstCpu);
        return r;
    }

    /** An external decoder: its command on the coded speech and on a 20 ms coded file. */
    record Tool(String name, double bitrate, String output, List<String> decode, List<String> decodeTiny) {}

    /** The installed reference decoders, with the speech (and 20 ms of silence) encoded for them in {@code dir}. */
    static List<Tool> tools(Path dir, float[] pcm) throws IOException, InterruptedException {
        List<Tool> tools = new ArrayList<>();
        float[] tiny = new float[BenchSpeech.SAMPLE_RATE / 50];
        if (ExternalCodecs.installed("opusenc") && ExternalCodecs.installed("opusdec")) {
            for (String which : List.of("speech", "tiny")) {
                Path wav = dir.resolve(which + ".wav");
                WavWriter.writePcm16(wav, which.equals("speech") ? pcm : tiny, BenchSpeech.SAMPLE_RATE);
                exec(List.of("opusenc", "--quiet", "--bitrate", "6", "--speech", wav.toString(),
                        dir.resolve(which + ".opus").toString()));
            }
            tools.add(new Tool("opus 6 kbps", 6000, "16000 Hz float (--float, no dither)",
                    opusdec(dir.resolve("speech.opus")), opusdec(dir.resolve("tiny.opus"))));
        }
        if (ExternalCodecs.installed("c2enc") && ExternalCodecs.installed("c2dec")) {
            for (String which : List.of("speech", "tiny")) {
                Path raw = dir.resolve(which + ".raw");
                Files.write(raw, Pcm16.toBytes(Resampler.resample(which.equals("speech") ? pcm : tiny, BenchSpeech.SAMPLE_RATE, 8000)));
                exec(List.of("c2enc", "3200", raw.toString(), dir.resolve(which + ".c2").toString()));
            }
            tools.add(new Tool("codec2 3200", 3200, "8000 Hz 16-bit (narrowband: half the samples)",
                    List.of("c2dec", "3200", dir.resolve("speech.c2").toString(), "-"),
                    List.of("c2dec", "3200", dir.resolve("tiny.c2").toString(), "-")));
        }
        return tools;
    }

    private static List<String> opusdec(Path coded) {
        return List.of("opusdec", "--quiet", "--float", "--rate", "16000", coded.toString(), "-");
    }

    static Map<String, Object> measure(Tool tool, ChildCpu clock, double audioSeconds, int repeats)
            throws IOException, InterruptedException {
        exec(tool.decode()); // page the tool and its libraries in
        double[] wall = new double[repeats];
        double c0 = clock.childSeconds();
        for (int i = 0; i < repeats; i++) {
            long w0 = System.nanoTime();
            exec(tool.decode());
            wall[i] = (System.nanoTime() - w0) / 1e9;
        }
        double cpu = (clock.childSeconds() - c0) / repeats;
        double s0 = clock.childSeconds();
        for (int i = 0; i < repeats; i++) {
            exec(tool.decodeTiny());
        }
        double startup = (clock.childSeconds() - s0) / repeats;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("name", tool.name());
        r.put("bitrate", tool.bitrate());
        r.put("output", tool.output());
        r.put("command", String.join(" ", tool.decode()));
        r.put("timedBy", "child-process CPU (user + system, /proc/self/stat cutime + cstime), mean of repeats");
        r.put("cpuSeconds", cpu);
        r.put("startupCpuSeconds", startup);
        r.put("cpuSecondsWithoutStartup", Math.max(0, cpu - startup));
        r.put("wallSeconds", median(wall));
        r.put("xRealtime", audioSeconds / cpu);
        r.put("xRealtimeWithoutStartup", cpu > startup ? audioSeconds / (cpu - startup) : Double.POSITIVE_INFINITY);
        log("%s: %.3f s CPU per decode (%.0fx real time), start-up %.3f s", tool.name(), cpu, audioSeconds / cpu, startup);
        return r;
    }

    /**
     * Samvaad's throughput over the tool's (so above 1 means Samvaad decodes faster), charging the
     * tool its start-up and not.
     */
    static Map<String, Object> ratio(double audioSeconds, double samvaadCpu, double toolCpu, double toolStartup) {
        double samvaad = audioSeconds / samvaadCpu;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("withToolStartup", samvaad / (audioSeconds / toolCpu));
        double without = toolCpu - toolStartup;
        r.put("withoutToolStartup", without > 0 ? samvaad / (audioSeconds / without) : 0.0);
        return r;
    }

    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    private static void exec(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectErrorStream(false).start();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + ": timed out");
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (exit " + p.exitValue() + "): "
                    + new String(err).strip());
        }
    }

    private static void log(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[side-by-side] " + format + "%n", args);
    }
}
