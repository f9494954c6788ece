package dev.samvaad.examples;

import dev.samvaad.audio.AudioIO;
import dev.samvaad.audio.Resampler;
import dev.samvaad.audio.WavWriter;
import dev.samvaad.dataset.ConversationCorpus;
import dev.samvaad.dataset.ConversationPair;
import dev.samvaad.dataset.PairMeta;
import dev.samvaad.dataset.Split;
import dev.samvaad.dataset.synth.EspeakSynthesizer;
import dev.samvaad.dataset.synth.Voice;
import dev.samvaad.io.Words;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A copy of a conversation folder whose held-out questions are spoken differently, to see whether
 * answers hold up for voices outside the generator's voice bank: every pair of the chosen splits
 * gets a new user.wav (answers, metadata and the train split stay as they are, so the copy is
 * evaluated exactly like the original).
 */
@Command(name = "perturb-questions", mixinStandardHelpOptions = true,
        description = "Copy a conversation folder with the questions of held-out splits re-spoken: faster or slower "
                + "(pitch and tempo), resampled through a lower rate, or by another espeak-ng voice.")
public final class PerturbQuestions implements Callable<Integer> {

    @Option(names = {"--data_dir", "--data-dir"}, required = true, description = "Conversation folder to copy.")
    Path dataDir;

    @Option(names = {"--output_dir", "--output-dir"}, required = true, description = "The new folder (must not exist).")
    Path outputDir;

    @Option(names = "--kind", required = true,
            description = "speed:F (play F times faster: pitch and tempo x F), resample:RATE (down to RATE Hz and back), "
                    + "or voice:NAME (espeak-ng voice NAME, e.g. te+Andy, reading the question text).")
    String kind;

    @Option(names = "--split", split = ",", defaultValue = "val,test-voice,test-paraphrase,test-slot",
            description = "Splits whose questions change (default: ${DEFAULT-VALUE}).")
    List<String> splits;

    /** --quiet, --log-level and the version (every command has them). */
    @CommandLine.Mixin
    CommonFlags common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        String[] parts = kind.split(":", 2);
        if (parts.length != 2 || !List.of("speed", "resample", "voice").contains(parts[0])) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--kind must be speed:F, resample:RATE or voice:NAME, got '" + kind + "'");
        }
        if (Files.exists(outputDir)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--output_dir " + outputDir + " exists already");
        }
        List<Split> chosen = splits.stream().map(Split::fromId).toList();
        ConversationCorpus corpus = ConversationCorpus.open(dataDir);
        copyTree(dataDir, outputDir);
        int rate = 16_000, changed = 0;
        EspeakSynthesizer espeak = parts[0].equals("voice") ? new EspeakSynthesizer() : null;
        for (ConversationPair pair : corpus.pairs()) {
            if (!chosen.contains(pair.split())) {
                continue;
            }
            Path target = outputDir.resolve(dataDir.relativize(pair.userWav()));
            switch (parts[0]) {
                case "speed" -> {
                    double factor = Double.parseDouble(parts[1]);
                    // Read as if recorded at rate * factor, so played at rate it is factor times faster and higher.
                    float[] pcm = AudioIO.readMono(pair.userWav(), rate);
                    WavWriter.writePcm16(target, Resampler.resample(pcm, (int) Math.round(rate * factor), rate), rate);
                }
                case "resample" -> {
                    int low = Integer.parseInt(parts[1]);
                    float[] pcm = AudioIO.readMono(pair.userWav(), rate);
                    WavWriter.writePcm16(target, Resampler.resample(Resampler.resample(pcm, rate, low), low, rate), rate);
                }
                default -> {
                    String question = pair.meta().map(PairMeta::question).orElseThrow(() ->
                            new IllegalArgumentException(pair.id() + ": no meta.json with the question text"));
                    espeak.synthesize(question, new Voice(parts[1], 150, 50), target);
                }
            }
            changed++;
        }
        spec.commandLine().getOut().printf(Locale.ROOT, "%s of %s re-spoken (%s) in %s%n", Words.count(changed, "question"), chosen, kind,
                outputDir);
        return 0;
    }

    /** Copies everything but the code cache (the questions change, so their codes must be made anew). */
    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path rel = from.relativize(p);
                if (rel.toString().startsWith(".codes")) {
                    continue;
                }
                Path dest = to.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
