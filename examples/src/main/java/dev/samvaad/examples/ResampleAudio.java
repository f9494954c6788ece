package dev.samvaad.examples;

import dev.samvaad.audio.AudioIO;
import dev.samvaad.audio.WavFormat;
import dev.samvaad.audio.WavReader;
import dev.samvaad.audio.WavWriter;
import dev.samvaad.io.Words;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Converts any WAV the reader accepts to mono at another sample rate (band-limited). */
@Command(name = "resample", mixinStandardHelpOptions = true,
        description = "Convert a WAV (any PCM/float encoding, rate and channel count) to mono at --rate.")
public final class ResampleAudio implements Callable<Integer> {

    @Option(names = {"--input", "-i"}, required = true, description = "Input WAV file.")
    Path input;

    @Option(names = {"--output", "-o"}, required = true, description = "Output WAV file (written atomically).")
    Path output;

    @Option(names = {"--rate", "-r"}, defaultValue = "16000", description = "Output sample rate in Hz (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--float", description = "Write 32-bit float samples instead of 16-bit PCM.")
    boolean floatOutput;

    /** --quiet, --log-level and the version (every command has them). */
    @CommandLine.Mixin
    CommonFlags common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(Samvaad.configure(new CommandLine(new ResampleAudio())).execute(args));
    }

    @Override
    public Integer call() {
        if (rate <= 0) {
            throw new IllegalArgumentException("--rate must be a positive number of Hz, got " + rate);
        }
        WavFormat in = WavReader.probe(input);
        float[] mono = AudioIO.readMono(input, rate);
        if (floatOutput) {
            WavWriter.writeFloat32(output, mono, rate);
        } else {
            WavWriter.writePcm16(output, mono, rate);
        }
        spec.commandLine().getOut().printf("%s: %d Hz, %s, %s%d -> %s: %d Hz mono %s, %.2f s%n",
                input, in.sampleRate(), in.channels() == 1 ? "mono" : Words.count(in.channels(), "channel"),
                switch (in.encoding()) {
                    case PCM_UNSIGNED -> "unsigned pcm";
                    case PCM_SIGNED -> "pcm";
                    case IEEE_FLOAT -> "float";
                }, in.bitsPerSample(), output, rate, floatOutput ? "float32" : "pcm16", mono.length / (double) rate);
        return 0;
    }
}
