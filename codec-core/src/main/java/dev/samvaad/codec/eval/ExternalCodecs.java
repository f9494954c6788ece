package dev.samvaad.codec.eval;

import dev.samvaad.audio.AudioIO;
import dev.samvaad.audio.Pcm16;
import dev.samvaad.audio.Resampler;
import dev.samvaad.audio.WavWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Reference codecs run through their command-line tools, when installed: Opus ({@code opusenc} /
 * {@code opusdec}, Debian {@code opus-tools}) and Codec2 ({@code c2enc} / {@code c2dec}, Debian
 * {@code codec2}; 8 kHz narrowband). Their output is scored by the same code as Samvaad's.
 */
public final class ExternalCodecs {
    private ExternalCodecs() {}

    /**
     * Opus through {@code opusenc}/{@code opusdec}, speech-tuned.
     *
     * @param kbps target bitrate, kilobits per second
     * @return the transcoder, or empty when opus-tools is not installed
     */
    public static Optional<Transcoder> opus(int kbps) {
        if (!installed("opusenc") || !installed("opusdec")) {
            return Optional.empty();
        }
        return Optional.of(new Transcoder() {
            @Override
            public String name() {
                return "opus " + kbps + " kbps";
            }

            @Override
            public double bitrate() {
                return kbps * 1000.0;
            }

            @Override
            public float[] roundTrip(float[] pcm, int sampleRate) {
                return inTempDir(dir -> {
                    Path in = dir.resolve("in.wav"), coded = dir.resolve("coded.opus"), out = dir.resolve("out.wav");
                    WavWriter.writePcm16(in, pcm, sampleRate);
                    run(List.of("opusenc", "--quiet", "--bitrate", Integer.toString(kbps), "--speech",
                            in.toString(), coded.toString()));
                    run(List.of("opusdec", "--quiet", "--rate", Integer.toString(sampleRate), coded.toString(), out.toString()));
                    return AudioIO.readMono(out, sampleRate);
                });
            }
        });
    }

    /**
     * Codec2 through {@code c2enc}/{@code c2dec}; it works at 8 kHz, so audio is resampled on the
     * way in and out.
     *
     * @param mode the Codec2 mode, its bitrate in bits per second (e.g. 3200)
     * @return the transcoder, or empty when codec2 is not installed
     */
    public static Optional<Transcoder> codec2(int mode) {
        if (!installed("c2enc") || !installed("c2dec")) {
            return Optional.empty();
        }
        return Optional.of(new Transcoder() {
            @Override
            public String name() {
                return "codec2 " + mode;
            }

            @Override
            public double bitrate() {
                return mode;
            }

            @Override
            public float[] roundTrip(float[] pcm, int sampleRate) {
                return inTempDir(dir -> {
                    Path raw = dir.resolve("in.raw"), coded = dir.resolve("coded.c2"), out = dir.resolve("out.raw");
                    Files.write(raw, Pcm16.toBytes(Resampler.resample(pcm, sampleRate, 8000)));
                    run(List.of("c2enc", Integer.toString(mode), raw.toString(), coded.toString()));
                    run(List.of("c2dec", Integer.toString(mode), coded.toString(), out.toString()));
                    return Resampler.resample(Pcm16.fromBytes(ByteBuffer.wrap(Files.readAllBytes(out))), 8000, sampleRate);
                });
            }
        });
    }

    /**
     * Looks for an executable on the {@code PATH}.
     *
     * @param tool the executable's name
     * @return whether it is found
     */
    public static boolean installed(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    @FunctionalInterface
    private interface InDir {
        float[] run(Path dir) throws IOException;
    }

    private static float[] inTempDir(InDir body) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("samvaad-refcodec");
            return body.run(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("reference codec failed: " + e.getMessage(), e);
        } finally {
            if (dir != null) {
                try (var files = Files.list(dir)) {
                    for (Path f : files.toList()) {
                        Files.deleteIfExists(f);
                    }
                    Files.deleteIfExists(dir);
                } catch (IOException ignored) {
                    // Temporary files of a finished tool run; the OS cleans /tmp.
                }
            }
        }
    }

    private static void run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " failed: " + output.strip());
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
