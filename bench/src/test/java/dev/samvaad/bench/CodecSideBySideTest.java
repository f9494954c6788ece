package dev.samvaad.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CodecSideBySideTest {

    @Test
    void ratioIsSamvaadThroughputOverTheTools() {
        // 60 s decoded in 0.3 s by Samvaad (200x) and 0.06 s by the tool, 0.01 s of it start-up.
        Map<String, Object> r = CodecSideBySide.ratio(60, 0.3, 0.06, 0.01);
        assertThat((double) r.get("withToolStartup")).isCloseTo(0.2, within(1e-12));
        assertThat((double) r.get("withoutToolStartup")).isCloseTo(0.05 / 0.3, within(1e-12));
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertThat(CodecSideBySide.median(new double[] {3, 1, 2})).isEqualTo(2);
        assertThat(CodecSideBySide.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
    }

    @Test
    void parsesOptionsWithDefaults() {
        CodecSideBySide.Options o = CodecSideBySide.Options.parse(new String[] {"--out", "x.json", "--repeats", "4"});
        assertThat(o).isEqualTo(new CodecSideBySide.Options(Path.of("x.json"), 60, 4, 10));
        assertThatThrownBy(() -> CodecSideBySide.Options.parse(new String[] {"--repeats", "4"}))
                .hasMessageContaining("--out");
        assertThatThrownBy(() -> CodecSideBySide.Options.parse(new String[] {"--out", "x", "--bogus", "1"}))
                .hasMessageContaining("--bogus");
        assertThatThrownBy(() -> CodecSideBySide.Options.parse(new String[] {"--out"})).hasMessageContaining("value");
    }
}
