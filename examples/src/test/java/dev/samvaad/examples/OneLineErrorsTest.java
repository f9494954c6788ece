package dev.samvaad.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.samvaad.audio.AudioFileException;
import dev.samvaad.infer.ModelException;
import dev.samvaad.io.SamvaadException;
import dev.samvaad.training.TrainingException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@link Samvaad.OneLineErrors}: the errors a user can fix are one line and exit 1; a bug keeps its stack trace. */
class OneLineErrorsTest {
    private final StringWriter err = new StringWriter();

    @Command(name = "fails")
    private static final class Fails implements Callable<Integer> {
        private final RuntimeException error;

        Fails(RuntimeException error) {
            this.error = error;
        }

        @Override
        public Integer call() {
            throw error;
        }
    }

    private int run(RuntimeException error) {
        CommandLine cl = Samvaad.configure(new CommandLine(new Fails(error)));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute();
    }

    @Test
    void anyErrorUnderTheProjectsRootIsOneLine() {
        // A type the handler has never heard of: the root is enough.
        assertThat(run(new SamvaadException("settings.json: no such setting 'x'") {})).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("fails: settings.json: no such setting 'x'" + System.lineSeparator());
    }

    @Test
    void theProjectsErrorTypesShareTheRoot() {
        assertThat(new AudioFileException(Path.of("q.wav"), "not a WAV file")).isInstanceOf(SamvaadException.class);
        assertThat(run(new ModelException("run: no model.json"))).isEqualTo(1);
        assertThat(run(new TrainingException("loss is NaN at step 3"))).isEqualTo(1);
        assertThat(err.toString().lines()).containsExactly("fails: run: no model.json", "fails: loss is NaN at step 3");
    }

    @Test
    void badValuesAndFailedReadsAreOneLineToo() {
        assertThat(run(new IllegalArgumentException("--epochs must be >= 1, got 0"))).isEqualTo(1);
        assertThat(run(new java.io.UncheckedIOException("out: disk full", new java.io.IOException("disk full"))))
                .isEqualTo(1);
        assertThat(err.toString().lines()).containsExactly("fails: --epochs must be >= 1, got 0", "fails: out: disk full");
    }

    @Test
    void aBugKeepsItsStackTrace() {
        assertThat(run(new IllegalStateException("index 3 out of 2"))).isEqualTo(2);
        assertThat(err.toString()).contains("java.lang.IllegalStateException: index 3 out of 2", "\tat ");
    }
}
