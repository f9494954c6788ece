package dev.samvaad.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    @Test
    void logModePrintsAboutTenLinesWhateverTheCount() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar("pairs", 1000, new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        IntStream.range(0, 1000).parallel().forEach(i -> bar.advance());
        bar.finish();
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines.length).isBetween(10, 11);
        assertThat(lines[lines.length - 1]).startsWith("pairs [##############################] 1000/1000 100%")
                .contains("/s").contains("ETA 0:00");
    }

    @Test
    void durationsReadLikeAClock() {
        assertThat(ProgressBar.format(Duration.ofSeconds(75))).isEqualTo("1:15");
        assertThat(ProgressBar.format(Duration.ofSeconds(3725))).isEqualTo("1:02:05");
    }
}
