package dev.samvaad.examples;

import dev.samvaad.codec.CodecTrainer;
import dev.samvaad.codec.RvqCodec;
import dev.samvaad.io.Words;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Trains the RVQ codec's codebooks on a folder of WAV files (e.g. generated conversations). */
@Command(name = "train-codec", mixinStandardHelpOptions = true,
        description = "Train the codec on every .wav under --audio_dir and save it as one checkpoint file.")
public final class TrainCodec implements Callable<Integer> {

    @Option(names = {"--audio_dir", "--audio-dir"}, required = true, description = "Folder of WAV files (searched recursively).")
    Path audioDir;

    @Option(names = {"--output", "-o"}, required = true, description = "Codec checkpoint to write.")
    Path output;

    @Option(names = "--overwrite", description = "Replace an existing --output codec (models and code caches made "
            + "with it will no longer match it).")
    boolean overwrite;

    @Option(names = "--codebooks", defaultValue = "6", description = "Codebooks Q (default: ${DEFAULT-VALUE}).")
    int codebooks;

    @Option(names = {"--codebook_size", "--codebook-size"}, defaultValue = "1024",
            description = "Entries per codebook K (default: ${DEFAULT-VALUE}).")
    int codebookSize;

    @Option(names = "--iterations", defaultValue = "15", description = "k-means iterations per codebook (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = {"--max_files", "--max-files"}, description = "Use only the first N files (sorted by path).")
    Integer maxFiles;

    @Option(names = "--split", split = ",",
            description = "In a conversation folder, train only on pairs of these splits (e.g. train), so held-out voices stay unheard.")
    List<String> splits;

    @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = {"--pitch_weight", "--pitch-weight"},
            description = "Weight of log f0 against the band energies in the quantiser (default: the codec default).")
    Double pitchWeight;

    @Option(names = {"--periodicity_weight", "--periodicity-weight"},
            description = "Weight of periodicity against the band energies (default: the codec default).")
    Double periodicityWeight;

    /** --quiet, --log-level and the version (every command has them). */
    @CommandLine.Mixin
    CommonFlags common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(Samvaad.configure(new CommandLine(new TrainCodec())).execute(args));
    }

    @Override
    public Integer call() {
        if (codebooks < 1 || codebookSize < 2 || iterations < 1) {
            throw new IllegalArgumentException("--codebooks >= 1, --codebook_size >= 2 and --iterations >= 1 needed");
        }
        List<Path> wavs = AudioSelection.select(audioDir, splits, AudioSelection.Side.BOTH, maxFiles);
        if (java.nio.file.Files.exists(output) && !overwrite) {
            throw new IllegalArgumentException(output + " exists: models and code caches made with it depend on it; "
                    + "use another --output, or --overwrite to replace it");
        }
        long start = System.nanoTime();
        CodecTrainer.Options defaults = CodecTrainer.Options.defaults();
        RvqCodec codec = CodecTrainer.trainOnFiles(wavs, defaults.withCodebooks(codebooks, codebookSize)
                .withIterations(iterations).withSeed(seed)
                .withWeights(pitchWeight != null ? pitchWeight : defaults.pitchWeight(),
                        periodicityWeight != null ? periodicityWeight : defaults.periodicityWeight()));
        codec.save(output);
        spec.commandLine().getOut().printf(Locale.ROOT,
                "trained on %s in %.1f s: %s of %d codes, %.0f frames/s, %.0f bps, %.0f ms latency%n"
                        + "saved %s (fingerprint %s)%n", Words.count(wavs.size(), "file"), (System.nanoTime() - start) / 1e9,
                Words.count(codec.codebooks(), "codebook"), codec.codebookSize(), codec.frameRate(), codec.bitrate(), codec.algorithmicLatencyMs(), output,
                codec.fingerprint());
        return 0;
    }
}
