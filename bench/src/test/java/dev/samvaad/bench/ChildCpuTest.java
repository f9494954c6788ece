package dev.samvaad.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

class ChildCpuTest {

    @Test
    void readsCutimeAndCstimeAfterACommandNameWithSpacesAndParentheses() {
        String stat = "4242 (java (main) x) S 1 4242 4242 0 -1 4194560 100 200 0 0 "
                + "1500 300 37 5 20 0 30 0 12345 4000000 900";
        // utime 1500, stime 300, cutime 37, cstime 5
        assertThat(ChildCpu.childTicks(stat)).isEqualTo(42);
    }

    @Test
    void refusesWhatIsNotAStatLine() {
        assertThatThrownBy(() -> ChildCpu.childTicks("hello")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChildCpu.childTicks("1 (x) S 1 2")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fields");
    }

    @Test
    void childTimeNeverGoesBackwards() throws Exception {
        ChildCpu clock = ChildCpu.open();
        assumeTrue(clock != null, "needs /proc");
        assertThat(clock.ticksPerSecond()).isPositive();
        double before = clock.childSeconds();
        new ProcessBuilder("true").start().waitFor();
        assertThat(clock.childSeconds()).isGreaterThanOrEqualTo(before).isGreaterThanOrEqualTo(0);
    }
}
