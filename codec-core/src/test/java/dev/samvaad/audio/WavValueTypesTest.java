package dev.samvaad.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Validation and derived values of {@link WavFormat}, {@link WavAudio} and {@link AudioFileException}. */
class WavValueTypesTest {

    private static final WavFormat STEREO_FLOAT = new WavFormat(4, 2, 32, SampleEncoding.IEEE_FLOAT);

    @Test
    void formatDerivesFrameSize() {
        WavFormat format = new WavFormat(44100, 6, 24, SampleEncoding.PCM_SIGNED);

        assertThat(format.bytesPerSample()).isEqualTo(3);
        assertThat(format.blockAlign()).isEqualTo(18);
    }

    @Test
    void formatRejectsOutOfRangeFields() {
        assertThatThrownBy(() -> new WavFormat(0, 1, 16, SampleEncoding.PCM_SIGNED))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sample rate must be positive");
        assertThatThrownBy(() -> new WavFormat(8000, 0, 16, SampleEncoding.PCM_SIGNED))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("channels must be between 1 and 65535");
        assertThatThrownBy(() -> new WavFormat(8000, 65536, 16, SampleEncoding.PCM_SIGNED))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("was 65536");
        assertThatThrownBy(() -> new WavFormat(8000, 1, 8, SampleEncoding.PCM_SIGNED))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("8-bit samples are not supported for PCM_SIGNED");
        assertThatThrownBy(() -> new WavFormat(8000, 1, 16, SampleEncoding.IEEE_FLOAT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("16-bit samples are not supported for IEEE_FLOAT");
    }

    @Test
    void encodingsSupportTheWavSampleSizes() {
        assertThat(SampleEncoding.PCM_UNSIGNED.supports(8)).isTrue();
        assertThat(SampleEncoding.PCM_UNSIGNED.supports(16)).isFalse();
        assertThat(SampleEncoding.PCM_SIGNED.supports(24)).isTrue();
        assertThat(SampleEncoding.PCM_SIGNED.supports(8)).isFalse();
        assertThat(SampleEncoding.IEEE_FLOAT.supports(64)).isTrue();
        assertThat(SampleEncoding.IEEE_FLOAT.supports(24)).isFalse();
    }

    @Test
    void audioReportsShapeAndDuration() {
        WavAudio audio = new WavAudio(STEREO_FLOAT, new float[][] {{1, 2, 3, 4, 5, 6}, {0, 0, 0, 0, 0, 0}});

        assertThat(audio.sampleRate()).isEqualTo(4);
        assertThat(audio.channels()).isEqualTo(2);
        assertThat(audio.frames()).isEqualTo(6);
        assertThat(audio.durationSeconds()).isEqualTo(1.5);
    }

    @Test
    void toMonoAveragesChannels() {
        WavAudio audio = new WavAudio(new WavFormat(8000, 3, 32, SampleEncoding.IEEE_FLOAT),
                new float[][] {{0.25f, -1f}, {0.5f, -1f}, {0.75f, 0.5f}});

        assertThat(audio.toMono()).containsExactly(0.5f, -0.5f);
    }

    @Test
    void toMonoOfMonoIsACopy() {
        float[] samples = {0.25f, -0.5f};
        WavAudio audio = new WavAudio(new WavFormat(8000, 1, 16, SampleEncoding.PCM_SIGNED), new float[][] {samples});

        float[] mono = audio.toMono();
        mono[0] = 9f;

        assertThat(samples).containsExactly(0.25f, -0.5f);
    }

    @Test
    void audioRejectsSamplesThatDoNotMatchTheFormat() {
        assertThatThrownBy(() -> new WavAudio(STEREO_FLOAT, new float[][] {{0f}}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("format has 2 channels but 1 sample arrays were given");
        assertThatThrownBy(() -> new WavAudio(STEREO_FLOAT, new float[][] {{0f, 0f}, {0f}}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("channel 1 has 1 frames but channel 0 has 2");
        assertThatThrownBy(() -> new WavAudio(STEREO_FLOAT, new float[][] {{0f}, null}))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("samples of channel 1");
    }

    @Test
    void audioEqualityComparesSampleValues() {
        WavAudio a = new WavAudio(STEREO_FLOAT, new float[][] {{1f}, {2f}});
        WavAudio b = new WavAudio(STEREO_FLOAT, new float[][] {{1f}, {2f}});
        WavAudio c = new WavAudio(STEREO_FLOAT, new float[][] {{1f}, {3f}});

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(c);
        assertThat(a).hasToString("WavAudio[format=" + STEREO_FLOAT + ", frames=1]");
    }

    @Test
    void exceptionNamesFileOrSource() {
        Path file = Path.of("dir", "q.wav");

        assertThat(new AudioFileException(file, "broken"))
                .hasMessage(file + ": broken")
                .extracting(AudioFileException::file).isEqualTo(file);
        assertThat(new AudioFileException("stream #3", "broken"))
                .hasMessage("stream #3: broken")
                .extracting(AudioFileException::file).isNull();
    }
}
