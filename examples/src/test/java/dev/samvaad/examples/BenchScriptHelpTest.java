package dev.samvaad.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Issue 20: {@code bin/samvaad bench --help} prints the suite's usage without building anything first. */
class BenchScriptHelpTest {

    @Test
    void benchHelpPrintsTheUsageWithoutABuild() throws Exception {
        Path script = Path.of("..", "bin", "samvaad").toAbsolutePath().normalize();
        assertThat(script).exists();
        for (String flag : new String[] {"--help", "-h", "help"}) {
            Process p = new ProcessBuilder("bash", script.toString(), "bench", flag).redirectErrorStream(true).start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("bench %s finished", flag).isTrue();
            String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(printed).isZero();
            assertThat(printed).contains("bench/run REGEX [JMH flags]", "bench/run side-by-side")
                    .doesNotContain("[INFO]", "BUILD SUCCESS", "set -euo pipefail");
        }
        assertThat(Files.readString(script.getParent().getParent().resolve("bench").resolve("run")))
                .contains("Help first: it needs no build");
    }
}
