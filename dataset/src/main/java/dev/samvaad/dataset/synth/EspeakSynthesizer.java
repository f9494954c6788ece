package dev.samvaad.dataset.synth;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The default TTS: espeak-ng run as a process, text on standard input (so any text is safe),
 * voice variant, rate and pitch from the {@link Voice}. espeak-ng writes 22.05 kHz mono 16-bit WAV.
 */
public final class EspeakSynthesizer implements SpeechSynthesizer {
    static final String INSTALL_HINT = "espeak-ng is needed for the default TTS: install it with "
            + "'apt-get install espeak-ng' (Debian/Ubuntu), 'dnf install espeak-ng' or 'brew install espeak-ng', "
            + "or use another engine with --tts-command";

    private final String executable;
    private final Duration timeout;

    /** espeak-ng from the PATH, 60 s per utterance at most. */
    public EspeakSynthesizer() {
        this("espeak-ng", Duration.ofSeconds(60));
    }

    /**
     * espeak-ng at another path, or with another time limit.
     *
     * @param executable the espeak-ng command or path
     * @param timeout    time allowed per utterance
     */
    public EspeakSynthesizer(String executable, Duration timeout) {
        this.executable = executable;
        this.timeout = timeout;
    }

    @Override
    public void synthesize(String text, Voice voice, Path out) {
        List<String> command = List.of(executable, "-v", voice.name(), "-s", Integer.toString(voice.rate()),
                "-p", Integer.toString(voice.pitch()), "-b", "1", "--stdin", "-w", out.toString());
        ExternalProcess.run(command, text, out, timeout, INSTALL_HINT);
    }

    /** espeak-ng is a rule-based synthesiser: the same text and voice give the same samples. */
    @Override
    public boolean deterministic() {
        return true;
    }

    @Override
    public String describe() {
        return "espeak-ng";
    }
}
