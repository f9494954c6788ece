package dev.samvaad.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AudioIOTest {
    @TempDir
    Path dir;

    @Test
    void stereoAtAnotherRateBecomesMonoAtTheAskedRate() {
        int rate = 48_000;
        float[] left = new float[rate], right = new float[rate];
        for (int i = 0; i < rate; i++) {
            left[i] = (float) (0.4 * Math.sin(2 * Math.PI * 300 * i / rate));
            right[i] = -0.2f * left[i]; // the mono mix is 0.4 * left
        }
        Path file = dir.resolve("stereo.wav");
        WavWriter.write(file, new WavAudio(new WavFormat(rate, 2, 32, SampleEncoding.IEEE_FLOAT),
                new float[][] {left, right}), SampleEncoding.IEEE_FLOAT, 32);

        float[] mono = AudioIO.readMono(file, 16_000);

        assertThat(mono).hasSize(16_000);
        for (int n = 500; n < 15_500; n++) {
            double expected = 0.4 * 0.4 * Math.sin(2 * Math.PI * 300 * n / 16_000.0);
            assertThat((double) mono[n]).isCloseTo(expected, within(1e-3));
        }
    }

    @Test
    void sameRateIsReadWithoutConversion() {
        float[] pcm = {0f, 0.5f, -0.25f, 0.125f};
        Path file = dir.resolve("same.wav");
        WavWriter.writeFloat32(file, pcm, 8000);
        assertThat(AudioIO.readMono(file, 8000)).containsExactly(pcm);
    }

    @Test
    void badRateAndBadFileAreClearErrors() {
        assertThatThrownBy(() -> AudioIO.readMono(dir.resolve("x.wav"), 0)).hasMessageContaining("positive");
        assertThatThrownBy(() -> AudioIO.readMono(dir.resolve("missing.wav"), 16_000))
                .isInstanceOf(AudioFileException.class).hasMessageContaining("missing.wav");
    }
}
