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

    @Test
    void aResumedBarCountsEarlierWorkInTheBarButNotInTheRate() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar("train", 100, new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        bar.resumeFrom(90);
        Thread.sleep(50);
        bar.advance();
        String line = bytes.toString(StandardCharsets.UTF_8).strip();
        assertThat(line).startsWith("train [###########################...] 91/100  91%");
        // One step in >= 50 ms: at most 20 per second, not the 91 the whole count would suggest.
        double rate = Double.parseDouble(line.replaceAll(".*% ([0-9.]+) /s.*", "$1"));
        assertThat(rate).isLessThanOrEqualTo(20.0);
    }
}
