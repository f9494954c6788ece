package dev.samvaad.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The peak resident memory of this process so far ({@code VmHWM} of {@code /proc/self/status}),
 * where the system reports it (Linux); empty elsewhere. It counts ND4J's native arrays, which the
 * JVM's own memory figures do not.
 */
final class PeakMemory {
    private static final Path STATUS = Path.of("/proc/self/status");

    private PeakMemory() {}

    /** {@return the peak resident set in bytes, or empty when the system does not say} */
    static OptionalLong residentBytes() {
        return parse(STATUS);
    }

    static OptionalLong parse(Path status) {
        if (!Files.isReadable(status)) {
            return OptionalLong.empty();
        }
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    long value = Long.parseLong(parts[0]);
                    return OptionalLong.of(parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? value * 1024 : value);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty(); // a figure for the log only: never worth failing a run
        }
        return OptionalLong.empty();
    }
}
