package dev.samvaad.dataset;

import dev.samvaad.audio.AudioFileException;
import dev.samvaad.audio.AudioIO;
import dev.samvaad.codec.AudioCodec;
import dev.samvaad.codec.CodeLayout;
import dev.samvaad.io.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The codes of audio files under one codec, kept on disk so that each file is encoded once.
 *
 * <p>An entry is keyed by the SHA-256 of the audio file's bytes and the codec's
 * {@link AudioCodec#fingerprint() fingerprint}, so an edited file or a retrained codec never
 * reuses a stale entry: {@code dir/<fingerprint>/<first 32 hex digits of the SHA-256>.codes}.
 * The entry format, all integers little-endian:
 *
 * <pre>
 * 8 bytes      magic "SMVDCODE" (ASCII)
 * int32        version, 1
 * int32        Q, codebooks
 * int32        T, frames
 * Q*T int32    codes, codebook by codebook: codes[0][0..T-1], codes[1][0..T-1], ...
 * int64        CRC32 of every byte before it (in the low 32 bits)
 * </pre>
 *
 * <p>Entries are written atomically ({@link AtomicFiles}). An entry that is corrupt or truncated
 * (bad magic or version, wrong length, CRC mismatch, a Q other than the codec's, codes outside
 * {@code [0, K)}) is never trusted: it is logged as a warning naming the file and rebuilt.
 *
 * <p>Thread-safe: any number of threads may ask for codes at once. Two threads asking for the
 * same new file may both encode it; both write the same entry, and the last rename wins.
 */
public final class CodeCache {
    private static final Logger LOG = LoggerFactory.getLogger(CodeCache.class);

    /** The first bytes of every entry. */
    public static final String MAGIC = "SMVDCODE";
    /** The entry format version written and read. */
    public static final int VERSION = 1;
    /** File name extension of an entry. */
    public static final String EXTENSION = ".codes";

    private static final byte[] MAGIC_BYTES = MAGIC.getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER_BYTES = MAGIC_BYTES.length + 3 * Integer.BYTES;
    private static final int CRC_BYTES = Long.BYTES;
    private static final int KEY_HEX_DIGITS = 32;
    /** A fingerprint becomes a folder name, so it must not be able to point elsewhere. */
    private static final Pattern SAFE_FOLDER_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");

    private final AudioCodec codec;
    private final CodeLayout layout;
    private final Path codecDir;
    private final AtomicInteger hits = new AtomicInteger();
    private final AtomicInteger misses = new AtomicInteger();
    private final AtomicInteger rebuilt = new AtomicInteger();

    /**
     * A cache in {@code dir} (created when the first entry is written) for {@code codec}.
     *
     * @param dir   the cache folder; entries go to a subfolder named after the codec's fingerprint
     * @param codec the codec whose codes the cache holds
     * @throws IllegalArgumentException if the codec's fingerprint cannot be a folder name
     */
    public CodeCache(Path dir, AudioCodec codec) {
        Objects.requireNonNull(dir, "dir");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.layout = CodeLayout.of(codec);
        String fingerprint = codec.fingerprint();
        if (fingerprint == null || !SAFE_FOLDER_NAME.matcher(fingerprint).matches()) {
            throw new IllegalArgumentException("codec fingerprint '" + fingerprint
                    + "' cannot name a cache folder (letters, digits, '.', '_', '-'; at most 128)");
        }
        this.codecDir = dir.resolve(fingerprint);
    }

    /** {@return the codec whose codes this cache holds} */
    public AudioCodec codec() {
        return codec;
    }

    /**
     * The codec's codes of {@code wav}, {@code [Q][T]}: from the cache when it holds a valid
     * entry for these bytes, else encoded (read as mono at the codec's rate, as
     * {@link dev.samvaad.audio.AudioIO#readMono} does) and stored. The caller may keep the
     * arrays; the cache does not hold on to them.
     *
     * @param wav an audio file
     * @return its codes, {@code [Q][T]}
     * @throws AudioFileException naming the file when it cannot be read or is not a usable WAV
     * @throws java.io.UncheckedIOException naming the entry when it cannot be written
     * @throws IllegalStateException if the codec gives codes that do not fit its own shape
     */
    public int[][] codes(Path wav) {
        byte[] audio = readAudio(wav);
        Path entry = entryFor(audio);
        try {
            int[][] cached = parse(Files.readAllBytes(entry));
            hits.incrementAndGet();
            return cached;
        } catch (NoSuchFileException e) {
            LOG.debug("no code cache entry for {}", wav);
        } catch (IOException | InvalidEntryException e) {
            LOG.warn("code cache entry {} is unusable ({}); re-encoding {}", entry, e.getMessage(), wav);
            rebuilt.incrementAndGet();
        }
        misses.incrementAndGet();
        // Encoded from the bytes that were hashed, so the entry matches its key even if the file
        // changes meanwhile.
        int[][] codes = encode(audio, wav.toString());
        AtomicFiles.write(entry, serialize(codes));
        return codes;
    }

    /** {@return the look-ups answered from a valid entry} */
    public int hits() {
        return hits.get();
    }

    /** {@return the look-ups that found no valid entry and so encoded the audio (or tried to), rebuilt ones included} */
    public int misses() {
        return misses.get();
    }

    /** {@return the misses whose entry existed but was unusable and was replaced} */
    public int rebuilt() {
        return rebuilt.get();
    }

    /** The entry file that holds (or would hold) the codes of a file with these bytes. */
    Path entryFor(byte[] audio) {
        return codecDir.resolve(entryFileName(audio));
    }

    /**
     * Where the entry for an audio file with these bytes lies, relative to the cache folder:
     * {@code <fingerprint>/<first 32 hex digits of the SHA-256>.codes}, with {@code /} between the
     * two, for a job that keeps the cache somewhere else than a local folder.
     *
     * @param audio the audio file's bytes
     * @return the entry's relative path
     */
    public String entryName(byte[] audio) {
        return codec.fingerprint() + "/" + entryFileName(audio);
    }

    /**
     * Encodes an audio file's bytes into the bytes of its entry, as {@link #codes} does on a miss
     * (the same bytes), without reading or writing the cache folder.
     *
     * @param audio  the audio file's bytes
     * @param source names the file in exceptions
     * @return the entry's bytes, to be stored at {@link #entryName}
     * @throws AudioFileException naming {@code source} when the bytes are not a usable WAV
     * @throws IllegalStateException if the codec gives codes that do not fit its own shape
     */
    public byte[] encodeEntry(byte[] audio, String source) {
        Objects.requireNonNull(audio, "audio");
        return serialize(encode(audio, Objects.requireNonNull(source, "source")));
    }

    /**
     * Whether these bytes are an entry this cache would trust: right magic, version, length,
     * CRC, codebooks and code range (what {@link #codes} checks before it uses one).
     *
     * @param entry an entry file's bytes
     * @return whether {@link #codes} would use it
     */
    public boolean isValidEntry(byte[] entry) {
        try {
            parse(Objects.requireNonNull(entry, "entry"));
            return true;
        } catch (InvalidEntryException e) {
            return false;
        }
    }

    private static String entryFileName(byte[] audio) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(audio);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
        return HexFormat.of().formatHex(digest, 0, KEY_HEX_DIGITS / 2) + EXTENSION;
    }

    private static byte[] readAudio(Path wav) {
        try {
            return Files.readAllBytes(wav);
        } catch (IOException e) {
            throw new AudioFileException(wav, "cannot read: " + e.getMessage(), e);
        }
    }

    private int[][] encode(byte[] audio, String wav) {
        float[] pcm = AudioIO.readMono(audio, wav, codec.sampleRate());
        int[][] codes = codec.encode(pcm);
        // Codes that break the codec's own layout are its bug, not a bad argument: not cached, not used.
        String what = "codec " + codec.fingerprint() + "'s codes of " + wav;
        if (codes == null) {
            throw new IllegalStateException(what + ": none");
        }
        try {
            layout.requireCodes(what, codes);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        return codes;
    }

    private static byte[] serialize(int[][] codes) {
        int q = codes.length;
        int t = codes[0].length;
        long size = HEADER_BYTES + 4L * q * t + CRC_BYTES;
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException(q + " x " + t + " codes are too many for one cache entry");
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
        buffer.put(MAGIC_BYTES).putInt(VERSION).putInt(q).putInt(t);
        for (int[] row : codes) {
            for (int c : row) {
                buffer.putInt(c);
            }
        }
        CRC32 crc = new CRC32();
        crc.update(buffer.array(), 0, buffer.position());
        buffer.putLong(crc.getValue());
        return buffer.array();
    }

    private int[][] parse(byte[] bytes) throws InvalidEntryException {
        if (bytes.length < HEADER_BYTES + CRC_BYTES) {
            throw new InvalidEntryException("truncated: " + bytes.length + " bytes");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (!Arrays.equals(bytes, 0, MAGIC_BYTES.length, MAGIC_BYTES, 0, MAGIC_BYTES.length)) {
            throw new InvalidEntryException("bad magic");
        }
        buffer.position(MAGIC_BYTES.length);
        int version = buffer.getInt();
        int q = buffer.getInt();
        int t = buffer.getInt();
        if (version != VERSION) {
            throw new InvalidEntryException("version " + version + ", expected " + VERSION);
        }
        if (q != codec.codebooks()) {
            throw new InvalidEntryException(q + " codebooks, the codec has " + codec.codebooks());
        }
        if (t < 0) {
            throw new InvalidEntryException(t + " frames");
        }
        long expected = HEADER_BYTES + 4L * q * t + CRC_BYTES;
        if (bytes.length != expected) {
            throw new InvalidEntryException(bytes.length + " bytes, " + q + " x " + t + " codes need " + expected);
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - CRC_BYTES);
        if (buffer.getLong(bytes.length - CRC_BYTES) != crc.getValue()) {
            throw new InvalidEntryException("CRC mismatch");
        }
        int[][] codes = new int[q][t];
        for (int[] row : codes) {
            for (int i = 0; i < t; i++) {
                row[i] = buffer.getInt();
            }
        }
        try {
            layout.requireCodes("codes", codes);
        } catch (IllegalArgumentException e) {
            throw new InvalidEntryException(e.getMessage());
        }
        return codes;
    }

    /** An entry that must not be trusted; the message says why. */
    private static final class InvalidEntryException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidEntryException(String reason) {
            super(reason, null, false, false);
        }
    }
}
