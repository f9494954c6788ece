package dev.samvaad.infer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class FastDecoderTest {
    private static final ModelConfig EVEN = new ModelConfig(2, 8, 32, 4, 2, 2, 64, 64);
    /** Odd sizes everywhere; maxFrames above the cache's initial 64 rows so the cache must grow. */
    private static final ModelConfig ODD = new ModelConfig(3, 5, 24, 3, 1, 3, 40, 96);
    private static final ModelConfig TINY = new ModelConfig(2, 3, 4, 1, 1, 1, 6, 8);
    private static final ModelConfig TINY_TWO_HEADS = new ModelConfig(2, 3, 4, 2, 1, 1, 6, 8);

    static List<ModelConfig> configs() {
        return List.of(EVEN, ODD);
    }

    static List<ModelConfig> referenceConfigs() {
        return List.of(TINY, TINY_TWO_HEADS, EVEN, ODD);
    }

    @ParameterizedTest
    @MethodSource("configs")
    void cachedStepsEqualFullForwardAtEveryPosition(ModelConfig config) {
        FastDecoder decoder = FastDecoder.of(config, TestModels.randomWeights(config, 1, 0.2));
        int[][] source = TestModels.randomCodes(config.codebooks(), 11, config.codebookSize(), 2);
        int frames = config.maxFrames() - 4;
        int[][] input = decoderInput(config, TestModels.randomCodes(config.codebooks(), frames - 1, config.layout().vocabulary(), 3));

        float[][] full = decoder.forwardFull(source, input);
        FastDecoder.Session session = decoder.start(source);
        for (int t = 0; t < frames; t++) {
            float[] logits = session.step(column(input, t));
            assertThat(logits).as("position %d", t).containsExactly(full[t], within(1e-4f));
        }
        assertThat(session.position()).isEqualTo(frames);
    }

    @ParameterizedTest
    @MethodSource("referenceConfigs")
    void matchesTheSpecificationWrittenOutInDoubles(ModelConfig config) {
        Map<String, float[]> weights = TestModels.randomWeights(config, 4, 0.2);
        FastDecoder decoder = FastDecoder.of(config, weights);
        int[][] source = TestModels.randomCodes(config.codebooks(), 5, config.codebookSize(), 5);
        int[][] input = decoderInput(config, TestModels.randomCodes(config.codebooks(), 5, config.layout().vocabulary(), 6));

        double[][] expected = new ReferenceModel(config, weights).logits(source, input);
        float[][] full = decoder.forwardFull(source, input);
        FastDecoder.Session session = decoder.start(source);
        for (int t = 0; t < expected.length; t++) {
            float[] stepped = session.step(column(input, t));
            for (int i = 0; i < expected[t].length; i++) {
                assertThat((double) full[t][i]).as("full, position %d logit %d", t, i).isCloseTo(expected[t][i], within(1e-4));
                assertThat((double) stepped[i]).as("step, position %d logit %d", t, i).isCloseTo(expected[t][i], within(1e-4));
            }
        }
    }

    @Test
    void greedyGenerationIsDeterministicAndFollowsTheArgmaxOfTheFullForward() {
        FastDecoder decoder = FastDecoder.of(EVEN, TestModels.randomWeights(EVEN, 7, 0.2));
        int[][] source = TestModels.randomCodes(EVEN.codebooks(), 6, EVEN.codebookSize(), 8);
        GenerationOptions options = GenerationOptions.builder().maxFrames(12).build();

        int[][] first = decoder.start(source).generate(options, FrameListener.none());
        int[][] second = decoder.start(source).generate(options, FrameListener.none());

        assertThat(second).isDeepEqualTo(first);
        int frames = first[0].length;
        assertThat(frames).isPositive();
        // Each frame is the masked argmax of the full forward over the frames before it.
        float[][] logits = decoder.forwardFull(source, decoderInput(EVEN, first));
        int v = EVEN.layout().vocabulary();
        for (int t = 0; t < frames; t++) {
            for (int q = 0; q < EVEN.codebooks(); q++) {
                int best = 0;
                for (int i = 1; i < v; i++) {
                    if (i != EVEN.layout().pad() && i != EVEN.layout().bos() && logits[t][q * v + i] > logits[t][q * v + best]) {
                        best = i;
                    }
                }
                assertThat(best).as("frame %d codebook %d", t, q).isNotEqualTo(EVEN.layout().eos());
                assertThat(first[q][t]).as("frame %d codebook %d", t, q).isEqualTo(best);
            }
        }
    }

    @Test
    void eosOnCodebookZeroEndsTheAnswerBeforeItsFirstFrame() {
        Map<String, float[]> weights = TestModels.randomWeights(EVEN, 9, 0.2);
        TestModels.biasHead(EVEN, weights, 0, EVEN.layout().eos(), 50f);
        FastDecoder decoder = FastDecoder.of(EVEN, weights);
        List<Integer> heard = new ArrayList<>();

        int[][] codes = decoder.start(TestModels.randomCodes(2, 5, 8, 10))
                .generate(GenerationOptions.greedy(), (index, frame) -> heard.add(index));

        assertThat(codes).hasNumberOfRows(2);
        assertThat(codes[0]).isEmpty();
        assertThat(codes[1]).isEmpty();
        assertThat(heard).isEmpty();
    }

    @Test
    void withoutEosTheAnswerRunsToTheDefaultFrameLimit() {
        Map<String, float[]> weights = TestModels.randomWeights(EVEN, 9, 0.2);
        TestModels.biasHead(EVEN, weights, 0, EVEN.layout().eos(), -50f);
        FastDecoder decoder = FastDecoder.of(EVEN, weights);

        int[][] shortSource = decoder.start(TestModels.randomCodes(2, 5, 8, 10))
                .generate(GenerationOptions.builder().temperature(1f).seed(3).build(), FrameListener.none());
        int[][] longSource = decoder.start(TestModels.randomCodes(2, 30, 8, 10))
                .generate(GenerationOptions.greedy(), FrameListener.none());
        int[][] explicit = decoder.start(TestModels.randomCodes(2, 5, 8, 10))
                .generate(GenerationOptions.builder().maxFrames(7).build(), FrameListener.none());

        assertThat(shortSource[0]).hasSize(2 * 5 + 20);
        assertThat(longSource[0]).hasSize(EVEN.maxFrames() - 1);
        assertThat(explicit[1]).hasSize(7);
    }

    @Test
    void aStopRequestEndsTheAnswerWithTheFramesChosenSoFar() {
        Map<String, float[]> weights = TestModels.randomWeights(EVEN, 9, 0.2);
        TestModels.biasHead(EVEN, weights, 0, EVEN.layout().eos(), -50f);
        FastDecoder decoder = FastDecoder.of(EVEN, weights);
        int[][] source = TestModels.randomCodes(2, 5, 8, 10);
        int[][] whole = decoder.start(source).generate(GenerationOptions.greedy(), FrameListener.none());
        List<Integer> heard = new ArrayList<>();

        int[][] stopped = decoder.start(source).generate(GenerationOptions.greedy(),
                (index, frame) -> heard.add(index), () -> heard.size() >= 3);

        assertThat(heard).containsExactly(0, 1, 2);
        assertThat(stopped).hasNumberOfRows(2);
        for (int q = 0; q < 2; q++) {
            assertThat(stopped[q]).containsExactly(Arrays.copyOf(whole[q], 3));
        }
        assertThat(decoder.start(source).generate(GenerationOptions.greedy(), FrameListener.none(), () -> true)[0])
                .isEmpty();
    }

    @Test
    void samplingStopsWhereCodebookZeroDrawsEos() {
        Map<String, float[]> weights = TestModels.randomWeights(EVEN, 11, 0.2);
        // EOS about as likely as all codes together: answers of a few frames, varying with the seed.
        TestModels.biasHead(EVEN, weights, 0, EVEN.layout().eos(), 3f);
        FastDecoder decoder = FastDecoder.of(EVEN, weights);
        int[][] source = TestModels.randomCodes(2, 8, 8, 12);
        int limit = 2 * 8 + 20;

        List<Integer> lengths = new ArrayList<>();
        for (long seed = 0; seed < 20; seed++) {
            List<Integer> heard = new ArrayList<>();
            int[][] codes = decoder.start(source).generate(
                    GenerationOptions.builder().temperature(1f).seed(seed).build(), (index, frame) -> heard.add(index));
            assertThat(heard).hasSize(codes[0].length);
            lengths.add(codes[0].length);
        }
        assertThat(lengths).anyMatch(n -> n > 0 && n < limit);
        assertThat(lengths.stream().distinct().count()).isGreaterThan(1);
    }

    @Test
    void eosInAnotherCodebookBecomesItsBestCode() {
        Map<String, float[]> weights = TestModels.randomWeights(EVEN, 13, 0.2);
        TestModels.biasHead(EVEN, weights, 0, EVEN.layout().eos(), -50f);
        TestModels.biasHead(EVEN, weights, 1, EVEN.layout().eos(), 50f);
        FastDecoder decoder = FastDecoder.of(EVEN, weights);
        int[][] source = TestModels.randomCodes(2, 4, 8, 14);

        int[][] codes = decoder.start(source).generate(GenerationOptions.builder().maxFrames(6).build(), FrameListener.none());

        assertThat(codes[1]).hasSize(6);
        assertThat(Arrays.stream(codes[1])).allMatch(code -> code >= 0 && code < EVEN.codebookSize());
        // The replacement is the best of the K codes in the logits the frame was drawn from.
        float[][] logits = decoder.forwardFull(source, decoderInput(EVEN, codes));
        int v = EVEN.layout().vocabulary();
        for (int t = 0; t < 6; t++) {
            int best = 0;
            for (int i = 1; i < EVEN.codebookSize(); i++) {
                if (logits[t][v + i] > logits[t][v + best]) {
                    best = i;
                }
            }
            assertThat(codes[1][t]).isEqualTo(best);
        }
    }

    @Test
    void padAndBosAreNeverEmittedEvenWhenFavoured() {
        Map<String, float[]> weights = TestModels.randomWeights(ODD, 15, 0.2);
        for (int q = 0; q < ODD.codebooks(); q++) {
            TestModels.biasHead(ODD, weights, q, ODD.layout().pad(), 40f);
            TestModels.biasHead(ODD, weights, q, ODD.layout().bos(), 40f);
        }
        TestModels.biasHead(ODD, weights, 0, ODD.layout().eos(), -50f);
        FastDecoder decoder = FastDecoder.of(ODD, weights);
        int[][] source = TestModels.randomCodes(3, 6, 5, 16);

        for (GenerationOptions options : List.of(GenerationOptions.builder().maxFrames(10).build(),
                GenerationOptions.builder().temperature(2f).seed(5).maxFrames(10).build(),
                GenerationOptions.builder().temperature(1f).topK(3).seed(6).maxFrames(10).build())) {
            int[][] codes = decoder.start(source).generate(options, FrameListener.none());
            for (int[] row : codes) {
                assertThat(row).hasSize(10);
                assertThat(Arrays.stream(row)).allMatch(code -> code >= 0 && code < ODD.codebookSize());
            }
        }
    }

    @Test
    void samplingWithTheSameSeedRepeats() {
        FastDecoder decoder = FastDecoder.of(ODD, TestModels.randomWeights(ODD, 17, 0.2));
        int[][] source = TestModels.randomCodes(3, 9, 5, 18);
        GenerationOptions options = GenerationOptions.builder().temperature(1.2f).topK(4).seed(99).maxFrames(15).build();

        int[][] first = decoder.start(source).generate(options, FrameListener.none());
        int[][] again = decoder.start(source).generate(options, FrameListener.none());
        int[][] otherSeed = decoder.start(source).generate(
                GenerationOptions.builder().temperature(1.2f).topK(4).seed(100).maxFrames(15).build(), FrameListener.none());

        assertThat(again).isDeepEqualTo(first);
        assertThat(Arrays.deepEquals(otherSeed, first)).isFalse();
    }

    @Test
    void framesReachTheListenerInOrderAsSoonAsChosen() {
        FastDecoder decoder = FastDecoder.of(EVEN, TestModels.randomWeights(EVEN, 19, 0.2));
        FastDecoder.Session session = decoder.start(TestModels.randomCodes(2, 7, 8, 20));
        List<int[]> heard = new ArrayList<>();
        List<Integer> indices = new ArrayList<>();

        int[][] codes = session.generate(GenerationOptions.builder().temperature(1f).seed(1).maxFrames(10).build(),
                (index, frame) -> {
                    // Frame `index` follows the step at position `index` (BOS is position 0) and comes
                    // before the step that feeds it back: nothing waits for the end of the answer.
                    assertThat(session.position()).isEqualTo(index + 1);
                    indices.add(index);
                    heard.add(frame);
                });

        assertThat(indices).containsExactlyElementsOf(range(codes[0].length));
        for (int t = 0; t < codes[0].length; t++) {
            assertThat(heard.get(t)).containsExactly(column(codes, t));
        }
    }

    @Test
    void concurrentSessionsOnOneDecoderMatchASingleThread() throws Exception {
        FastDecoder decoder = FastDecoder.of(EVEN, TestModels.randomWeights(EVEN, 21, 0.2));
        int jobs = 8;
        List<int[][]> sources = new ArrayList<>();
        List<GenerationOptions> options = new ArrayList<>();
        List<int[][]> expected = new ArrayList<>();
        for (int j = 0; j < jobs; j++) {
            sources.add(TestModels.randomCodes(2, 10 + j, 8, 100 + j));
            options.add(GenerationOptions.builder().temperature(j % 2 == 0 ? 0f : 1f).seed(j).maxFrames(25).build());
            expected.add(decoder.start(sources.get(j)).generate(options.get(j), FrameListener.none()));
        }

        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<int[][]>> results = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (int j = 0; j < jobs; j++) {
                    int job = j;
                    results.add(pool.submit(() -> decoder.start(sources.get(job)).generate(options.get(job), FrameListener.none())));
                }
            }
            for (int i = 0; i < results.size(); i++) {
                assertThat(results.get(i).get()).as("job %d", i % jobs).isDeepEqualTo(expected.get(i % jobs));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void rejectsMalformedFramesAndCodes() {
        FastDecoder decoder = FastDecoder.of(EVEN, TestModels.randomWeights(EVEN, 23, 0.2));
        int[][] source = TestModels.randomCodes(2, 4, 8, 24);
        FastDecoder.Session session = decoder.start(source);

        assertThatThrownBy(() -> session.step(new int[] {EVEN.layout().bos()}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 tokens, got 1");
        assertThatThrownBy(() -> session.step(new int[] {EVEN.layout().bos(), EVEN.layout().vocabulary()}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("token 1 = 11");
        assertThatThrownBy(() -> session.step(new int[] {-1, 0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("token 0 = -1");
        assertThat(session.position()).isZero();

        assertThatThrownBy(() -> decoder.start(new int[][] {{1, 2}, {3, EVEN.layout().pad()}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sourceCodes: code 8 at codebook 1, frame 1 is outside [0, 8)");
        assertThatThrownBy(() -> decoder.start(new int[][] {{1, 2}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sourceCodes: 1 codebook, expected 2");
        assertThatThrownBy(() -> decoder.start(new int[][] {{1, 2}, {3}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sourceCodes: codebook 1 has 1 frame, codebook 0 has 2");
        assertThatThrownBy(() -> decoder.start(new int[][] {{}, {}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 0");
        assertThatThrownBy(() -> decoder.start(new int[2][EVEN.maxFrames() + 1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 64 frames");
        assertThatThrownBy(() -> decoder.forwardFull(source, new int[][] {{EVEN.layout().bos()}, {EVEN.layout().vocabulary()}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("decoderInput: code 11 at codebook 1, frame 0");
    }

    @Test
    void rejectsMisuseOfASession() {
        FastDecoder decoder = FastDecoder.of(TINY, TestModels.randomWeights(TINY, 25, 0.2));
        FastDecoder.Session session = decoder.start(TestModels.randomCodes(2, 3, 3, 26));

        assertThatThrownBy(() -> session.generate(GenerationOptions.builder().maxFrames(TINY.maxFrames()).build(), FrameListener.none()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceeds 7");
        for (int t = 0; t < TINY.maxFrames(); t++) {
            session.step(decoder.bosFrame());
        }
        assertThatThrownBy(() -> session.step(decoder.bosFrame())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> session.generate(GenerationOptions.greedy(), FrameListener.none()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("fresh session");
    }

    @ParameterizedTest
    @MethodSource("configs")
    void aTruncatedSessionStepsOnAsAFreshOneWould(ModelConfig config) {
        FastDecoder decoder = FastDecoder.of(config, TestModels.randomWeights(config, 27, 0.2));
        int[][] source = TestModels.randomCodes(config.codebooks(), 7, config.codebookSize(), 28);
        // Past the cache's first 64 rows for ODD, so the rewind crosses a growth of the cache.
        int frames = config.maxFrames() - 4;
        int[][] input = decoderInput(config, TestModels.randomCodes(config.codebooks(), frames - 1, config.layout().vocabulary(), 29));
        FastDecoder.Session fresh = decoder.start(source);
        float[][] expected = new float[frames][];
        for (int t = 0; t < frames; t++) {
            expected[t] = fresh.step(column(input, t)).clone();
        }

        FastDecoder.Session rewound = decoder.start(source);
        for (int t = 0; t < frames; t++) {
            rewound.step(column(input, t));
        }
        for (int keep : new int[] {frames - 1, frames / 2, 1, 0}) {
            rewound.truncate(keep);
            assertThat(rewound.position()).isEqualTo(keep);
            for (int t = keep; t < frames; t++) {
                assertThat(rewound.step(column(input, t))).as("kept %d, position %d", keep, t).containsExactly(expected[t]);
            }
        }
    }

    @Test
    void truncatingIntoTheMonologueAllowsTextRowsAgain() {
        ModelConfig config = new ModelConfig(2, 8, 32, 4, 1, 2, 64, 64, 2, true).withText(List.of("a", "b", "c"));
        FastDecoder decoder = FastDecoder.of(config, TestModels.randomWeights(config, 30, 0.2));
        int[][] source = TestModels.randomCodes(config.codebooks(), 6, config.codebookSize(), 31);
        int[] text = {ModelConfig.TEXT_BOS, 5, 6, 7};
        int[][] steps = TestModels.randomCodes(3, config.streams(), config.codebookSize(), 32);
        FastDecoder.Session fresh = decoder.start(source);
        List<float[]> expected = new ArrayList<>();
        for (int token : text) {
            expected.add(fresh.stepText(token).clone());
        }
        for (int[] step : steps) {
            expected.add(fresh.step(step).clone());
        }

        FastDecoder.Session rewound = decoder.start(source);
        for (int token : text) {
            rewound.stepText(token);
        }
        rewound.step(steps[0]);
        assertThatThrownBy(() -> rewound.stepText(5)).isInstanceOf(IllegalStateException.class);
        rewound.truncate(2);
        for (int i = 2; i < text.length; i++) {
            assertThat(rewound.stepText(text[i])).as("text row %d", i).containsExactly(expected.get(i));
        }
        for (int i = 0; i < steps.length; i++) {
            assertThat(rewound.step(steps[i])).as("code step %d", i).containsExactly(expected.get(text.length + i));
        }
    }

    @Test
    void aSessionTruncatedToTheStartGeneratesAsAFreshOne() {
        FastDecoder decoder = FastDecoder.of(EVEN, TestModels.randomWeights(EVEN, 33, 0.2));
        int[][] source = TestModels.randomCodes(EVEN.codebooks(), 6, EVEN.codebookSize(), 34);
        GenerationOptions options = GenerationOptions.builder().maxFrames(10).temperature(1f).seed(3).build();
        FastDecoder.Session session = decoder.start(source);
        int[][] first = session.generate(options, FrameListener.none());

        session.truncate(0);

        assertThat(session.generate(options, FrameListener.none())).isDeepEqualTo(first);
        assertThat(decoder.start(source).generate(options, FrameListener.none())).isDeepEqualTo(first);
    }

    @Test
    void truncateRefusesPositionsNotFed() {
        FastDecoder decoder = FastDecoder.of(TINY, TestModels.randomWeights(TINY, 35, 0.2));
        FastDecoder.Session session = decoder.start(TestModels.randomCodes(2, 3, 3, 36));
        session.step(decoder.bosFrame());
        session.step(decoder.bosFrame());

        assertThatThrownBy(() -> session.truncate(3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0 to 2 rows, not 3");
        assertThatThrownBy(() -> session.truncate(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(session.position()).isEqualTo(2);
    }

    /** {@code [Q][1 + frames]}: the BOS frame, then {@code frames}. */
    private static int[][] decoderInput(ModelConfig config, int[][] frames) {
        int[][] input = new int[config.codebooks()][];
        for (int q = 0; q < input.length; q++) {
            input[q] = new int[frames[q].length + 1];
            input[q][0] = config.layout().bos();
            System.arraycopy(frames[q], 0, input[q], 1, frames[q].length);
        }
        return input;
    }

    private static int[] column(int[][] codes, int t) {
        return Arrays.stream(codes).mapToInt(row -> row[t]).toArray();
    }

    private static List<Integer> range(int n) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(i);
        }
        return out;
    }
}
