package dev.samvaad.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.samvaad.audio.AudioIO;
import dev.samvaad.audio.WavWriter;
import dev.samvaad.codec.AudioCodec;
import dev.samvaad.codec.CodecTrainer;
import dev.samvaad.dataset.CodeCache;
import dev.samvaad.dataset.ConversationCorpus;
import dev.samvaad.dataset.PairDataset;
import dev.samvaad.dataset.PairMeta;
import dev.samvaad.dataset.Split;
import dev.samvaad.infer.FastDecoder;
import dev.samvaad.infer.GenerationOptions;
import dev.samvaad.infer.ModelConfig;
import dev.samvaad.infer.WeightNames;
import dev.samvaad.metrics.Mfcc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The scoring functions on hand-made audio and codes, and a whole evaluation on a tiny codec and random model. */
class ResponseEvaluatorTest {
    private static final int RATE = 16_000;
    private static AudioCodec codec;

    @BeforeAll
    static void trainCodec() {
        List<float[]> signals = new ArrayList<>();
        for (int s = 0; s < 6; s++) {
            signals.add(tone(150 + 120 * s, 0.8, s % 2 == 0, 0.02, s));
        }
        codec = CodecTrainer.trainOnSignals(signals,
                CodecTrainer.Options.defaults().withCodebooks(2, 16).withIterations(3));
    }

