package dev.samvaad.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** Test helpers: a folder's files by relative path and content digest, and an in-process Spark. */
final class Trees {
    private Trees() {
    }

    /** Every file under {@code root} (relative path -> SHA-256 of its bytes), those {@code skip} names left out. */
    static Map<String, String> files(Path root, Predicate<String> skip) {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                String rel = root.relativize(f).toString();
                if (!skip.test(rel)) {
                    out.put(rel, sha256(Files.readAllBytes(f)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Every file under {@code root}. */
    static Map<String, String> files(Path root) {
        return files(root, rel -> false);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Spark in this JVM with two task threads, its UI off. */
    static JavaSparkContext localSpark(String app) {
        return new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName(app)
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1"));
    }

    /** Whether espeak-ng runs here. */
    static boolean espeakInstalled() {
        try {
            Process p = new ProcessBuilder("espeak-ng", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
