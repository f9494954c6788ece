package dev.samvaad.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.samvaad.audio.WavWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConversationCorpusTest {
    @TempDir
    Path dir;

    private void wav(Path file) {
        WavWriter.writePcm16(file, new float[] {0.1f, -0.1f, 0.2f}, 16_000);
    }

    @Test
    void readsPairsWithAndWithoutMetaAndNamesEveryBadOne() throws Exception {
        Path ok = dir.resolve("conv_000001");
        wav(ok.resolve("user.wav"));
        wav(ok.resolve("assistant.wav"));
        Files.writeString(ok.resolve("meta.json"), """
                {"question": "మీరు ఎలా ఉన్నారు?", "answer": "బాగున్నాను", "intent": "how_are_you",
                 "voice": "te+m1 s=150 p=50", "split": "test-voice", "slots": {}, "future_field": 1}""");
        Path recorded = dir.resolve("my recording ✓");
        wav(recorded.resolve("user.wav"));
        wav(recorded.resolve("assistant.wav"));
        Path halfPair = dir.resolve("conv_000003");
        wav(halfPair.resolve("user.wav"));
        Path badAudio = dir.resolve("conv_000004");
        wav(badAudio.resolve("user.wav"));
        Files.writeString(badAudio.resolve("assistant.wav"), "not audio");
        Path badMeta = dir.resolve("conv_000005");
        wav(badMeta.resolve("user.wav"));
        wav(badMeta.resolve("assistant.wav"));
        Files.writeString(badMeta.resolve("meta.json"), "{\"split\": \"nonsense\"}");
        Files.createDirectories(dir.resolve("cache"));

        ConversationCorpus corpus = ConversationCorpus.open(dir);

        assertThat(corpus.pairs()).extracting(ConversationPair::id).containsExactly("conv_000001", "my recording ✓");
        assertThat(corpus.pairs().get(0).split()).isEqualTo(Split.TEST_VOICE);
        assertThat(corpus.pairs().get(0).meta().orElseThrow().question()).isEqualTo("మీరు ఎలా ఉన్నారు?");
        assertThat(corpus.pairs().get(1).meta()).isEmpty();
        assertThat(corpus.pairs().get(1).split()).isEqualTo(Split.TRAIN);
        assertThat(corpus.problems()).extracting(ConversationCorpus.Problem::folder)
                .containsExactly(halfPair, badAudio, badMeta);
        assertThat(corpus.problems().get(0).reason()).contains("missing assistant.wav");
        assertThat(corpus.problems().get(1).reason()).contains("unreadable audio").contains("assistant.wav");
        assertThat(corpus.problems().get(2).reason()).contains("meta.json").contains("nonsense");
        assertThat(corpus.countBySplit()).containsEntry(Split.TRAIN, 1).containsEntry(Split.TEST_VOICE, 1)
                .containsEntry(Split.VAL, 0);
    }

    @Test
    void aMissingFolderIsAClearError() {
        assertThatThrownBy(() -> ConversationCorpus.open(dir.resolve("nowhere")))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("nowhere");
    }
}
