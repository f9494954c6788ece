package dev.samvaad.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.samvaad.audio.AudioIO;
import dev.samvaad.codec.RvqCodec;
import dev.samvaad.codec.eval.CodecEvaluation;
import dev.samvaad.codec.eval.ExternalCodecs;
import dev.samvaad.codec.eval.Transcoder;
import dev.samvaad.io.AtomicFiles;
import dev.samvaad.io.Words;
import dev.samvaad.metrics.Machine;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Codec quality and speed on held-out audio, side by side with Opus and Codec2 when their tools
 * are installed, every system scored by the same code.
 */
@Command(name = "codec-eval", mixinStandardHelpOptions = true,
        description = "Score the codec (STOI, log-mel distance, SI-SNR, speed) against Opus and Codec2 on the same audio.")
public final class CodecEval implements Callable<Integer> {

    @Option(names = "--codec", required = true, description = "Codec checkpoint.")
    Path codecFile;

    @Option(names = {"--audio_dir", "--audio-dir"}, required = true, description = "Held-out WAVs, or a conversation folder with --split.")
    Path audioDir;

    @Option(names = "--split", split = ",", description = "In a conversation folder, only these splits (e.g. test-voice).")
    List<String> splits;

    @Option(names = "--side", defaultValue = "user",
            description = "With --split: which recordings of each pair, user, assistant or both (default: ${DEFAULT-VALUE}; "
                    + "user voices of test-voice are the ones no training heard).")
    AudioSelection.Side side;

    @Option(names = {"--max_files", "--max-files"}, defaultValue = "60", description = "At most N files (default: ${DEFAULT-VALUE}).")
    int maxFiles;

    @Option(names = "--report", required = true, description = "JSON report to write.")
    Path report;

    @Option(names = {"--no-reference", "--no_reference"}, description = "Skip Opus and Codec2 even when installed.")
    boolean noReference;

    /** --quiet, --log-level and the version (every command has them). */
    @CommandLine.Mixin
    CommonFlags common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(Samvaad.configure(new CommandLine(new CodecEval())).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        RvqCodec codec = RvqCodec.load(codecFile);
        List<Path> files = AudioSelection.select(audioDir, splits, side, maxFiles);
        List<float[]> signals = new ArrayList<>();
        for (Path f : files) {
            signals.add(AudioIO.readMono(f, codec.sampleRate()));
        }
        List<Transcoder> systems = new ArrayList<>();
        for (int q = 1; q <= codec.codebooks(); q++) {
            systems.add(samvaad(codec, q));
        }
        List<String> missing = new ArrayList<>();
        if (!noReference) {
            ExternalCodecs.codec2(3200).ifPresentOrElse(systems::add, () -> missing.add("codec2 (apt-get install codec2)"));
            ExternalCodecs.opus(6).ifPresentOrElse(systems::add, () -> missing.add("opus (apt-get install opus-tools)"));
        }
        var out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "%s, %.1f s of audio from %s%n", Words.count(signals.size(), "file"),
                signals.stream().mapToDouble(s -> s.length / (double) codec.sampleRate()).sum(), audioDir);
        out.printf("%-16s %8s %7s %9s %8s %10s%n", "system", "bps", "STOI", "logmel dB", "SI-SNR", "x realtime");
        List<CodecEvaluation.Score> scores = new ArrayList<>();
        for (Transcoder t : systems) {
            CodecEvaluation.Score s = CodecEvaluation.evaluate(t, signals, codec.sampleRate());
            scores.add(s);
            out.printf(Locale.ROOT, "%-16s %8.0f %7.4f %9.2f %8.2f %10.1f%n", s.name(), s.bitrate(), s.stoi(),
                    s.logMelDb(), s.siSnrDb(), s.speed());
            out.flush();
        }
        missing.forEach(m -> out.println("not compared (tool missing): " + m));
        writeReport(codec, files, scores, missing);
        out.println("report: " + report);
        return 0;
    }

    private static Transcoder samvaad(RvqCodec codec, int q) {
        return new Transcoder() {
            @Override
            public String name() {
                return "samvaad q=" + q;
            }

            @Override
            public double bitrate() {
                return codec.bitrate(q);
            }

            @Override
            public float[] roundTrip(float[] pcm, int sampleRate) {
                return Arrays.copyOf(codec.decode(codec.encode(pcm), q), pcm.length);
            }
        };
    }

    private void writeReport(RvqCodec codec, List<Path> files, List<CodecEvaluation.Score> scores, List<String> missing)
            throws Exception {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("created", Instant.now().toString());
        r.put("codec", Map.of("file", codecFile.toString(), "fingerprint", codec.fingerprint(),
                "sampleRate", codec.sampleRate(), "framesPerSecond", codec.frameRate(), "codebooks", codec.codebooks(),
                "codebookSize", codec.codebookSize(), "bitrate", codec.bitrate(),
                "algorithmicLatencyMs", codec.algorithmicLatencyMs()));
        r.put("audio", Map.of("dir", audioDir.toString(), "splits", splits == null ? List.of() : splits,
                "side", side.name().toLowerCase(Locale.ROOT), "files", files.size()));
        r.put("machine", Machine.describe());
        r.put("scores", scores);
        r.put("notCompared", missing);
        r.put("notes", List.of("every system's output is aligned to the reference (lag within 60 ms) and scored at "
                + codec.sampleRate() + " Hz by the same code; codec2 is an 8 kHz narrowband codec",
                "speed = audio seconds per wall second of encode+decode on one thread; external tools include process start-up"));
        AtomicFiles.write(report, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(r));
    }
}
