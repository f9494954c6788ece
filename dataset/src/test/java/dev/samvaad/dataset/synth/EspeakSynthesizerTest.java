package dev.samvaad.dataset.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.samvaad.audio.WavAudio;
import dev.samvaad.audio.WavReader;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EspeakSynthesizerTest {
    @TempDir
    Path dir;

    static boolean espeakInstalled() {
        try {
            Process p = new ProcessBuilder("espeak-ng", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    void speaksTeluguAndVoiceSettingsChangeTheAudio() {
        assumeTrue(espeakInstalled(), "espeak-ng not installed (apt-get install espeak-ng)");
        EspeakSynthesizer tts = new EspeakSynthesizer();
        String text = "నమస్కారం! మీకు ఎలా సహాయం చేయగలను?";
        Path slow = dir.resolve("slow.wav"), fast = dir.resolve("fast.wav");
        tts.synthesize(text, new Voice("te+m3", 120, 50), slow);
        tts.synthesize(text, new Voice("te+f2", 240, 70), fast);
        WavAudio a = WavReader.read(slow), b = WavReader.read(fast);
        assertThat(a.sampleRate()).isEqualTo(22050);
        assertThat(a.durationSeconds()).isBetween(1.0, 10.0);
        // Twice the rate: clearly shorter speech.
        assertThat(b.durationSeconds()).isLessThan(0.8 * a.durationSeconds());
    }

    @Test
    void textThatLooksLikeAnOptionIsSpokenNotParsed() {
        assumeTrue(espeakInstalled(), "espeak-ng not installed (apt-get install espeak-ng)");
        Path out = dir.resolve("dash.wav");
        new EspeakSynthesizer().synthesize("--version -w /tmp/evil.wav", new Voice("te", 160, 50), out);
        assertThat(WavReader.read(out).frames()).isPositive();
    }

    @Test
    void missingEspeakSaysHowToInstallIt() {
        EspeakSynthesizer tts = new EspeakSynthesizer("espeak-ng-not-installed-here", Duration.ofSeconds(5));
        assertThatThrownBy(() -> tts.synthesize("నమస్కారం", new Voice("te", 160, 50), dir.resolve("x.wav")))
                .isInstanceOf(TtsException.class)
                .hasMessageContaining("espeak-ng-not-installed-here")
                .hasMessageContaining("apt-get install espeak-ng")
                .hasMessageContaining("--tts-command");
    }

    @Test
    void voiceValuesAreChecked() {
        assertThatThrownBy(() -> new Voice("te m3", 160, 50)).hasMessageContaining("voice name");
        assertThatThrownBy(() -> new Voice("te", 20, 50)).hasMessageContaining("rate");
        assertThatThrownBy(() -> new Voice("te", 160, 100)).hasMessageContaining("pitch");
    }
}
