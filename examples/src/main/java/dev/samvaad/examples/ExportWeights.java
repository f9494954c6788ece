package dev.samvaad.examples;

import dev.samvaad.infer.ModelFolder;
import dev.samvaad.model.ModelCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Writes {@code weights.smvd}, what the pure-Java runtime reads, into checkpoints that training
 * saved before it wrote one (it does for every checkpoint now).
 */
@Command(name = "export-weights", mixinStandardHelpOptions = true,
        description = "Write weights.smvd (the weights the pure-Java agent reads, no ND4J needed) into a checkpoint "
                + "folder, or into best/ and last/ of a training run folder, from their model.sd.")
public final class ExportWeights implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "A checkpoint folder or a training run folder.")
    Path model;

    /** --quiet, --log-level and the version (every command has them). */
    @CommandLine.Mixin
    CommonFlags common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(Samvaad.configure(new CommandLine(new ExportWeights())).execute(args));
    }

    @Override
    public Integer call() {
        List<Path> checkpoints = new ArrayList<>();
        if (Files.isRegularFile(model.resolve(ModelFolder.MODEL_JSON))) {
            checkpoints.add(model);
        } else {
            Stream.of("best", "last").map(model::resolve).filter(d -> Files.isRegularFile(d.resolve(ModelFolder.MODEL_JSON)))
                    .forEach(checkpoints::add);
        }
        if (checkpoints.isEmpty()) {
            throw new IllegalArgumentException("--model " + model + ": no " + ModelFolder.MODEL_JSON
                    + " in it or in its best/ or last/: not a checkpoint folder or a training run folder");
        }
        for (Path dir : checkpoints) {
            spec.commandLine().getOut().println("wrote " + ModelCheckpoint.writeWeights(dir));
        }
        return 0;
    }
}
