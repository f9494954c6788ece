package dev.samvaad.dataset.synth;

import dev.samvaad.audio.AudioFileException;
import dev.samvaad.audio.WavReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a TTS program with a time limit and checks that it left a usable WAV behind. */
final class ExternalProcess {
    private static final int MAX_OUTPUT_SHOWN = 300;

    private ExternalProcess() {}

    /**
     * Runs {@code command}, feeding {@code stdin} (may be null), and verifies {@code out} is a WAV
     * with audio in it.
     *
     * @param missingHint what to tell the user when the program does not exist
     */
    static void run(List<String> command, String stdin, Path out, Duration timeout, String missingHint) {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new TtsException("cannot run '" + command.get(0) + "': " + e.getMessage() + ". " + missingHint, e);
        }
        // Read output concurrently so a chatty program cannot block on a full pipe.
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> drain(process.getInputStream()));
        try (OutputStream in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // The program may exit without reading its input; its exit status tells the story.
        }
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new TtsException("'" + String.join(" ", command) + "' did not finish within "
                        + timeout.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new TtsException("interrupted while running '" + command.get(0) + "'", e);
        }
        if (process.exitValue() != 0) {
            throw new TtsException("'" + String.join(" ", command) + "' exited with status " + process.exitValue()
                    + ": " + shorten(output.join()));
        }
        try {
            if (WavReader.read(out).frames() == 0) {
                throw new TtsException("'" + command.get(0) + "' wrote a WAV without audio to " + out);
            }
        } catch (AudioFileException e) {
            throw new TtsException("'" + command.get(0) + "' did not write a usable WAV: " + e.getMessage(), e);
        }
    }

    private static String drain(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(output unreadable: " + e.getMessage() + ")";
        }
    }

    private static String shorten(String text) {
        String oneLine = text.strip().replaceAll("\\s+", " ");
        return oneLine.isEmpty() ? "(no output)"
                : oneLine.length() <= MAX_OUTPUT_SHOWN ? oneLine : oneLine.substring(0, MAX_OUTPUT_SHOWN) + "...";
    }
}
