package dev.samvaad.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 20: {@code bin/samvaad} itself. Help and the version compute nothing, so they start the
 * JVM without the Vector API and without the JVM's "incubator modules" warning; a command that
 * computes keeps the SIMD kernels (and the warning, which Java 17 cannot turn off).
 */
class LauncherTest {
    private static final Path SCRIPT = Path.of("..", "bin", "samvaad").toAbsolutePath().normalize();

    @Test
    void helpAndTheVersionPrintWithoutTheIncubatorWarning() throws Exception {
        for (List<String> args : List.of(List.of("--help"), List.of("train", "--help"), List.of("agent", "-h"),
                List.of("--version"), List.of("evaluate", "-V"))) {
            Run run = run(args);
            assertThat(run.exit()).as("%s: %s", args, run.err()).isZero();
            assertThat(run.out()).as("%s", args).isNotBlank();
            assertThat(run.err()).as("%s", args).doesNotContain("incubator").doesNotContain("samvaad: building");
        }
    }

    @Test
    void aCommandThatComputesKeepsTheSimdKernels() throws Exception {
        Run run = run(List.of("doctor"));
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.err()).contains("Using incubator modules: jdk.incubator.vector");
    }

    private record Run(int exit, String out, String err) {}

    private static Run run(List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("SAMVAAD_REBUILD");
        Process p = builder.start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        String out = read(p.getInputStream());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("%s finished", args).isTrue();
        return new Run(p.exitValue(), out, err.get());
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
