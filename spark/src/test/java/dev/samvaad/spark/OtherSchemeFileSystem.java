package dev.samvaad.spark;

import java.net.URI;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The local disk under another scheme ({@code otherfs:///tmp/...}), so that the jobs take the path
 * they take on HDFS or S3A (Hadoop's create, rename and delete) rather than the one for local folders.
 * Registered by {@code spark.hadoop.fs.otherfs.impl}.
 */
public final class OtherSchemeFileSystem extends RawLocalFileSystem {
    static final String SCHEME = "otherfs";

    @Override
    public URI getUri() {
        return URI.create(SCHEME + ":///");
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }
}
