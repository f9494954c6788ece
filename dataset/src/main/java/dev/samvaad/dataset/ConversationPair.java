package dev.samvaad.dataset;

import java.nio.file.Path;
import java.util.Optional;

/**
 * One conversation pair on disk: a folder with {@code user.wav} (the question) and
 * {@code assistant.wav} (the answer), and, for generated data, {@code meta.json}.
 *
 * @param id        the folder name, e.g. {@code conv_000001}
 * @param folder    the folder
 * @param meta      the parsed meta.json, or empty for users' own recordings without one
 */
public record ConversationPair(String id, Path folder, Optional<PairMeta> meta) {
    /** The question's file name in a pair folder. */
    public static final String USER_WAV = "user.wav";
    /** The answer's file name in a pair folder. */
    public static final String ASSISTANT_WAV = "assistant.wav";
    /** The metadata's file name in a pair folder. */
    public static final String META_JSON = "meta.json";

    /** {@return the question, {@code folder/user.wav}} */
    public Path userWav() {
        return folder.resolve(USER_WAV);
    }

    /** {@return the answer, {@code folder/assistant.wav}} */
    public Path assistantWav() {
        return folder.resolve(ASSISTANT_WAV);
    }

    /** {@return the split from meta.json; pairs without one count as {@link Split#TRAIN}} */
    public Split split() {
        return meta.map(PairMeta::split).orElse(Split.TRAIN);
    }
}
