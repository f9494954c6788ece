package dev.samvaad.examples;

import dev.samvaad.infer.ModelFolder;
import java.nio.file.Path;

/**
 * The codec of {@code agent}, {@code evaluate} and {@code web}: the one {@code --codec} names, or,
 * when it is left out, the one that travels with the model ({@code codec.smvd}, which {@code train}
 * keeps in the run folder; {@link ModelFolder#codecFile}). Loading the model checks either
 * against the codec the model was trained with.
 */
final class ModelCodec {
    /** The description of {@code --codec} in these commands' help. */
    static final String HELP = "Codec checkpoint the model was trained with (default: the codec.smvd that train "
            + "keeps in the run folder).";

    private ModelCodec() {}

    /**
     * {@code codec} when given, else the codec file that travels with {@code model}.
     *
     * @throws IllegalArgumentException naming the model folder when neither is there
     */
    static Path of(Path codec, Path model) {
        if (codec != null) {
            return codec;
        }
        return ModelFolder.codecFile(model).orElseThrow(() -> new IllegalArgumentException(model + ": no "
                + ModelFolder.CODEC_FILE + " in the model folder or its run folder (a run trained before the codec "
                + "travelled with the model?); give --codec"));
    }
}
