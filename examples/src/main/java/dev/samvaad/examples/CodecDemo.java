package dev.samvaad.examples;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The codec end to end on small built-in defaults: synthesise Telugu conversation data, train the
 * codec on the train split, score it on voices it never heard (against Opus and Codec2 when
 * installed), and write one question through the codec for listening.
 */
@Command(name = "codec-demo", mixinStandardHelpOptions = true,
        description = "Generate data, train the codec, evaluate it and write a sample round trip (about 2 minutes on 2 cores).")
public final class CodecDemo implements Callable<Integer> {

    @Option(names = {"--output_dir", "--output-dir"}, defaultValue = "runs/codec-demo",
            description = "Folder for data, codec, report and sample (default: ${DEFAULT-VALUE}).")
    Path outputDir;

    @Option(names = {"--num_pairs", "--num-pairs"}, defaultValue = "400",
            description = "Conversation pairs to generate (default: ${DEFAULT-VALUE}).")
    int numPairs;

    @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    /** --quiet, --log-level and the version (every command has them). */
    @CommandLine.Mixin
    CommonFlags common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(Samvaad.configure(new CommandLine(new CodecDemo())).execute(args));
    }

    @Override
    public Integer call() {
        Path data = outputDir.resolve("conversations");
        Path codec = outputDir.resolve("codec.smvd");
        Path report = outputDir.resolve("codec-eval.json");
        Path sampleIn = data.resolve("conv_000001/user.wav");
        Path sampleOut = outputDir.resolve("sample-roundtrip.wav");
        var out = spec.commandLine().getOut();
        boolean ok = Steps.run(spec, "1/4 generate data", new GenerateConversationData(), "--num_pairs",
                Integer.toString(numPairs), "--output_dir", data.toString(), "--seed", Long.toString(seed))
                && Steps.run(spec, "2/4 train the codec on the train split", new TrainCodec(), "--audio_dir", data.toString(),
                        "--split", "train", "--output", codec.toString(), "--seed", Long.toString(seed))
                && Steps.run(spec, "3/4 evaluate on test-voice questions (voices never heard in training)", new CodecEval(),
                        "--codec", codec.toString(), "--audio_dir", data.toString(), "--split", "test-voice",
                        "--report", report.toString())
                && Steps.run(spec, "4/4 one question through the codec", new CodecRoundtrip(), "--codec", codec.toString(),
                        "--input", sampleIn.toString(), "--output", sampleOut.toString());
        if (!ok) {
            return 1;
        }
        out.printf("%ndone: codec %s, report %s, listen to %s (original %s)%n", codec, report, sampleOut, sampleIn);
        return 0;
    }
}
