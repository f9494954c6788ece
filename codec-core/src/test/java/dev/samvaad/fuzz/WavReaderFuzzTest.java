package dev.samvaad.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.samvaad.audio.AudioFileException;
import dev.samvaad.audio.AudioIO;
import dev.samvaad.audio.WavAudio;
import dev.samvaad.audio.WavReader;

/**
 * Jazzer fuzz targets for the WAV reader: any bytes either decode to consistent audio or fail with
 * an {@link AudioFileException} naming the source. Anything else (another exception, an
 * OutOfMemoryError, a hang) is a finding. A normal test run replays the seeds and past findings
 * under {@code src/test/resources/dev/samvaad/fuzz/WavReaderFuzzTestInputs/}; RELIABILITY.md
 * says how to fuzz.
 */
class WavReaderFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void wavBytes(byte[] data) {
        WavAudio audio;
        try {
            audio = WavReader.read(data, "fuzz.wav");
        } catch (AudioFileException e) {
            assertThat(e.getMessage()).startsWith("fuzz.wav: ");
            return;
        }
        assertThat(audio.channels()).isPositive();
        assertThat(audio.sampleRate()).isPositive();
        // Every frame takes blockAlign bytes of the input, so the audio is never larger than it.
        assertThat((long) audio.frames() * audio.format().blockAlign()).isLessThanOrEqualTo(data.length);
        for (float[] channel : audio.samples()) {
            for (float v : channel) {
                if (!Float.isFinite(v)) {
                    throw new AssertionError("non-finite sample decoded: " + v);
                }
            }
        }
    }

    /** The path every training and evaluation file takes: any WAV to mono at the codec's 16 kHz. */
    @FuzzTest(maxDuration = "10m")
    void wavToMono16k(byte[] data) {
        float[] mono;
        try {
            mono = AudioIO.readMono(data, "fuzz.wav", 16_000);
        } catch (AudioFileException e) {
            assertThat(e.getMessage()).startsWith("fuzz.wav: ");
            return;
        }
        // At most 256 times longer than the input's frames (see AudioIO.MAX_RATE_RATIO), plus rounding.
        assertThat((long) mono.length).isLessThanOrEqualTo(256L * data.length + 1);
    }
}
