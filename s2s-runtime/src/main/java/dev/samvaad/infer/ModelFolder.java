package dev.samvaad.infer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The files of a trained model on disk. A training run folder holds the codec its model was
 * trained with ({@value #CODEC_FILE}) and checkpoint folders ({@code best/}, {@code last/}); a
 * checkpoint folder holds {@value #MODEL_JSON} (its record), {@value #WEIGHTS_FILE} (the weights
 * the pure-Java decoder reads, {@link WeightsFile}) and, for training to resume from, the SameDiff
 * graph with its optimiser state ({@code model.sd}, read by {@code s2s-model}'s
 * {@code ModelCheckpoint} only).
 */
public final class ModelFolder {
    /** The codec file a training run folder keeps beside its checkpoints ({@code RUN/codec.smvd}). */
    public static final String CODEC_FILE = "codec.smvd";
    /** The record of a checkpoint folder: its format, task, codec fingerprint, config and metrics. */
    public static final String MODEL_JSON = "model.json";
    /** The weights of a checkpoint folder, for inference ({@link WeightsFile}). */
    public static final String WEIGHTS_FILE = "weights.smvd";

    private ModelFolder() {}

    /**
     * The checkpoint folder a user means by {@code dir}: {@code dir} itself when it is one
     * ({@link #isCheckpointFolder}), else its {@code best/} when that is (a training run folder),
     * else its {@code last/} when that is (a run without a validation split, whose trainer writes no
     * {@code best/}), else {@code dir}, whose loading then says what is wrong with it.
     *
     * @param dir a checkpoint folder or a training run folder
     * @return the checkpoint folder to load
     */
    public static Path resolve(Path dir) {
        if (isCheckpointFolder(dir)) {
            return dir;
        }
        return Stream.of("best", "last").map(dir::resolve).filter(ModelFolder::isCheckpointFolder)
                .findFirst().orElse(dir);
    }

    /**
     * Whether {@code dir} is a checkpoint folder, such as a run's {@code best/}, rather than a
     * training run folder: it holds a {@value #MODEL_JSON} (as training writes it) or a
     * {@value #WEIGHTS_FILE} (all that inference needs, e.g. a model shipped without its training
     * state).
     *
     * @param dir a folder
     * @return true for a checkpoint folder
     */
    public static boolean isCheckpointFolder(Path dir) {
        return Files.isRegularFile(dir.resolve(MODEL_JSON)) || Files.isRegularFile(dir.resolve(WEIGHTS_FILE));
    }

    /**
     * The codec that travels with a model: {@code DIR/codec.smvd} (a training run folder, or a
     * checkpoint folder given its own), else, when {@code dir} is a checkpoint folder, its run
     * folder's {@code codec.smvd}. The file is not read: loading the model with it still checks
     * that it is the codec the model was trained with.
     *
     * @param dir a checkpoint folder or a training run folder
     * @return the codec file, or empty when there is none
     */
    public static Optional<Path> codecFile(Path dir) {
        Path own = dir.resolve(CODEC_FILE);
        if (Files.isRegularFile(own)) {
            return Optional.of(own);
        }
        Path parent = dir.toAbsolutePath().normalize().getParent();
        if (parent != null && isCheckpointFolder(dir) && Files.isRegularFile(parent.resolve(CODEC_FILE))) {
            // As the user wrote the folder where that is plain (RUN/best -> RUN/codec.smvd).
            boolean plain = dir.getParent() != null && dir.normalize().equals(dir);
            return Optional.of(plain ? dir.resolveSibling(CODEC_FILE) : parent.resolve(CODEC_FILE));
        }
        return Optional.empty();
    }

    /**
     * The refusal of a codec the model was not trained with, naming the codec file when known and
     * the run's own codec.
     *
     * @param dir       the checkpoint folder
     * @param trained   the fingerprint of the codec the model was trained with
     * @param given     the fingerprint of the codec the caller gave
     * @param codecFile the file the given codec came from, or {@code null}
     * @return the message
     */
    public static String codecMismatch(Path dir, String trained, String given, Path codecFile) {
        String own = codecFile(dir).filter(f -> codecFile == null || !f.toAbsolutePath().normalize()
                .equals(codecFile.toAbsolutePath().normalize())).map(f -> " (the run's own is " + f + ")").orElse("");
        return dir + ": the model was trained on codes of codec " + trained + ", but "
                + (codecFile != null ? codecFile + " holds codec " : "the codec given is ") + given
                + "; use the codec it was trained with" + own;
    }
}
