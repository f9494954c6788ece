package dev.samvaad.dataset.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.samvaad.audio.WavReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The external-TTS template, run against real programs (espeak-ng and the shell's own tools). */
class CommandSynthesizerTest {
    private static final Voice VOICE = new Voice("te+f3", 150, 40);
    private static final String TEXT = "మీ పేరు ఏమిటి? 'quoted' $HOME; rm -rf /";

    @TempDir
    Path dir;

    @Test
    void textAsArgumentOnStdinAndInAFileGiveTheSameSpeech() throws Exception {
        assumeTrue(EspeakSynthesizerTest.espeakInstalled(), "espeak-ng not installed (apt-get install espeak-ng)");
        Path a = dir.resolve("arg.wav"), b = dir.resolve("stdin.wav"), c = dir.resolve("file.wav");
        new CommandSynthesizer("espeak-ng -b 1 -v {voice} -s {rate} -p {pitch} -w {out} {text}").synthesize(TEXT, VOICE, a);
        new CommandSynthesizer("espeak-ng -b 1 --stdin -v {voice} -s {rate} -p {pitch} -w {out}").synthesize(TEXT, VOICE, b);
        new CommandSynthesizer("espeak-ng -b 1 -v '{voice}' -s {rate} -p {pitch} -f \"{text_file}\" -w {out}")
                .synthesize(TEXT, VOICE, c);
        assertThat(WavReader.read(a).frames()).isPositive();
        assertThat(Files.readAllBytes(b)).isEqualTo(Files.readAllBytes(a));
        assertThat(Files.readAllBytes(c)).isEqualTo(Files.readAllBytes(a));
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("arg.wav", "stdin.wav", "file.wav");
        }
    }

    @Test
    void failingProgramsAreReportedWithTheirStatusAndOutput() {
        Path out = dir.resolve("x.wav");
        assertThatThrownBy(() -> new CommandSynthesizer("sh -c 'echo engine broke >&2; exit 3' {out}").synthesize("hi", VOICE, out))
                .isInstanceOf(TtsException.class).hasMessageContaining("status 3").hasMessageContaining("engine broke");
        assertThatThrownBy(() -> new CommandSynthesizer("touch {out}").synthesize("hi", VOICE, out))
                .isInstanceOf(TtsException.class).hasMessageContaining("did not write a usable WAV");
        assertThatThrownBy(() -> new CommandSynthesizer("no-such-tts-program {out}").synthesize("hi", VOICE, out))
                .isInstanceOf(TtsException.class).hasMessageContaining("no-such-tts-program");
        assertThatThrownBy(() -> new CommandSynthesizer("sh -c 'exec sleep 5' {out}", Duration.ofMillis(300)).synthesize("hi", VOICE, out))
                .isInstanceOf(TtsException.class).hasMessageContaining("did not finish");
    }

    @Test
    void templatesAreCheckedAndSplitLikeAShell() {
        assertThatThrownBy(() -> new CommandSynthesizer("piper --model x.onnx")).hasMessageContaining("{out}");
        assertThatThrownBy(() -> new CommandSynthesizer("   ")).hasMessageContaining("empty");
        assertThatThrownBy(() -> new CommandSynthesizer("tts 'open {out}")).hasMessageContaining("unclosed");
        assertThat(CommandSynthesizer.splitWords("a  'b c' \"d 'e'\" f''g {out}"))
                .containsExactly("a", "b c", "d 'e'", "fg", "{out}");
    }
}
