package dev.samvaad.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.samvaad.audio.AudioFileException;
import dev.samvaad.audio.WavAudio;
import dev.samvaad.audio.WavReader;

/**
 * Jazzer fuzz target for {@link WavReader}: any bytes either decode to consistent audio or fail
 * with an {@link AudioFileException} naming the source. Anything else (another exception, an
 * OutOfMemoryError, a hang) is a finding. In a normal test run this replays the seeds under
 * {@code src/test/resources/dev/samvaad/fuzz/WavReaderFuzzTestInputs/}; see RELIABILITY.md for the
 * fuzzing run.
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
}
