package dev.samvaad.dataset;

import dev.samvaad.audio.AudioFileException;
import dev.samvaad.codec.CodeLayout;
import dev.samvaad.io.Words;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An immutable list of {@link CodePair}s, all with the same {@code Q} codebooks of {@code K}
 * codes: a conversation corpus turned into codec codes, ready for {@link BatchBuilder}.
 *
 * <pre>{@code
 * CodeCache cache = new CodeCache(Path.of("data/code-cache"), codec);
 * PairDataset data = PairDataset.conversation(ConversationCorpus.open(Path.of("data/conversations")), cache, 4);
 * List<Batch> batches = new BatchBuilder(data, Split.TRAIN, BatchBuilder.Options.defaults()).epoch(0);
 * }</pre>
 *
 * The code arrays are shared with the pairs' creator and with each other (a reconstruction pair's
 * input and target are one array); nobody may modify them.
 */
public final class PairDataset {
    private static final Logger LOG = LoggerFactory.getLogger(PairDataset.class);

    /** What the model learns from the pairs. */
    public enum Task {
        /** Input = the user's turn, target = the assistant's answer. */
        CONVERSATION,
        /** Input = target = one turn: the model learns to reproduce codes (an autoencoder check). */
        RECONSTRUCTION
    }

    private final List<CodePair> pairs;
    private final CodeLayout layout;
    private final Task task;
    private final List<String> problems;

    private PairDataset(List<CodePair> pairs, int codebooks, int codebookSize, Task task, List<String> problems) {
        Objects.requireNonNull(task, "task");
        this.layout = new CodeLayout(codebooks, codebookSize);
        this.pairs = List.copyOf(pairs);
        for (CodePair pair : this.pairs) {
            layout.requireCodes("input of " + pair.id(), pair.input());
            layout.requireCodes("target of " + pair.id(), pair.target());
        }
        this.task = task;
        this.problems = List.copyOf(problems);
    }

    /**
     * A dataset of pairs whose codes come from elsewhere.
     *
     * @param pairs        the pairs (their arrays are shared, not copied)
     * @param codebooks    {@code Q}, codebooks of every pair
     * @param codebookSize {@code K}, codes per codebook
     * @param task         what the pairs teach
     * @return the dataset
     * @throws IllegalArgumentException if a pair has other than {@code codebooks} codebooks, or
     *     a code outside {@code [0, codebookSize)}
     */
    public static PairDataset of(List<CodePair> pairs, int codebooks, int codebookSize, Task task) {
        return new PairDataset(pairs, codebooks, codebookSize, task, List.of());
    }

    /**
     * One pair per conversation: input = user.wav's codes, target = assistant.wav's codes, id =
     * the pair's id, in corpus order. A pair whose audio cannot be read is left out and named in
     * {@link #problems()}.
     *
     * @param corpus  the conversation pairs
     * @param cache   encodes each file once, under its codec
     * @param workers threads that read and encode audio at once
     * @return the dataset, with the cache's codec's {@code Q} and {@code K}
     * @throws IllegalArgumentException if {@code workers < 1}
     */
    public static PairDataset conversation(ConversationCorpus corpus, CodeCache cache, int workers) {
        List<Job> jobs = corpus.pairs().stream()
                .map(p -> new Job(p.id(), p.split(), p.userWav(), p.assistantWav()))
                .toList();
        return encode(Task.CONVERSATION, jobs, cache, workers);
    }

    /**
     * One pair per audio file: each user.wav and assistant.wav is the input and the target of a
     * pair with id {@code <pair id>/user} or {@code <pair id>/assistant}, in corpus order. A file
     * that cannot be read costs only its own pair.
     *
     * @param corpus  the conversation pairs
     * @param cache   encodes each file once, under its codec
     * @param workers threads that read and encode audio at once
     * @return the dataset, with the cache's codec's {@code Q} and {@code K}
     * @throws IllegalArgumentException if {@code workers < 1}
     */
    public static PairDataset reconstruction(ConversationCorpus corpus, CodeCache cache, int workers) {
        List<Job> jobs = new ArrayList<>();
        for (ConversationPair p : corpus.pairs()) {
            jobs.add(new Job(p.id() + "/user", p.split(), p.userWav(), p.userWav()));
            jobs.add(new Job(p.id() + "/assistant", p.split(), p.assistantWav(), p.assistantWav()));
        }
        return encode(Task.RECONSTRUCTION, jobs, cache, workers);
    }

    /** {@return every pair, in dataset order} */
    public List<CodePair> pairs() {
        return pairs;
    }

    /**
     * The pairs of one split.
     *
     * @param split the split
     * @return its pairs, in dataset order
     */
    public List<CodePair> pairs(Split split) {
        return pairs.stream().filter(p -> p.split() == split).toList();
    }

    /** {@return the layout of every pair's codes: {@code Q} codebooks of {@code K} codes, and the specials after them} */
    public CodeLayout layout() {
        return layout;
    }

    /** {@return {@code Q}, the codebooks of every pair} */
    public int codebooks() {
        return layout.codebooks();
    }

    /** {@return {@code K}, codes per codebook (the specials of {@link CodeLayout} come after them)} */
    public int codebookSize() {
        return layout.codebookSize();
    }

    /** {@return what the pairs teach: conversation or reconstruction} */
    public Task task() {
        return task;
    }

    /**
     * Pairs left out because their audio could not be read, each as {@code "<id>: <reason>"}.
     * Folders the corpus itself rejected are in {@link ConversationCorpus#problems()}.
     *
     * @return the problems, in corpus order
     */
    public List<String> problems() {
        return problems;
    }

    /** One pair to encode; input and target are the same file for reconstruction. */
    private record Job(String id, Split split, Path inputWav, Path targetWav) {
        CodePair encode(CodeCache cache) {
            int[][] input = cache.codes(inputWav);
            int[][] target = inputWav.equals(targetWav) ? input : cache.codes(targetWav);
            return new CodePair(id, split, input, target);
        }
    }

    private static PairDataset encode(Task task, List<Job> jobs, CodeCache cache, int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, got " + workers);
        }
        int hitsBefore = cache.hits();
        int missesBefore = cache.misses();
        List<CodePair> pairs = new ArrayList<>(jobs.size());
        List<String> problems = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(workers, jobs.size())),
                daemonThreads());
        try {
            List<Future<CodePair>> futures = jobs.stream().map(j -> pool.submit(() -> j.encode(cache))).toList();
            // Collected in submission order, so the dataset's order does not depend on timing.
            for (int i = 0; i < futures.size(); i++) {
                try {
                    pairs.add(futures.get(i).get());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof AudioFileException unreadable)) {
                        throw unchecked(e.getCause());
                    }
                    String problem = jobs.get(i).id() + ": " + unreadable.getMessage();
                    LOG.warn("skipping {}", problem);
                    problems.add(problem);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while encoding " + jobs.size() + " pairs");
        } finally {
            pool.shutdownNow();
        }
        LOG.info("{} of codes ({} from the cache, {} encoded, {} unreadable)",
                Words.count(pairs.size(), task.name().toLowerCase(Locale.ROOT) + " pair"), cache.hits() - hitsBefore,
                cache.misses() - missesBefore, problems.size());
        return new PairDataset(pairs, cache.codec().codebooks(), cache.codec().codebookSize(), task, problems);
    }

    private static RuntimeException unchecked(Throwable cause) {
        if (cause instanceof Error error) {
            throw error;
        }
        return cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            // Daemon: a caller that gives up on an interrupted build must not keep the JVM alive.
            Thread t = new Thread(r, "pair-dataset-encode-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
