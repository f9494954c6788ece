package dev.samvaad.spark;

import dev.samvaad.audio.AudioFileException;
import dev.samvaad.codec.RvqCodec;
import dev.samvaad.dataset.CodeCache;
import dev.samvaad.dataset.ConversationPair;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encodes a folder of conversation pairs into the code cache that
 * {@link dev.samvaad.dataset.PairDataset} reads, on a Spark cluster: the pair folders are spread
 * over partitions, the codec file is broadcast, and each executor encodes its pairs'
 * {@code user.wav} and {@code assistant.wav} with {@link CodeCache#encodeEntry} and stores each
 * entry at {@link CodeCache#entryName} under the cache folder, on any Hadoop file system. The
 * entries are byte for byte those that {@code PairDataset.conversation} would write on one machine
 * (same key, same CRC), so training finds them all cached.
 *
 * <p>Each entry is written atomically; an entry already there and valid is kept, a damaged one is
 * replaced. A pair that cannot be encoded (a missing half, an unreadable WAV) is reported by name
 * in the {@link Result} and costs no other pair.
 *
 * <pre>{@code
 * EncodeJob.Result result = EncodeJob.run(sc, EncodeJob.Options.of("hdfs:///data/conversations", "hdfs:///models/codec.smvd"));
 * }</pre>
 */
public final class EncodeJob {
    private static final Logger LOG = LoggerFactory.getLogger(EncodeJob.class);
    /** Where training looks for the cache of a pair folder: {@code <pairs>/.codes}. */
    public static final String DEFAULT_CACHE_FOLDER = ".codes";

    private EncodeJob() {
    }

    /**
     * What to encode.
     *
     * @param pairs      the folder of pair folders (URI or local path)
     * @param codec      the codec checkpoint file (URI or local path), as {@code train-codec} writes it
     * @param cache      the cache folder (URI or local path); training reads {@code <pairs>/.codes}
     * @param partitions Spark partitions the pair folders are spread over; 0 for the context's default parallelism
     * @serial exclude
     */
    public record Options(String pairs, String codec, String cache, int partitions) implements Serializable {
        private static final long serialVersionUID = 1L;

        /**
         * Checks the options.
         *
         * @param pairs      the folder of pair folders
         * @param codec      the codec file
         * @param cache      the cache folder
         * @param partitions Spark partitions, 0 for the default
         * @throws IllegalArgumentException naming the bad option
         */
        public Options {
            HadoopFiles.path(pairs);
            HadoopFiles.path(codec);
            HadoopFiles.path(cache);
            if (partitions < 0) {
                throw new IllegalArgumentException("--partitions must be at least 1 (0: Spark's default), got "
                        + partitions);
            }
        }

        /**
         * The pairs' own cache, {@code <pairs>/.codes}, where training looks for it.
         *
         * @param pairs the folder of pair folders
         * @param codec the codec file
         * @return the options
         */
        public static Options of(String pairs, String codec) {
            return new Options(pairs, codec, new Path(HadoopFiles.path(pairs), DEFAULT_CACHE_FOLDER).toString(), 0);
        }

        /**
         * @param n Spark partitions (0: the context's default parallelism)
         * @return these options with {@code n} partitions
         */
        public Options withPartitions(int n) {
            return new Options(pairs, codec, cache, n);
        }
    }

    /**
     * What an encoding job did.
     *
     * @param pairs    pair folders whose two files are both in the cache now
     * @param encoded  files encoded in this run
     * @param cached   files whose valid entry was already there
     * @param failed   pair folders that could not be encoded
     * @param failures the first 1000 of them, by folder name
     * @param fingerprint the codec's fingerprint (the cache's subfolder)
     * @param elapsed  wall time of the run
     */
    public record Result(int pairs, int encoded, int cached, int failed, List<PairFailure> failures, String fingerprint,
            Duration elapsed) {
        /**
         * Copies the list.
         *
         * @param pairs    pairs now complete in the cache
         * @param encoded  files encoded
         * @param cached   files already cached
         * @param failed   pairs that failed
         * @param failures those listed
         * @param fingerprint the codec's fingerprint
         * @param elapsed  wall time
         */
        public Result {
            failures = List.copyOf(failures);
        }

        /** {@return pairs whose files were encoded or found cached, per second of wall time} */
        public double pairsPerSecond() {
            double s = elapsed.toNanos() / 1e9;
            return s > 0 ? pairs / s : 0;
        }

        /** {@return a few lines for the console} */
        public String describe() {
            return String.format("codec %s: %d pairs in the cache (%d files encoded now, %d already cached), %.1f s, "
                    + "%.1f pairs/s%n%s", fingerprint, pairs, encoded, cached, elapsed.toMillis() / 1000.0,
                    pairsPerSecond(), Failures.lines(failed, failures));
        }
    }

    /**
     * Encodes every pair folder's files that the cache does not hold yet.
     *
     * @param sc      the Spark context
     * @param options what to encode
     * @return what was encoded, kept and failed
     * @throws UncheckedIOException naming the folder or file when the pairs cannot be listed or the
     *     codec file read
     * @throws dev.samvaad.io.CheckpointException naming the codec file when it is not a codec
     */
    public static Result run(JavaSparkContext sc, Options options) {
        long start = System.nanoTime();
        HadoopFiles files = new HadoopFiles(sc.hadoopConfiguration());
        Path pairs = files.qualify(HadoopFiles.path(options.pairs()));
        Path codecFile = files.qualify(HadoopFiles.path(options.codec()));
        String cacheUri = files.qualify(HadoopFiles.path(options.cache())).toString();
        byte[] codecBytes;
        List<String> folders = new ArrayList<>();
        try {
            codecBytes = files.read(codecFile);
            if (!files.fs(pairs).getFileStatus(pairs).isDirectory()) {
                throw new UncheckedIOException(new IOException(pairs + ": not a folder of conversation pairs"));
            }
            for (FileStatus status : files.list(pairs)) {
                if (status.isDirectory()) {
                    folders.add(status.getPath().getName());
                }
            }
        } catch (java.io.FileNotFoundException e) {
            throw new UncheckedIOException(e.getMessage().contains(codecFile.toString()) ? codecFile + ": no such codec file"
                    : pairs + ": no such folder", e);
        } catch (IOException e) {
            throw new UncheckedIOException(pairs + ": " + e.getMessage(), e);
        }
        folders.sort(Comparator.naturalOrder());
        String fingerprint = loadCodec(codecBytes, codecFile.toString()).fingerprint();
        Broadcast<byte[]> codec = sc.broadcast(codecBytes);
        String pairsUri = pairs.toString();
        String codecName = codecFile.toString();
        int partitions = Math.max(1, Math.min(options.partitions() > 0 ? options.partitions() : sc.defaultParallelism(),
                folders.size()));
        LOG.info("encoding {} folders of {} with codec {} into {} over {} partitions", folders.size(), pairs,
                fingerprint, cacheUri, partitions);
        List<Tally> tallies = sc.parallelize(folders, partitions)
                .mapPartitions((Iterator<String> it) -> List.of(encodePairs(files, pairsUri, cacheUri,
                        codec.value(), codecName, it)).iterator())
                .collect();
        codec.destroy();
        Tally total = new Tally();
        tallies.forEach(total::add);
        return new Result(total.pairs, total.encoded, total.cached, total.failures.count(), total.failures.listed(),
                fingerprint,
                Duration.ofNanos(System.nanoTime() - start));
    }

    /** The codec in these bytes, through a temporary file (codec files are read from a path). */
    static RvqCodec loadCodec(byte[] bytes, String name) {
        java.nio.file.Path temp = null;
        try {
            temp = Files.createTempFile("samvaad-codec-", ".smvd");
            Files.write(temp, bytes);
            return RvqCodec.load(temp);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the codec " + name + " to a local file: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException e) {
                    LOG.debug("cannot delete {}", temp, e);
                }
            }
        }
    }

    private static Tally encodePairs(HadoopFiles files, String pairsUri, String cacheUri, byte[] codecBytes,
            String codecName, Iterator<String> folders) throws IOException {
        Tally tally = new Tally();
        if (!folders.hasNext()) {
            return tally;
        }
        java.nio.file.Path scratch = Files.createTempDirectory("samvaad-encode-");
        try {
            // Nothing is written to the local folder: the cache computes keys and entries only.
            CodeCache cache = new CodeCache(scratch, loadCodec(codecBytes, codecName));
            Path root = new Path(pairsUri);
            Path cacheRoot = new Path(cacheUri);
            while (folders.hasNext()) {
                String name = folders.next();
                Path folder = new Path(root, name);
                try {
                    encodePair(files, cache, folder, cacheRoot, tally);
                } catch (AudioFileException | IOException | IllegalStateException e) {
                    LOG.warn("pair {} failed: {}", folder, e.getMessage());
                    tally.failures.add(new PairFailure(name, -1, e.getMessage()));
                }
            }
        } finally {
            Files.deleteIfExists(scratch);
        }
        return tally;
    }

    private static void encodePair(HadoopFiles files, CodeCache cache, Path folder, Path cacheRoot, Tally tally)
            throws IOException {
        Path user = new Path(folder, ConversationPair.USER_WAV);
        Path assistant = new Path(folder, ConversationPair.ASSISTANT_WAV);
        boolean hasUser = files.isFile(user);
        boolean hasAssistant = files.isFile(assistant);
        if (!hasUser && !hasAssistant) {
            return; // not a pair folder (e.g. the cache itself), as ConversationCorpus sees it
        }
        if (!hasUser || !hasAssistant) {
            throw new IOException("missing " + (hasUser ? ConversationPair.ASSISTANT_WAV : ConversationPair.USER_WAV));
        }
        // In the order PairDataset encodes them: user, then assistant.
        for (Path wav : List.of(user, assistant)) {
            byte[] audio = files.read(wav);
            Path entry = new Path(cacheRoot, cache.entryName(audio));
            Optional<byte[]> existing = files.readIfPresent(entry);
            if (existing.isPresent() && cache.isValidEntry(existing.get())) {
                tally.cached++;
                continue;
            }
            if (existing.isPresent()) {
                LOG.warn("code cache entry {} is unusable; re-encoding {}", entry, wav);
            }
            files.writeAtomically(entry, cache.encodeEntry(audio, wav.toString()));
            tally.encoded++;
        }
        tally.pairs++;
    }

    /** What one task (or, added up, the job) did. */
    static final class Tally implements Serializable {
        private static final long serialVersionUID = 1L;
        int pairs;
        int encoded;
        int cached;
        final Failures failures = new Failures();

        void add(Tally other) {
            pairs += other.pairs;
            encoded += other.encoded;
            cached += other.cached;
            failures.addAll(other.failures);
        }
    }
}
