package dev.samvaad.examples;

import dev.samvaad.codec.CodecTrainer;
import dev.samvaad.dataset.ConversationCorpus;
import dev.samvaad.dataset.ConversationPair;
import dev.samvaad.dataset.Split;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The WAV files a codec command works on: a whole folder, or the pairs of some splits of a conversation folder. */
final class AudioSelection {
    private AudioSelection() {}

    /** Which recordings of a conversation pair to take. */
    enum Side { USER, ASSISTANT, BOTH }

    /**
     * @param dir    any folder of WAVs, or a conversation folder
     * @param splits when given, only WAVs of pairs in these splits
     * @param side   which recordings of those pairs
     * @param max    at most this many files (the first ones, sorted), or null for all
     */
    static List<Path> select(Path dir, List<String> splits, Side side, Integer max) {
        if (max != null && max < 1) {
            throw new IllegalArgumentException("--max_files must be at least 1, got " + max);
        }
        List<Path> wavs;
        if (splits == null || splits.isEmpty()) {
            wavs = CodecTrainer.findWavs(dir);
        } else {
            List<Split> wanted = splits.stream().map(Split::fromId).toList();
            wavs = new ArrayList<>();
            for (ConversationPair pair : ConversationCorpus.open(dir).pairs()) {
                if (wanted.contains(pair.split())) {
                    if (side != Side.ASSISTANT) {
                        wavs.add(pair.userWav());
                    }
                    if (side != Side.USER) {
                        wavs.add(pair.assistantWav());
                    }
                }
            }
            if (wavs.isEmpty()) {
                throw new IllegalArgumentException(dir + ": no conversation pairs in split(s) " + splits
                        + (Files.exists(dir.resolve("dataset.json")) ? "" : " (is it a conversation folder?)"));
            }
        }
        return max == null ? wavs : wavs.subList(0, Math.min(max, wavs.size()));
    }
}
