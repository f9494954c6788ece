package dev.samvaad.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The spark-submit main's command line: bad flags are refused before Spark starts. */
class SamvaadSparkCliTest {
    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        CommandLine cli = SamvaadSpark.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void helpListsBothJobsAndTheFlagsOfGenerateData() {
        assertThat(run("--help").out()).contains("generate", "encode");
        assertThat(run("generate", "--help").out()).contains("--num_pairs", "--output_dir", "--seed", "--partitions",
                "--tts-command", "--pauses");
        assertThat(run("encode", "--help").out()).contains("--data_dir", "--codec", "--cache_dir");
    }

    @Test
    void badFlagsExitWithTwoAndSayWhatIsWrongWithoutStartingSpark() {
        Path out = dir.resolve("pairs");
        assertThat(run()).satisfies(r -> {
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err()).contains("give a job: generate or encode");
        });
        assertThat(run("generate", "--output_dir", out.toString(), "--pauses", "2")).satisfies(r -> {
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err()).contains("--pauses must be 0..1");
        });
        assertThat(run("generate", "--output_dir", out.toString(), "--num_pairs", "0").err())
                .contains("--num_pairs must be at least 1");
        assertThat(run("generate", "--output_dir", out.toString(), "--tts-command", "mytts {out}").err())
                .contains("--tts-command needs --user-voices and --assistant-voice");
        assertThat(run("generate", "--output_dir", out.toString(), "--corpus", dir.resolve("none.json").toString()).err())
                .contains("none.json: cannot read");
        assertThat(run("encode", "--data_dir", out.toString()).err()).contains("Missing required option: '--codec");
        assertThat(Files.exists(out)).isFalse();
    }
}
