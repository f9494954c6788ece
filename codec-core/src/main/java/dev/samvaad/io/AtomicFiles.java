package dev.samvaad.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes files so that a reader sees the old content or the complete new content, never a
 * half-written file, even if the process is killed mid-write: the bytes go to a temporary file
 * in the same folder, are forced to disk, and the file then replaces the target by an atomic
 * rename.
 */
public final class AtomicFiles {

    /** Writes the content of one file. */
    @FunctionalInterface
    public interface Writer {
        /**
         * Writes the content.
         *
         * @param out the temporary file's stream; flushed and closed by {@link AtomicFiles}
         * @throws IOException when writing fails; the target is then left as it was
         */
        void write(OutputStream out) throws IOException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(AtomicFiles.class);
    /** Leaves room for the random suffix within the usual 255-byte file name limit. */
    private static final int MAX_NAME_PREFIX = 100;

    private AtomicFiles() {}

    /**
     * Writes {@code file} through {@code writer}, creating parent folders. On failure the
     * temporary file is removed and an existing {@code file} is left untouched. Exceptions other
     * than {@link IOException} thrown by {@code writer} propagate unchanged.
     *
     * @param file   the file to create or replace
     * @param writer writes the content
     * @throws UncheckedIOException naming the file when writing or renaming fails
     */
    public static void write(Path file, Writer writer) {
        Path target = file.toAbsolutePath();
        if (target.getFileName() == null || Files.isDirectory(target)) {
            throw new UncheckedIOException(file + ": is a directory, not a file",
                    new IOException("is a directory, not a file"));
        }
        Path temp = null;
        boolean moved = false;
        try {
            Files.createDirectories(target.getParent());
            Path tempPath = target.resolveSibling(tempName(target.getFileName().toString()));
            // Not Files.createTempFile: that makes the file owner-only, which the target would keep.
            try (FileChannel channel = FileChannel.open(tempPath, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                temp = tempPath; // only now is it ours to delete
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
                writer.write(out);
                out.flush();
                // On disk before the rename, so a crash cannot leave a truncated file in place.
                channel.force(true);
            }
            moveIntoPlace(temp, target);
            moved = true;
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot write: " + e.getMessage(), e);
        } finally {
            if (temp != null && !moved) {
                deleteQuietly(temp);
            }
        }
    }

    /**
     * Writes {@code bytes} to {@code file} atomically.
     *
     * @param file  the file to create or replace
     * @param bytes the whole content
     * @throws UncheckedIOException naming the file when writing or renaming fails
     */
    public static void write(Path file, byte[] bytes) {
        write(file, out -> out.write(bytes));
    }

    /**
     * Moves a finished file over {@code target}, atomically where the file system allows it.
     *
     * @param source the finished file, in the same folder as {@code target}
     * @param target the file to create or replace
     * @throws IOException when the move fails
     */
    public static void moveIntoPlace(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Deletes the temporary files that writes of {@code file} killed before their rename left
     * behind (hidden siblings named after it, ending in {@code .tmp}). Call it only where no other
     * process may be writing {@code file} at the same time.
     *
     * @param file the file whose leftover temporary files to delete
     * @return how many were deleted
     * @throws UncheckedIOException naming the folder when it cannot be listed or a file deleted
     */
    public static int deleteLeftoverTemporaries(Path file) {
        Path target = file.toAbsolutePath();
        Path parent = target.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            return 0;
        }
        String name = target.getFileName().toString();
        String prefix = "." + (name.length() > MAX_NAME_PREFIX ? name.substring(0, MAX_NAME_PREFIX) : name) + ".";
        int deleted = 0;
        try (java.util.stream.Stream<Path> list = Files.list(parent)) {
            for (Path p : list.toList()) {
                String n = p.getFileName().toString();
                if (n.startsWith(prefix) && n.endsWith(".tmp") && Files.isRegularFile(p)
                        && n.substring(prefix.length(), n.length() - 4).matches("[0-9a-z]{1,13}")) {
                    Files.deleteIfExists(p);
                    deleted++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(parent + ": cannot remove leftover temporary files: " + e.getMessage(), e);
        }
        return deleted;
    }

    /**
     * Deletes a folder and everything in it, deepest first (a scratch folder, or what an
     * interrupted save left); nothing when it does not exist.
     *
     * @param dir the folder (a file is deleted too)
     * @throws IOException when something in it cannot be deleted
     */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static String tempName(String fileName) {
        String prefix = fileName.length() > MAX_NAME_PREFIX ? fileName.substring(0, MAX_NAME_PREFIX) : fileName;
        return "." + prefix + "." + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp";
    }

    private static void deleteQuietly(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            LOG.warn("could not delete temporary file {}", temp, e);
        }
    }
}
