package dev.samvaad.examples;

import dev.samvaad.tensor.FloatKernels;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Reports what this machine gives Samvaad: JVM, cores, the tensor kernels in use, the ND4J
 * backend the build chose (CPU or CUDA), and whether espeak-ng is installed.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Show the JVM, tensor kernels, ND4J backend and external tools this machine has.")
public final class Doctor implements Callable<Integer> {

    /** --quiet, --log-level and the version (every command has them). */
    @CommandLine.Mixin
    CommonFlags common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(Samvaad.configure(new CommandLine(new Doctor())).execute(args));
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Runtime rt = Runtime.getRuntime();
        out.printf("samvaad        %s%n", Samvaad.version());
        out.printf("java           %s (%s)%n", System.getProperty("java.version"), System.getProperty("java.vm.name"));
        out.printf("cores          %d%n", rt.availableProcessors());
        out.printf("max heap       %d MiB%n", rt.maxMemory() >> 20);
        out.printf("tensor kernels %s%s%n", FloatKernels.best().name(), FloatKernels.vectorized().isPresent()
                ? "" : " (start the JVM with --add-modules jdk.incubator.vector for SIMD)");
        out.printf("nd4j backend   %s%n", nd4jBackend());
        out.printf("espeak-ng      %s%n", toolVersion("espeak-ng", "--version"));
        out.println("optional tools:");
        optional(out, "opusenc", "opus-tools", "codec-eval's Opus 6 kbps reference (with opusdec)", "--version", "opusenc");
        optional(out, "c2enc", "codec2", "codec-eval's Codec2 3200 reference (with c2dec)", null, "c2enc");
        optional(out, "chromium", "chromium", "the web demo's browser test (with chromedriver)", null,
                "chromium", "chromium-browser", "google-chrome");
        optional(out, "chromedriver", "chromium-driver", "the web demo's browser test (with chromium)", "--version",
                "chromedriver");
        out.flush();
        return 0;
    }

    /**
     * One optional tool's line: what it enables, then its version (with {@code versionFlag}) or
     * path, or how to install it. {@code names}: the executables that count as the tool.
     */
    private static void optional(PrintWriter out, String tool, String aptPackage, String enables, String versionFlag,
            String... names) {
        String found = onPath(names);
        String status;
        if (found == null) {
            status = "not installed (apt-get install -y " + aptPackage + ")";
        } else {
            String version = versionFlag == null ? "exit" : toolVersion(found, versionFlag);
            status = version.startsWith("exit") || version.startsWith("no answer") || version.startsWith("interrupted")
                    ? "installed (" + found + ")" : version.length() > 60 ? version.substring(0, 60) + "..." : version;
        }
        out.printf("  %-13s%s: %s%n", tool, enables, status);
    }

    /** The first of {@code names} that is an executable on the PATH, or null. */
    static String onPath(String... names) {
        return onSearchPath(System.getenv("PATH"), names);
    }

    /** The first of {@code names} that is an executable file in a folder of {@code path}, or null. */
    static String onSearchPath(String path, String... names) {
        if (path == null) {
            return null;
        }
        for (String name : names) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                java.nio.file.Path p = java.nio.file.Path.of(dir.isEmpty() ? "." : dir, name);
                if (java.nio.file.Files.isRegularFile(p) && java.nio.file.Files.isExecutable(p)) {
                    return p.toString();
                }
            }
        }
        return null;
    }

    private static String nd4jBackend() {
        try {
            var env = Nd4j.getExecutioner().getEnvironmentInformation();
            Object devices = env.get("cuda.availableDevices");
            return Nd4j.getBackend().getClass().getSimpleName()
                    + (devices != null ? " (" + devices + " CUDA device(s))" : "")
                    + ", blas threads " + env.getOrDefault("blas.threads", "?");
        } catch (RuntimeException | LinkageError e) {
            return "unavailable: " + e;
        }
    }

    private static String toolVersion(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes()).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "no answer from " + command[0];
            }
            return p.exitValue() == 0 ? text.lines().findFirst().orElse("installed") : "exit " + p.exitValue();
        } catch (IOException e) {
            return "not installed (apt-get install -y " + command[0] + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
