package dev.samvaad.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String[] lines() {
        return bytes.toString(StandardCharsets.UTF_8).split("\n");
    }

    @Test
    void logModePrintsAtMostOneLinePerTenthAndTheLastStateAtTheEnd() throws Exception {
        // Redrawn every 2 ms while 40 steps come 10 ms apart: some 80 redraws, at most 11 lines.
        ProgressBar bar = new ProgressBar("pairs", 40, out, false, 2);
        for (int i = 0; i < 40; i++) {
            bar.advance();
            Thread.sleep(10);
        }
        bar.finish();
        String[] lines = lines();
        assertThat(lines.length).isBetween(2, 11);
        int[] percents = Arrays.stream(lines).mapToInt(l -> Integer.parseInt(l.replaceAll("^pairs +(\\d+)%.*", "$1")))
                .toArray();
        assertThat(percents).as("one line per tenth: no tenth twice").isSorted()
                .doesNotHaveDuplicates();
        assertThat(Arrays.stream(percents).map(p -> p / 10).distinct().count()).isEqualTo(lines.length);
        assertThat(lines[lines.length - 1]).startsWith("pairs 100% [====").contains("] 40/40 (").endsWith("/s");
    }

    @Test
    void workersOnManyThreadsAreAllCounted() {
        ProgressBar bar = new ProgressBar("pairs", 1000, out, false);
        IntStream.range(0, 1000).parallel().forEach(i -> bar.advance());
        bar.finish();
        String[] lines = lines();
        assertThat(lines.length).isBetween(1, 11);
        assertThat(lines[lines.length - 1]).startsWith("pairs 100% [").contains("] 1000/1000 (");
    }

    @Test
    void theStatusFollowsTheRateAfterASpace() {
        ProgressBar bar = new ProgressBar("train", 2, out, false);
        bar.setStatus("loss 2.310 1840 tok/s");
        bar.advance();
        bar.advance();
        bar.finish();
        assertThat(lines()[lines().length - 1]).matches("train 100% \\[=+\\] 2/2 \\(.*\\) (\\?|[0-9]+\\.[0-9])/s "
                + "loss 2.310 1840 tok/s");
    }

    @Test
    void aResumedBarCountsEarlierWorkInTheBarButNotInTheEta() throws Exception {
        ProgressBar bar = new ProgressBar("train", 10_000, out, false);
        bar.resumeFrom(90);
        bar.advance(); // the library's clock starts here, when the bar is built
        Thread.sleep(50);
        bar.advance();
        bar.finish();
        String line = lines()[lines().length - 1];
        assertThat(line).startsWith("train   0% [").containsPattern("\\] +92/10000 \\(");
        // Two steps in >= 50 ms leave >= 0.025 s * 9908 = 248 s; counting the 90 earlier steps
        // would leave about 5 s.
        String[] eta = line.replaceAll(".*\\(\\d+:\\d\\d:\\d\\d / (\\d+):(\\d\\d):(\\d\\d)\\).*", "$1 $2 $3").split(" ");
        long seconds = Long.parseLong(eta[0]) * 3600 + Long.parseLong(eta[1]) * 60 + Long.parseLong(eta[2]);
        assertThat(seconds).isGreaterThanOrEqualTo(240);
    }

    @Test
    void onATerminalOneLineIsRedrawnInPlaceAndEndedAtTheFinish() {
        ProgressBar bar = new ProgressBar("train", 3, out, true, 2);
        for (int i = 0; i < 3; i++) {
            bar.advance();
        }
        bar.finish();
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(text).startsWith("\r").endsWith(System.lineSeparator()).doesNotContain("\n" + "train");
        String[] frames = text.strip().split("\r");
        assertThat(frames[frames.length - 1].strip()).startsWith("train 100% [").contains("] 3/3 (");
    }
}
