package dev.samvaad.dataset.synth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Any external TTS program, from a command template such as
 * {@code "piper --model te_IN.onnx --output_file {out}"} or {@code "mytts {text} {out}"}.
 *
 * <p>Placeholders: {@code {out}} (required) the WAV to write; {@code {text}} the text as one
 * argument; {@code {text_file}} a UTF-8 file holding the text; {@code {voice}}, {@code {rate}},
 * {@code {pitch}} from the {@link Voice}. Without {@code {text}} or {@code {text_file}} the text is
 * written to the program's standard input (Piper reads it there). The template is split into
 * arguments like a shell would split words (single and double quotes group), but no shell runs,
 * so text can never inject a command.
 */
public final class CommandSynthesizer implements SpeechSynthesizer {
    private final String template;
    private final List<String> words;
    private final Duration timeout;

    /**
     * A synthesizer running {@code template} with a time limit.
     *
     * @param template the command with placeholders, {@code {out}} required
     * @param timeout  time allowed per utterance
     * @throws IllegalArgumentException if the template is empty or has no {@code {out}}
     */
    public CommandSynthesizer(String template, Duration timeout) {
        this.template = template;
        this.words = splitWords(template);
        this.timeout = timeout;
        if (words.isEmpty()) {
            throw new IllegalArgumentException("--tts-command is empty");
        }
        if (words.stream().noneMatch(w -> w.contains("{out}"))) {
            throw new IllegalArgumentException("--tts-command \"" + template
                    + "\" has no {out} placeholder for the WAV file to write");
        }
    }

    /**
     * A synthesizer running {@code template}, 120 s per utterance at most.
     *
     * @param template the command with placeholders, {@code {out}} required
     * @throws IllegalArgumentException if the template is empty or has no {@code {out}}
     */
    public CommandSynthesizer(String template) {
        this(template, Duration.ofSeconds(120));
    }

    @Override
    public void synthesize(String text, Voice voice, Path out) {
        boolean textInArgs = template.contains("{text}") || template.contains("{text_file}");
        Path textFile = null;
        try {
            if (template.contains("{text_file}")) {
                textFile = Files.createTempFile(out.toAbsolutePath().getParent(), ".tts-text-", ".txt");
                Files.writeString(textFile, text, StandardCharsets.UTF_8);
            }
            List<String> command = new ArrayList<>(words.size());
            for (String w : words) {
                command.add(w.replace("{out}", out.toString())
                        .replace("{text_file}", textFile == null ? "" : textFile.toString())
                        .replace("{voice}", voice.name())
                        .replace("{rate}", Integer.toString(voice.rate()))
                        .replace("{pitch}", Integer.toString(voice.pitch()))
                        .replace("{text}", text));
            }
            ExternalProcess.run(command, textInArgs ? null : text, out, timeout,
                    "check the program named in --tts-command \"" + template + "\"");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the text file for --tts-command: " + e.getMessage(), e);
        } finally {
            if (textFile != null) {
                try {
                    Files.deleteIfExists(textFile);
                } catch (IOException ignored) {
                    // A leftover dot-file in the pair folder is harmless.
                }
            }
        }
    }

    @Override
    public String describe() {
        return "command:" + template;
    }

    /** Splits like a POSIX shell splits words: whitespace separates, quotes group, no expansion. */
    static List<String> splitWords(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    out.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("unclosed " + quote + " quote in --tts-command \"" + text + "\"");
        }
        if (inWord) {
            out.add(word.toString());
        }
        return out;
    }
}
