package dev.samvaad.dataset;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.samvaad.audio.WavWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/** Audio, conversation folders and log capture for the dataset tests. */
final class TestAudio {
    private TestAudio() {}

    /** A tone whose pitch and loudness follow the seed, so every seed encodes differently. */
    static float[] tone(int samples, long seed) {
        double freq = 120 + (seed * 37) % 400;
        double amp = 0.05 + (seed % 7) * 0.06;
        float[] pcm = new float[samples];
        for (int i = 0; i < samples; i++) {
            pcm[i] = (float) (amp * Math.sin(2 * Math.PI * freq * i / 16_000.0) * (1 + 0.5 * Math.sin(i / 900.0)));
        }
        return pcm;
    }

    /** Writes {@code dir/id/} with user.wav, assistant.wav and, when split is not null, meta.json. */
    static Path pair(Path dir, String id, Split split, float[] user, float[] assistant, int rate) throws IOException {
        Path folder = dir.resolve(id);
        WavWriter.writePcm16(folder.resolve(ConversationPair.USER_WAV), user, rate);
        WavWriter.writePcm16(folder.resolve(ConversationPair.ASSISTANT_WAV), assistant, rate);
        if (split != null) {
            PairMeta meta = new PairMeta("q " + id, "a " + id, "test", "tone", split, Map.of(), Map.of("seed", 1));
            new ObjectMapper().writeValue(folder.resolve(ConversationPair.META_JSON).toFile(), meta);
        }
        return folder;
    }

    /** What slf4j-simple (the tests' logger, which looks up System.err at each write) logs while {@code body} runs. */
    static String stderrOf(Runnable body) {
        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setErr(saved);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
