package dev.samvaad.dataset.synth;

import java.nio.file.Path;

/**
 * A separate JVM that generates pairs with the slow tone TTS, for the kill-and-resume test:
 * {@code GeneratorChild <outputDir> <numPairs> <seed>}.
 */
public final class GeneratorChild {
    private GeneratorChild() {}

    public static void main(String[] args) {
        ConversationGenerator.Settings settings = ConversationGeneratorTest.settings(Path.of(args[0]),
                Integer.parseInt(args[1]), Long.parseLong(args[2]), new ToneSynthesizer(15));
        new ConversationGenerator(settings).run(null);
    }
}
