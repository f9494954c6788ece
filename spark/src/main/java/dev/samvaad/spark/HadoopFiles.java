package dev.samvaad.spark;

import dev.samvaad.io.AtomicFiles;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The files of a job's input and output on any Hadoop {@link FileSystem} (local, HDFS, S3A, ...),
 * written atomically: to a hidden temporary file beside the target, then renamed over it. A local
 * folder is written without Hadoop's {@code .crc} side files, so it holds exactly what the
 * single-machine commands write.
 *
 * <p>Serializable: the Hadoop configuration travels with it (as Hadoop's own Writable bytes), so an
 * executor reaches the file system with the driver's settings ({@code spark.hadoop.*} included).
 */
final class HadoopFiles implements Serializable {
    private static final long serialVersionUID = 1L;

    private final byte[] configuration;
    private transient Configuration conf;

    HadoopFiles(Configuration conf) {
        this.conf = new Configuration(conf);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            conf.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the Hadoop configuration: " + e.getMessage(), e);
        }
        this.configuration = bytes.toByteArray();
    }

    private Configuration conf() {
        if (conf == null) {
            Configuration c = new Configuration(false);
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(configuration))) {
                c.readFields(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the Hadoop configuration: " + e.getMessage(), e);
            }
            conf = c;
        }
        return conf;
    }

    /** A folder or file named by a URI or a plain local path, as Hadoop reads it. */
    static Path path(String uriOrPath) {
        if (uriOrPath == null || uriOrPath.isBlank()) {
            throw new IllegalArgumentException("a file system path is empty");
        }
        return new Path(uriOrPath);
    }

    /** The file system that holds {@code path}; a local one without checksum side files. */
    FileSystem fs(Path path) {
        try {
            FileSystem fs = path.getFileSystem(conf());
            return fs instanceof ChecksumFileSystem checksummed ? checksummed.getRawFileSystem() : fs;
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": no file system for it: " + e.getMessage(), e);
        }
    }

    /** {@code path} made absolute and qualified with its file system's scheme. */
    Path qualify(Path path) {
        FileSystem fs = fs(path);
        return fs.makeQualified(path);
    }

    /** The local folder or file {@code path} names, or empty when it lies on another file system. */
    Optional<java.nio.file.Path> local(Path path) {
        FileSystem fs = fs(path);
        return "file".equals(fs.getUri().getScheme())
                ? Optional.of(java.nio.file.Path.of(fs.makeQualified(path).toUri()))
                : Optional.empty();
    }

    boolean isFile(Path file) throws IOException {
        try {
            return fs(file).getFileStatus(file).isFile();
        } catch (FileNotFoundException e) {
            return false;
        }
    }

    /** The file's bytes, or empty when there is no such file. */
    Optional<byte[]> readIfPresent(Path file) throws IOException {
        try (InputStream in = fs(file).open(file)) {
            return Optional.of(in.readAllBytes());
        } catch (FileNotFoundException e) {
            return Optional.empty();
        }
    }

    byte[] read(Path file) throws IOException {
        try (InputStream in = fs(file).open(file)) {
            return in.readAllBytes();
        }
    }

    /**
     * Writes {@code bytes} to {@code file}: a hidden temporary file in the same folder, renamed over
     * the target, so a reader sees the old file, no file or the whole new one.
     */
    void writeAtomically(Path file, byte[] bytes) throws IOException {
        Optional<java.nio.file.Path> local = local(file);
        if (local.isPresent()) {
            // The single-machine code's own atomic write. Hadoop's local file system would set the
            // permissions of each new file by running chmod, a process per file, without its native library.
            try {
                AtomicFiles.write(local.get(), bytes);
                return;
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
        FileSystem fs = fs(file);
        Path temp = new Path(file.getParent(), "." + file.getName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (FSDataOutputStream out = fs.create(temp, true)) {
                out.write(bytes);
            }
            if (!fs.rename(temp, file)) {
                // HDFS and object stores do not rename onto an existing file: replace it.
                fs.delete(file, false);
                if (!fs.rename(temp, file)) {
                    throw new IOException("cannot rename " + temp + " to " + file);
                }
            }
        } finally {
            fs.delete(temp, false);
        }
    }

    /** Copies a local file to {@code target} atomically. */
    void upload(java.nio.file.Path local, Path target) throws IOException {
        writeAtomically(target, java.nio.file.Files.readAllBytes(local));
    }

    /** Deletes the plain files directly in {@code folder} (none when it does not exist). */
    void clearFiles(Path folder) throws IOException {
        FileSystem fs = fs(folder);
        for (FileStatus status : list(folder)) {
            if (status.isFile()) {
                fs.delete(status.getPath(), false);
            }
        }
    }

    /** The entries of {@code folder}, none when it does not exist. */
    List<FileStatus> list(Path folder) throws IOException {
        try {
            return List.of(fs(folder).listStatus(folder));
        } catch (FileNotFoundException e) {
            return new ArrayList<>();
        }
    }
}
