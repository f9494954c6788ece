package dev.samvaad.examples;

import dev.samvaad.audio.AudioIO;
import dev.samvaad.audio.WavWriter;
import dev.samvaad.codec.RvqCodec;
import dev.samvaad.io.Words;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** One file through the codec: encode, decode, write. */
@Command(name = "codec-roundtrip", mixinStandardHelpOptions = true,
        description = "Encode a WAV to codes and decode it back (to hear what the codec keeps).")
public final class CodecRoundtrip implements Callable<Integer> {

    @Option(names = "--codec", required = true, description = "Codec checkpoint.")
    Path codecFile;

    @Option(names = {"--input", "-i"}, required = true, description = "Input WAV (any rate, channels, PCM/float).")
    Path input;

    @Option(names = {"--output", "-o"}, required = true, description = "Output WAV (16-bit, the codec's rate).")
    Path output;

    @Option(names = "--codebooks", description = "Decode with only the first N codebooks (lower bitrate).")
    Integer codebooksUsed;

    /** --quiet, --log-level and the version (every command has them). */
    @CommandLine.Mixin
    CommonFlags common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(Samvaad.configure(new CommandLine(new CodecRoundtrip())).execute(args));
    }

    @Override
    public Integer call() {
        RvqCodec codec = RvqCodec.load(codecFile);
        float[] pcm = AudioIO.readMono(input, codec.sampleRate());
        int used = codebooksUsed == null ? codec.codebooks() : codebooksUsed;
        long start = System.nanoTime();
        int[][] codes = codec.encode(pcm);
        float[] decoded = Arrays.copyOf(codec.decode(codes, used), pcm.length);
        double seconds = (System.nanoTime() - start) / 1e9;
        WavWriter.writePcm16(output, decoded, codec.sampleRate());
        spec.commandLine().getOut().printf(Locale.ROOT, "%s -> %s x %s (%.0f bps) -> %s, %.2f s of audio in %.3f s%n",
                input, Words.count(codes[0].length, "frame"), Words.count(used, "codebook"), codec.bitrate(used), output,
                pcm.length / (double) codec.sampleRate(), seconds);
        return 0;
    }
}
