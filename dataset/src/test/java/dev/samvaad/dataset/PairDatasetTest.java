package dev.samvaad.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.samvaad.audio.AudioIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PairDatasetTest {
    @TempDir
    Path dir;

    private ConversationCorpus corpus;
    private FakeCodec codec;
    private CodeCache cache;

    /** Five pairs of different lengths: two train, one val, one test-voice, one without meta.json. */
    @BeforeEach
    void writeCorpus() throws Exception {
        Path data = dir.resolve("data");
        Split[] splits = {Split.TRAIN, Split.VAL, Split.TRAIN, Split.TEST_VOICE, null};
        for (int i = 0; i < splits.length; i++) {
            TestAudio.pair(data, String.format("conv_%06d", i + 1), splits[i], TestAudio.tone(1_600 + 480 * i, i),
                    TestAudio.tone(3_200 - 320 * i, 10 + i), 16_000);
        }
        corpus = ConversationCorpus.open(data);
        codec = new FakeCodec("fake-a");
        cache = new CodeCache(dir.resolve("cache"), codec);
    }

    private int[][] fresh(Path wav) {
        return new FakeCodec("x").encode(AudioIO.readMono(wav, FakeCodec.RATE));
    }

    @Test
    void conversationPairsTheUsersTurnWithTheAssistantsAnswer() {
        PairDataset data = PairDataset.conversation(corpus, cache, 3);

        assertThat(data.task()).isEqualTo(PairDataset.Task.CONVERSATION);
        assertThat(data.codebooks()).isEqualTo(2);
        assertThat(data.codebookSize()).isEqualTo(16);
        assertThat(data.problems()).isEmpty();
        assertThat(data.pairs()).extracting(CodePair::id)
                .containsExactly("conv_000001", "conv_000002", "conv_000003", "conv_000004", "conv_000005");
        assertThat(data.pairs()).extracting(CodePair::split)
                .containsExactly(Split.TRAIN, Split.VAL, Split.TRAIN, Split.TEST_VOICE, Split.TRAIN);
        for (int i = 0; i < 5; i++) {
            ConversationPair source = corpus.pairs().get(i);
            CodePair pair = data.pairs().get(i);
            assertThat(pair.input()).isDeepEqualTo(fresh(source.userWav()));
            assertThat(pair.target()).isDeepEqualTo(fresh(source.assistantWav()));
            assertThat(pair.inputFrames()).isEqualTo(10 + 3 * i);
            assertThat(pair.targetFrames()).isEqualTo(20 - 2 * i);
        }
        assertThat(data.pairs(Split.TRAIN)).extracting(CodePair::id)
                .containsExactly("conv_000001", "conv_000003", "conv_000005");
        assertThat(data.pairs(Split.TEST_SLOT)).isEmpty();
        assertThat(codec.encodes()).isEqualTo(10);
    }

    @Test
    void aSecondBuildComesFromTheCache() {
        PairDataset first = PairDataset.conversation(corpus, cache, 2);
        PairDataset second = PairDataset.conversation(corpus, cache, 2);

        assertThat(codec.encodes()).isEqualTo(10);
        assertThat(cache.hits()).isEqualTo(10);
        for (int i = 0; i < 5; i++) {
            assertThat(second.pairs().get(i).input()).isDeepEqualTo(first.pairs().get(i).input());
            assertThat(second.pairs().get(i).target()).isDeepEqualTo(first.pairs().get(i).target());
        }
    }

    @Test
    void reconstructionMakesEveryTurnItsOwnPair() {
        PairDataset data = PairDataset.reconstruction(corpus, cache, 4);

        assertThat(data.task()).isEqualTo(PairDataset.Task.RECONSTRUCTION);
        assertThat(data.pairs()).hasSize(10);
        assertThat(data.pairs()).extracting(CodePair::id).startsWith("conv_000001/user", "conv_000001/assistant",
                "conv_000002/user").endsWith("conv_000005/assistant");
        assertThat(data.pairs(Split.VAL)).extracting(CodePair::id)
                .containsExactly("conv_000002/user", "conv_000002/assistant");
        for (int i = 0; i < 5; i++) {
            ConversationPair source = corpus.pairs().get(i);
            CodePair user = data.pairs().get(2 * i);
            CodePair assistant = data.pairs().get(2 * i + 1);
            assertThat(user.input()).isDeepEqualTo(fresh(source.userWav())).isDeepEqualTo(user.target());
            assertThat(assistant.input()).isDeepEqualTo(fresh(source.assistantWav())).isDeepEqualTo(assistant.target());
            assertThat(user.split()).isEqualTo(source.split());
        }
        assertThat(codec.encodes()).isEqualTo(10);
    }

    @Test
    void audioThatFailsToReadCostsOnlyItsPair() throws Exception {
        // Broken after the corpus was opened: a file deleted and one overwritten meanwhile.
        Files.delete(corpus.pairs().get(1).assistantWav());
        Files.writeString(corpus.pairs().get(3).userWav(), "not audio any more");

        PairDataset conversation = PairDataset.conversation(corpus, cache, 2);
        PairDataset reconstruction = PairDataset.reconstruction(corpus, cache, 2);

        assertThat(conversation.pairs()).extracting(CodePair::id)
                .containsExactly("conv_000001", "conv_000003", "conv_000005");
        assertThat(conversation.problems()).hasSize(2);
        assertThat(conversation.problems().get(0)).startsWith("conv_000002: ").contains("assistant.wav");
        assertThat(conversation.problems().get(1)).startsWith("conv_000004: ").contains("user.wav");
        assertThat(reconstruction.pairs()).hasSize(8).extracting(CodePair::id)
                .contains("conv_000002/user", "conv_000004/assistant")
                .doesNotContain("conv_000002/assistant", "conv_000004/user");
        assertThat(reconstruction.problems()).hasSize(2);
        assertThat(reconstruction.problems().get(0)).startsWith("conv_000002/assistant: ");
        assertThat(reconstruction.problems().get(1)).startsWith("conv_000004/user: ");
    }

    @Test
    void aCodecThatBreaksItsOwnContractStopsTheBuild() {
        FakeCodec liar = new FakeCodec("liar") {
            @Override
            public int[][] encode(float[] pcm) {
                int[][] codes = super.encode(pcm);
                codes[1][0] = FakeCodec.K;
                return codes;
            }
        };
        assertThatThrownBy(() -> PairDataset.conversation(corpus, new CodeCache(dir.resolve("cache"), liar), 2))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("codec liar's codes of").hasMessageContaining(": code 16 at codebook 1, frame 0 is outside [0, 16)");
    }

    @Test
    void workersMustBePositive() {
        assertThatThrownBy(() -> PairDataset.conversation(corpus, cache, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("workers");
    }

    @Test
    void ofChecksShapesAndCodeRanges() {
        int[][] ok = {{0, 15}, {3, 4}};
        PairDataset data = PairDataset.of(List.of(new CodePair("a", Split.VAL, ok, new int[][] {{1}, {2}})), 2, 16,
                PairDataset.Task.CONVERSATION);
        assertThat(data.pairs()).hasSize(1);
        assertThat(data.problems()).isEmpty();

        assertThatThrownBy(() -> PairDataset.of(List.of(new CodePair("b", Split.TRAIN, ok, new int[][] {{1}, {2}, {3}})),
                2, 16, PairDataset.Task.CONVERSATION)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("target of b: 3 codebooks, expected 2");
        assertThatThrownBy(() -> PairDataset.of(List.of(new CodePair("c", Split.TRAIN, new int[][] {{0, 16}, {0, 0}}, ok)),
                2, 16, PairDataset.Task.CONVERSATION)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("input of c: code 16 at codebook 0, frame 1 is outside [0, 16)");
        assertThatThrownBy(() -> PairDataset.of(List.of(new CodePair("d", Split.TRAIN, ok, new int[][] {{0}, {-1}})),
                2, 16, PairDataset.Task.CONVERSATION)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outside");
        assertThatThrownBy(() -> new CodePair("e", Split.TRAIN, new int[][] {{0, 1}, {0}}, ok))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("input of e: codebook 1 has 1 frame, codebook 0 has 2");
        assertThatThrownBy(() -> new CodePair("f", Split.TRAIN, ok, new int[0][]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("target of f: no codebooks");
        assertThatThrownBy(() -> PairDataset.of(List.of(), 0, 16, PairDataset.Task.CONVERSATION))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PairDataset.of(List.of(), 2, 0, PairDataset.Task.CONVERSATION))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
