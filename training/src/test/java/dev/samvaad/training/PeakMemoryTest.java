package dev.samvaad.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeakMemoryTest {
    @Test
    void readsThePeakResidentSetInBytes(@TempDir Path dir) throws Exception {
        Path status = dir.resolve("status");
        Files.writeString(status, "Name:\tjava\nVmPeak:\t 9000000 kB\nVmHWM:\t  1536000 kB\nVmRSS:\t 1200000 kB\n");
        assertThat(PeakMemory.parse(status)).hasValue(1536000L * 1024);
    }

    @Test
    void saysNothingWhenTheSystemDoesNot(@TempDir Path dir) throws Exception {
        assertThat(PeakMemory.parse(dir.resolve("absent"))).isEmpty();
        Path garbled = dir.resolve("garbled");
        Files.writeString(garbled, "VmHWM:\tlots\n");
        assertThat(PeakMemory.parse(garbled)).isEmpty();
        Files.writeString(garbled, "Name:\tjava\n");
        assertThat(PeakMemory.parse(garbled)).isEmpty();
    }
}
