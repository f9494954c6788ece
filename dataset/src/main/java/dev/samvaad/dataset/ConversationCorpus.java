package dev.samvaad.dataset;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.samvaad.audio.AudioFileException;
import dev.samvaad.audio.WavReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The conversation pairs in a folder (../shared/DESIGN.md layout): every sub-folder that holds a
 * {@code user.wav} or an {@code assistant.wav} is a pair. meta.json is optional (users' own
 * recordings, seed option A). A bad pair (a missing half, an unreadable WAV header, a broken
 * meta.json) is reported by name in {@link #problems()} and left out; it does not stop the rest.
 */
public final class ConversationCorpus {
    private static final Logger LOG = LoggerFactory.getLogger(ConversationCorpus.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A pair folder that could not be used, and why.
     *
     * @param folder the pair folder
     * @param reason what is wrong with it
     */
    public record Problem(Path folder, String reason) {
        @Override
        public String toString() {
            return folder + ": " + reason;
        }
    }

    private final Path root;
    private final List<ConversationPair> pairs;
    private final List<Problem> problems;

    private ConversationCorpus(Path root, List<ConversationPair> pairs, List<Problem> problems) {
        this.root = root;
        this.pairs = List.copyOf(pairs);
        this.problems = List.copyOf(problems);
    }

    /**
     * Reads the pairs under {@code dir}, sorted by folder name.
     *
     * @param dir a folder of conversation pair folders
     * @return the usable pairs and the problems found
     * @throws UncheckedIOException if {@code dir} is not a readable folder
     */
    public static ConversationCorpus open(Path dir) {
        if (!Files.isDirectory(dir)) {
            String problem = dir + (Files.exists(dir) ? ": not a folder of conversation pairs" : ": no such folder");
            throw new UncheckedIOException(problem, new IOException(problem));
        }
        List<Path> folders;
        try (Stream<Path> list = Files.list(dir)) {
            folders = list.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot list: " + e.getMessage(), e);
        }
        List<ConversationPair> pairs = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        for (Path folder : folders) {
            boolean hasUser = Files.exists(folder.resolve(ConversationPair.USER_WAV));
            boolean hasAssistant = Files.exists(folder.resolve(ConversationPair.ASSISTANT_WAV));
            if (!hasUser && !hasAssistant) {
                continue; // not a pair folder (e.g. a cache)
            }
            checkPair(folder, hasUser, hasAssistant).ifPresentOrElse(problems::add, () -> {
                try {
                    pairs.add(new ConversationPair(folder.getFileName().toString(), folder, readMeta(folder)));
                } catch (IOException e) {
                    problems.add(new Problem(folder, "unreadable meta.json: " + e.getMessage()));
                }
            });
        }
        problems.forEach(p -> LOG.warn("skipping pair {}", p));
        return new ConversationCorpus(dir, pairs, problems);
    }

    private static Optional<Problem> checkPair(Path folder, boolean hasUser, boolean hasAssistant) {
        if (!hasUser || !hasAssistant) {
            return Optional.of(new Problem(folder, "missing " + (hasUser ? ConversationPair.ASSISTANT_WAV
                    : ConversationPair.USER_WAV)));
        }
        for (String name : List.of(ConversationPair.USER_WAV, ConversationPair.ASSISTANT_WAV)) {
            try {
                WavReader.probe(folder.resolve(name));
            } catch (AudioFileException e) {
                return Optional.of(new Problem(folder, "unreadable audio: " + e.getMessage()));
            }
        }
        return Optional.empty();
    }

    /** Parses meta.json when present. */
    static Optional<PairMeta> readMeta(Path folder) throws IOException {
        Path meta = folder.resolve(ConversationPair.META_JSON);
        if (!Files.exists(meta)) {
            return Optional.empty();
        }
        PairMeta parsed = JSON.readValue(meta.toFile(), PairMeta.class);
        if (parsed == null || parsed.split() == null) {
            throw new IOException("no \"split\" field");
        }
        return Optional.of(parsed);
    }

    /** {@return the folder the pairs were read from} */
    public Path root() {
        return root;
    }

    /** {@return the usable pairs, sorted by folder name} */
    public List<ConversationPair> pairs() {
        return pairs;
    }

    /**
     * The pairs of one split.
     *
     * @param split the split
     * @return its usable pairs, sorted by folder name
     */
    public List<ConversationPair> pairs(Split split) {
        return pairs.stream().filter(p -> p.split() == split).toList();
    }

    /** {@return the folders that look like pairs but cannot be used, with the reason} */
    public List<Problem> problems() {
        return problems;
    }

    /** {@return the number of usable pairs per split, every split present} */
    public Map<Split, Integer> countBySplit() {
        Map<Split, Integer> counts = new EnumMap<>(Split.class);
        for (Split s : Split.values()) {
            counts.put(s, 0);
        }
        pairs.forEach(p -> counts.merge(p.split(), 1, Integer::sum));
        return counts;
    }
}