    /** A tone of {@code seconds} at {@code hz}, rising or falling in loudness, plus gaussian noise. */
    static float[] tone(double hz, double seconds, boolean rising, double noise, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] pcm = new float[(int) (seconds * RATE)];
        for (int i = 0; i < pcm.length; i++) {
            double position = (double) i / pcm.length;
            double envelope = rising ? position : 1 - position;
            pcm[i] = (float) (0.5 * envelope * Math.sin(2 * Math.PI * hz * i / RATE) + noise * rng.nextGaussian());
        }
        return pcm;
    }

    @Test
    void retrievalFindsTheAnswerANoisyCopyCameFrom() {
        Mfcc mfcc = new Mfcc(RATE);
        List<float[]> answers = List.of(tone(300, 0.6, true, 0, 1), tone(600, 0.6, false, 0, 2),
                tone(900, 0.6, true, 0, 3));
        List<float[][]> candidates = answers.stream().map(mfcc::normalised).toList();
        float[] generated = answers.get(1).clone();
        SplittableRandom rng = new SplittableRandom(9);
        for (int i = 0; i < generated.length; i++) {
            generated[i] += (float) (0.02 * rng.nextGaussian());
        }

        assertThat(dev.samvaad.metrics.Dtw.nearest(mfcc.normalised(generated), candidates)).isEqualTo(1);
        assertThat(ResponseEvaluator.chance(candidates.size())).isCloseTo(1.0 / 3, within(1e-12));
    }

    @Test
    void codeAccuracyPenalisesLength() {
        int[][] generated = {{1, 2, 3, 4}, {5, 6, 7, 8}};
        int[][] reference = {{1, 2, 9}, {5, 6, 0}};

        assertThat(ResponseEvaluator.codeAccuracy(generated, reference)).isEqualTo(0.5);
        assertThat(ResponseEvaluator.codeAccuracy(reference, reference)).isEqualTo(1.0);
        assertThat(ResponseEvaluator.codeAccuracy(new int[2][0], reference)).isEqualTo(0.0);
    }

    @Test
    void percentilesAreNearestRank() {
        double[] values = {50, 10, 40, 30, 20};

        assertThat(dev.samvaad.agent.LatencySummary.percentile(values, 50)).isEqualTo(30);
        assertThat(dev.samvaad.agent.LatencySummary.percentile(values, 95)).isEqualTo(50);
        assertThat(dev.samvaad.agent.LatencySummary.percentile(values, 1)).isEqualTo(10);
        assertThat(dev.samvaad.agent.LatencySummary.percentile(new double[0], 50)).isNaN();
    }

    @Test
    void splitsComeInReportOrder() {
        assertThat(ResponseEvaluator.reportOrder(EnumSet.of(Split.TRAIN, Split.TEST_SLOT, Split.VAL)))
                .containsExactly(Split.VAL, Split.TEST_SLOT, Split.TRAIN);
    }

    @Test
    void evaluatesEverySplitEndToEnd(@TempDir Path samples) throws Exception {
        ModelConfig config = new ModelConfig(2, 16, 32, 4, 1, 1, 64, 128);
        FastDecoder decoder = FastDecoder.of(config, WeightNames.initial(config, 11));
        // Test-slot first, to show the report reorders; its two items share one answer text.
        List<EvalItem> items = List.of(
                item("s1", Split.TEST_SLOT, 200, 500, "same answer"),
                item("s2", Split.TEST_SLOT, 250, 500, "same answer"),
                item("v1", Split.VAL, 300, 700, "first answer"),
                item("v2", Split.VAL, 350, 900, "second answer"));
        ResponseEvaluator.Options options = ResponseEvaluator.Options.defaults()
                .withGeneration(GenerationOptions.builder().maxFrames(30).build())
                .withSamplesPerSplit(1)
                .withSampleDir(samples);

        EvaluationReport report = new ResponseEvaluator(decoder, codec, options).evaluate(items);

        assertThat(report.splits()).extracting(SplitResult::split).containsExactly(Split.VAL, Split.TEST_SLOT);
        SplitResult val = report.split(Split.VAL).orElseThrow();
        SplitResult slot = report.split(Split.TEST_SLOT).orElseThrow();
        assertThat(val.items()).isEqualTo(2);
        // Retrieval is among every distinct answer given, all splits together.
        assertThat(val.distinctAnswers()).isEqualTo(3);
        assertThat(val.chance()).isEqualTo(1.0 / 3);
        assertThat(slot.distinctAnswers()).isEqualTo(3);
        assertThat(val.retrievalLow95()).isLessThanOrEqualTo(val.retrievalAccuracy());
        assertThat(val.retrievalHigh95()).isGreaterThanOrEqualTo(val.retrievalAccuracy());
        assertThat(val.perIntent()).containsOnlyKeys("-");
        assertThat(val.perIntent().get("-").items()).isEqualTo(2);
        assertThat(val.textExactMatch()).as("a model without a monologue has no text figures").isNaN();
        for (SplitResult r : report.splits()) {
            assertThat(r.emptyAnswers()).isZero();
            assertThat(r.retrievalAccuracy()).isBetween(0.0, 1.0);
            assertThat(r.codeAccuracy()).isBetween(0.0, 1.0);
            assertThat(r.firstAudioP50Ms()).isPositive();
            assertThat(r.firstAudioP95Ms()).isGreaterThanOrEqualTo(r.firstAudioP50Ms());
            assertThat(r.meanRtf()).isPositive();
            assertThat(r.lengthRatio()).isPositive();
            assertThat(r.logMelDistance()).isGreaterThanOrEqualTo(0.0);
        }
        assertThat(samples.resolve("val/spectrograms.png")).isNotEmptyFile();
        // With one candidate the nearest is always the right one.
        EvaluationReport single = new ResponseEvaluator(decoder, codec, options.withSampleDir(null)).evaluate(
                items.subList(0, 2), List.of(new ResponseEvaluator.Reference("same answer", items.get(0).referenceAnswerAudio())));
        assertThat(single.split(Split.TEST_SLOT).orElseThrow().retrievalCorrect()).isEqualTo(2);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ResponseEvaluator(decoder, codec, options)
                .evaluate(items, List.of(new ResponseEvaluator.Reference("same answer", items.get(0).referenceAnswerAudio()))))
                .hasMessageContaining("is not among the 1 references");

        for (String file : List.of("val/v1-generated.wav", "val/v1-reference.wav", "test-slot/s1-generated.wav",
                "test-slot/s1-reference.wav")) {
            assertThat(AudioIO.readMono(samples.resolve(file), codec.sampleRate())).isNotEmpty();
        }
        assertThat(samples.resolve("val/v2-generated.wav")).doesNotExist();

        ObjectMapper json = new ObjectMapper();
        JsonNode tree = json.readTree(json.writeValueAsString(report.toJson(Map.of("model", "random"))));
        assertThat(tree.at("/settings/model").asText()).isEqualTo("random");
        assertThat(tree.at("/machine/cores").asInt()).isPositive();
        assertThat(tree.at("/machine/tensorKernels").asText()).isNotBlank();
        assertThat(tree.at("/splits/0/split").asText()).isEqualTo("val");
        assertThat(tree.at("/splits/1/chance").asDouble()).isEqualTo(1.0 / 3);
        assertThat(tree.at("/splits/0/retrievalInterval95").size()).isEqualTo(2);

        String markdown = report.toMarkdown();
        assertThat(markdown).contains("| val |", "| test-slot |", "chance", "| 0.333 |", "Retrieval per intent");
        assertThat(report.toTable()).contains("val", "test-slot");
    }

    @Test
    void buildsItemsFromTheHeldOutPairsOfACorpus(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        writePair(data.resolve("conv_000001"), Split.TRAIN, "trained answer");
        writePair(data.resolve("conv_000002"), Split.VAL, "held-out answer");
        writePair(data.resolve("conv_000003"), Split.TEST_VOICE, "held-out answer");
        ConversationCorpus corpus = ConversationCorpus.open(data);
        PairDataset dataset = PairDataset.conversation(corpus, new CodeCache(dir.resolve("cache"), codec), 1);

        List<EvalItem> items = ResponseEvaluator.items(corpus, dataset, codec);

        assertThat(items).extracting(EvalItem::id).containsExactly("conv_000002", "conv_000003");
        assertThat(items).extracting(EvalItem::split).containsExactly(Split.VAL, Split.TEST_VOICE);
        assertThat(items).extracting(EvalItem::answerText).containsOnly("held-out answer");
        EvalItem first = items.get(0);
        assertThat(first.referenceAnswerAudio()).hasSize(8_000);
        assertThat(first.answerCodes()[0]).hasSize(25);
        assertThat(first.questionCodes()).hasDimensions(2, 20);
    }

    private static void writePair(Path folder, Split split, String answer) throws Exception {
        WavWriter.writePcm16(folder.resolve("user.wav"), tone(220, 0.4, true, 0.01, 1), RATE);
        WavWriter.writePcm16(folder.resolve("assistant.wav"), tone(440, 0.5, false, 0.01, 2), RATE);
        PairMeta meta = new PairMeta("a question?", answer, "test", "tone", split, Map.of(), Map.of());
        Files.writeString(folder.resolve("meta.json"), new ObjectMapper().writeValueAsString(meta));
    }

    private static EvalItem item(String id, Split split, double questionHz, double answerHz, String text) {
        float[] answer = tone(answerHz, 0.5, false, 0.01, id.hashCode());
        return new EvalItem(id, split, codec.encode(tone(questionHz, 0.4, true, 0.01, 7)), codec.encode(answer),
                answer, text);
    }

    @Test
    void aModelOfOtherCodesThanTheCodecsIsRefused() {
        ModelConfig config = new ModelConfig(3, 16, 32, 4, 1, 1, 64, 128);
        FastDecoder decoder = FastDecoder.of(config, WeightNames.initial(config, 12));
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> new ResponseEvaluator(decoder, codec, ResponseEvaluator.Options.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the model produces 3 codebooks of 16 codes, the codec " + codec.fingerprint()
                        + " decodes 2 of 16");
    }

    @Test
    void characterErrorRateCountsEditsOverTheReferenceLength() {
        assertThat(SplitResult.characterErrorRate("సరే", "సరే")).isZero();
        assertThat(SplitResult.characterErrorRate("", "abcd")).isEqualTo(1.0);
        assertThat(SplitResult.characterErrorRate("abxd", "abcd")).isEqualTo(0.25);
        assertThat(SplitResult.characterErrorRate("abcde", "abcd")).isEqualTo(0.25);
        assertThat(SplitResult.characterErrorRate("x", "")).isEqualTo(1.0);
        assertThat(SplitResult.characterErrorRate("", "")).isZero();
    }

    @Test
    void wilsonIntervalHoldsTheProportionAndStaysInsideZeroToOne() {
        double[] half = SplitResult.wilson95(20, 40);
        assertThat(half[0]).isCloseTo(0.352, org.assertj.core.data.Offset.offset(0.002));
        assertThat(half[1]).isCloseTo(0.648, org.assertj.core.data.Offset.offset(0.002));
        double[] all = SplitResult.wilson95(40, 40);
        assertThat(all[1]).isEqualTo(1.0);
        assertThat(all[0]).isCloseTo(0.912, org.assertj.core.data.Offset.offset(0.002));
        assertThat(SplitResult.wilson95(0, 40)[0]).isZero();
    }
}
