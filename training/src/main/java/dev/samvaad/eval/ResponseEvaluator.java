package dev.samvaad.eval;

import dev.samvaad.agent.LatencySummary;
import dev.samvaad.audio.AudioIO;
import dev.samvaad.audio.WavWriter;
import dev.samvaad.codec.AudioCodec;
import dev.samvaad.codec.CodeLayout;
import dev.samvaad.dataset.CodePair;
import dev.samvaad.dataset.ConversationCorpus;
import dev.samvaad.dataset.ConversationPair;
import dev.samvaad.dataset.PairDataset;
import dev.samvaad.dataset.PairMeta;
import dev.samvaad.dataset.Split;
import dev.samvaad.infer.FastDecoder;
import dev.samvaad.infer.GenerationOptions;
import dev.samvaad.infer.TextTokens;
import dev.samvaad.io.Words;
import dev.samvaad.metrics.Dtw;
import dev.samvaad.metrics.LogMelDistance;
import dev.samvaad.metrics.LogMelSpectrogram;
import dev.samvaad.metrics.Mfcc;
import dev.samvaad.tensor.TensorOps;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates a trained conversation model by the protocol of the design document: for each item
 * the model answers the question with the {@link FastDecoder}, the answer's frames are decoded to
 * audio by a streaming codec decoder as they arrive, and the answer is scored per split.
 *
 * <ul>
 *   <li><b>Retrieval accuracy</b>: the generated audio is compared, by DTW over CMVN-normalised
 *       MFCCs, with one reference recording per distinct answer text of the whole data set, every
 *       split included ({@link #references}); correct when the nearest is the item's own answer.
 *       Chance is {@code 1 / distinct answers}; the report gives a 95% Wilson interval and the
 *       figure per intent.
 *   <li><b>Code accuracy</b>: codes equal to the reference answer's at the same frame and codebook,
 *       over {@code Q * max(generated, reference)} frames, so a too long or too short answer loses.
 *   <li><b>Log-mel distance</b> of the generated from the reference audio, and the mean length
 *       ratio generated / reference frames.
 *   <li><b>Latency</b>: from calling {@link FastDecoder#start} (the end of the user's speech, whose
 *       codes are complete) until the streaming decoder gives the first audio, as nearest-rank
 *       p50 and p95; and the real-time factor, processing time / duration of the generated audio.
 * </ul>
 *
 * <pre>{@code
 * List<EvalItem> items = ResponseEvaluator.items(corpus, dataset, codec);
 * EvaluationReport report = new ResponseEvaluator(decoder, codec, ResponseEvaluator.Options.defaults()
 *         .withSampleDir(Path.of("eval-samples"))).evaluate(items);
 * }</pre>
 *
 * <p>Items are answered one after another on the calling thread, so that the timings are not
 * distorted by answers competing for cores. Not thread-safe; one evaluation at a time.
 */
public final class ResponseEvaluator {
    private static final Logger LOG = LoggerFactory.getLogger(ResponseEvaluator.class);

    /** The splits in the order reports show them; any other split follows. */
    private static final List<Split> REPORT_ORDER =
            List.of(Split.VAL, Split.TEST_VOICE, Split.TEST_PARAPHRASE, Split.TEST_SLOT);

    /**
     * How to evaluate.
     *
     * @param generation      how the model picks codes
     * @param samplesPerSplit items per split (the first ones) whose generated and reference audio are written
     * @param sampleDir       where sample WAVs go, as {@code <sampleDir>/<split>/<id>-generated.wav} and
     *                        {@code <id>-reference.wav}; {@code null} writes none
     */
    public record Options(GenerationOptions generation, int samplesPerSplit, Path sampleDir) {

        /**
         * Checks the options.
         *
         * @param generation      how the model picks codes
         * @param samplesPerSplit items per split whose audio is written, {@code >= 0}
         * @param sampleDir       where sample WAVs go; {@code null} writes none
         * @throws IllegalArgumentException if {@code samplesPerSplit} is negative
         */
        public Options {
            Objects.requireNonNull(generation, "generation");
            if (samplesPerSplit < 0) {
                throw new IllegalArgumentException("samplesPerSplit must be >= 0, got " + samplesPerSplit);
            }
        }

        /** {@return greedy decoding, 3 samples per split, no sample directory} */
        public static Options defaults() {
            return new Options(GenerationOptions.greedy(), 3, null);
        }

        /**
         * Other generation options.
         *
         * @param g how the model picks codes
         * @return these options with {@code g}
         */
        public Options withGeneration(GenerationOptions g) {
            return new Options(g, samplesPerSplit, sampleDir);
        }

        /**
         * Another number of samples.
         *
         * @param n items per split whose audio is written
         * @return these options with {@code n} samples per split
         */
        public Options withSamplesPerSplit(int n) {
            return new Options(generation, n, sampleDir);
        }

        /**
         * Another sample folder.
         *
         * @param dir where sample WAVs go; {@code null} writes none
         * @return these options with {@code dir}
         */
        public Options withSampleDir(Path dir) {
            return new Options(generation, samplesPerSplit, dir);
        }
    }

    private final FastDecoder decoder;
    private final AudioCodec codec;
    private final Options options;
    private final Mfcc mfcc;

    /**
     * An evaluator of one model with one codec.
     *
     * @param decoder the model
     * @param codec   the codec the model was trained with, to decode answers
     * @param options generation and samples
     * @throws IllegalArgumentException if the model and the codec disagree on the number of
     *     codebooks or their size
     */
    public ResponseEvaluator(FastDecoder decoder, AudioCodec codec, Options options) {
        this.decoder = Objects.requireNonNull(decoder, "decoder");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.options = Objects.requireNonNull(options, "options");
        decoder.config().layout().requireSame(CodeLayout.of(codec), "the model produces",
                "the codec " + codec.fingerprint() + " decodes");
        this.mfcc = new Mfcc(codec.sampleRate());
    }

    /**
     * Builds the evaluation items of a conversation dataset: every pair not in the train split,
     * with the dataset's input codes as question and target codes as answer, the pair's
     * assistant.wav at the codec's rate as reference audio and meta.json's answer text (the pair
     * id when the pair has no meta.json, so that it only matches itself).
     *
     * @param corpus  the conversation pairs the dataset was made from
     * @param dataset the pairs as codes
     * @param codec   the dataset's codec
     * @return the items of every split but {@code train}, in dataset order
     * @throws IllegalArgumentException if the dataset is not a conversation dataset, does not use
     *     the codec's codebooks, or holds a pair the corpus does not
     */
    public static List<EvalItem> items(ConversationCorpus corpus, PairDataset dataset, AudioCodec codec) {
        java.util.EnumSet<Split> held = java.util.EnumSet.allOf(Split.class);
        held.remove(Split.TRAIN);
        return items(corpus, dataset, codec, held, Integer.MAX_VALUE);
    }

    /**
     * {@link #items(ConversationCorpus, PairDataset, AudioCodec)} of the given splits only (train
     * may be among them, to see how well the model answers what it was trained on), at most
     * {@code perSplit} items of each, the first in dataset order.
     *
     * @param corpus   the conversation pairs the dataset was made from
     * @param dataset  the pairs as codes
     * @param codec    the dataset's codec
     * @param splits   the splits to take items from
     * @param perSplit the most items per split, {@code >= 1}
     * @return the items in dataset order
     */
    public static List<EvalItem> items(ConversationCorpus corpus, PairDataset dataset, AudioCodec codec,
            Set<Split> splits, int perSplit) {
        if (perSplit < 1) {
            throw new IllegalArgumentException("items per split must be >= 1, got " + perSplit);
        }
        if (dataset.task() != PairDataset.Task.CONVERSATION) {
            throw new IllegalArgumentException("response evaluation needs a conversation dataset, got " + dataset.task());
        }
        dataset.layout().requireSame(CodeLayout.of(codec), "the dataset holds", "the codec " + codec.fingerprint() + " has");
        Map<String, ConversationPair> byId = new HashMap<>();
        for (ConversationPair pair : corpus.pairs()) {
            byId.put(pair.id(), pair);
        }
        List<EvalItem> items = new ArrayList<>();
        Map<Split, Integer> taken = new EnumMap<>(Split.class);
        for (CodePair pair : dataset.pairs()) {
            if (!splits.contains(pair.split()) || taken.getOrDefault(pair.split(), 0) >= perSplit) {
                continue;
            }
            taken.merge(pair.split(), 1, Integer::sum);
            ConversationPair conversation = byId.get(pair.id());
            if (conversation == null) {
                throw new IllegalArgumentException("pair " + pair.id() + " of the dataset is not in the corpus at "
                        + corpus.root());
            }
            float[] reference = AudioIO.readMono(conversation.assistantWav(), codec.sampleRate());
            String text = conversation.meta().map(PairMeta::answer).orElse(pair.id());
            String intent = conversation.meta().map(PairMeta::intent).orElse("-");
            String question = conversation.meta().map(PairMeta::question).orElse(null);
            items.add(new EvalItem(pair.id(), pair.split(), pair.input(), pair.target(), reference, text, intent, question));
        }
        return items;
    }

    /**
     * One candidate of retrieval: a distinct answer text and one recording of it.
     *
     * @param text  the answer text (the pair id for a pair without meta.json)
     * @param audio mono PCM at the codec's rate
     */
    public record Reference(String text, float[] audio) {
        /**
         * Checks the reference.
         *
         * @param text  the answer text
         * @param audio its recording, not empty
         */
        public Reference {
            Objects.requireNonNull(text, "text");
            if (audio.length == 0) {
                throw new IllegalArgumentException("the reference audio of '" + text + "' is empty");
            }
        }
    }

    /**
     * The candidates of retrieval: every distinct answer text of {@code corpus}, all splits (train
     * too), each with the assistant.wav of the first pair that has it.
     *
     * @param corpus the conversation pairs
     * @param codec  gives the sample rate
     * @return the references in corpus order
     */
    public static List<Reference> references(ConversationCorpus corpus, AudioCodec codec) {
        Map<String, Reference> byText = new LinkedHashMap<>();
        for (ConversationPair pair : corpus.pairs()) {
            String text = pair.meta().map(PairMeta::answer).orElse(pair.id());
            if (!byText.containsKey(text)) {
                byText.put(text, new Reference(text, AudioIO.readMono(pair.assistantWav(), codec.sampleRate())));
            }
        }
        return List.copyOf(byText.values());
    }

    /**
     * Answers and scores every item, retrieving among the distinct answers of the items themselves
     * (all splits given).
     *
     * @param items the evaluation set
     * @return the figures per split
     * @throws IllegalArgumentException if an item's codes do not have the codec's codebooks
     */
    public EvaluationReport evaluate(List<EvalItem> items) {
        Map<String, Reference> byText = new LinkedHashMap<>();
        for (EvalItem item : items) {
            byText.putIfAbsent(item.answerText(), new Reference(item.answerText(), item.referenceAnswerAudio()));
        }
        return evaluate(items, List.copyOf(byText.values()));
    }

    /**
     * Answers and scores every item.
     *
     * @param items      the evaluation set
     * @param references the candidates of retrieval, e.g. {@link #references}; every item's
     *                   answer text must be among them
     * @return the figures per split
     * @throws IllegalArgumentException if an item's codes do not have the codec's codebooks, or its
     *     answer is not among the references
     */
    public EvaluationReport evaluate(List<EvalItem> items, List<Reference> references) {
        Map<String, Integer> candidateOfText = new LinkedHashMap<>();
        List<float[][]> candidates = new ArrayList<>();
        for (Reference r : references) {
            if (!candidateOfText.containsKey(r.text())) {
                candidateOfText.put(r.text(), candidates.size());
                candidates.add(mfcc.normalised(r.audio()));
            }
        }
        Map<Split, List<EvalItem>> bySplit = new EnumMap<>(Split.class);
        for (EvalItem item : items) {
            if (item.questionCodes().length != codec.codebooks() || item.answerCodes().length != codec.codebooks()) {
                throw new IllegalArgumentException("item " + item.id() + ": codes of " + item.questionCodes().length
                        + " (question) and " + item.answerCodes().length + " (answer) codebooks, the codec has "
                        + codec.codebooks());
            }
            if (!candidateOfText.containsKey(item.answerText())) {
                throw new IllegalArgumentException("item " + item.id() + ": its answer '" + item.answerText()
                        + "' is not among the " + candidates.size() + " references");
            }
            bySplit.computeIfAbsent(item.split(), s -> new ArrayList<>()).add(item);
        }
        List<SplitResult> results = new ArrayList<>();
        for (Split split : reportOrder(bySplit.keySet())) {
            SplitResult result = evaluateSplit(split, bySplit.get(split), candidates, candidateOfText);
            LOG.info("{}: {}, retrieval {}/{} (chance {}), first audio p50 {} ms", split, Words.count(result.items(), "item"),
                    result.retrievalCorrect(), result.items(), String.format(Locale.ROOT, "%.3f", result.chance()),
                    String.format(Locale.ROOT, "%.1f", result.firstAudioP50Ms()));
            results.add(result);
        }
        return new EvaluationReport(results, codec.fingerprint(), codec.bitrate(), options.generation());
    }

    private SplitResult evaluateSplit(Split split, List<EvalItem> items, List<float[][]> candidates,
            Map<String, Integer> candidateOfText) {
        int correct = 0, empty = 0;
        java.util.SortedMap<String, SplitResult.IntentResult> perIntent = new java.util.TreeMap<>();
        List<float[][]> sheet = new ArrayList<>();
        boolean text = decoder.config().hasText();
        List<Double> exact = new ArrayList<>(), cers = new ArrayList<>(), intentRight = new ArrayList<>();
        List<Double> questionCers = new ArrayList<>();
        List<String> intents = decoder.config().intents();
        List<Double> codeAccuracies = new ArrayList<>(), logMels = new ArrayList<>(), ratios = new ArrayList<>();
        List<Double> firstAudioMs = new ArrayList<>(), rtfs = new ArrayList<>(), processingMs = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            EvalItem item = items.get(i);
            Answer answer = answer(item);
            if (intents.contains(item.intent())) {
                float[] logits = answer.intentLogits();
                int best = TensorOps.argmax(logits, 0, logits.length);
                intentRight.add(intents.get(best).equals(item.intent()) ? 1.0 : 0.0);
            }
            if (decoder.config().recognisesQuestion() && item.questionText() != null) {
                questionCers.add(SplitResult.characterErrorRate(decoder.recognisedQuestion(item.questionCodes()),
                        TextTokens.spoken(item.questionText())));
            }
            codeAccuracies.add(codeAccuracy(answer.codes(), item.answerCodes()));
            if (text) {
                exact.add(answer.text().equals(item.answerText()) ? 1.0 : 0.0);
                cers.add(SplitResult.characterErrorRate(answer.text(), item.answerText()));
                if (i < 3) {
                    LOG.info("{} {}: wrote '{}' for '{}'", split, item.id(), answer.text(), item.answerText());
                }
            }
            if (item.answerFrames() > 0) {
                ratios.add((double) answer.frames() / item.answerFrames());
            }
            processingMs.add(answer.processingNanos() / 1e6);
            boolean right = false;
            if (answer.audio().length == 0) {
                // Nothing to compare or time: a wrong answer for retrieval, and no latency sample.
                empty++;
            } else {
                int nearest = Dtw.nearest(mfcc.normalised(answer.audio()), candidates);
                right = nearest == candidateOfText.get(item.answerText());
                if (right) {
                    correct++;
                }
                logMels.add(LogMelDistance.compute(item.referenceAnswerAudio(), answer.audio(), codec.sampleRate()));
                firstAudioMs.add(answer.firstAudioNanos() / 1e6);
                double seconds = (double) answer.audio().length / codec.sampleRate();
                rtfs.add(answer.processingNanos() / 1e9 / seconds);
            }
            SplitResult.IntentResult was = perIntent.getOrDefault(item.intent(), new SplitResult.IntentResult(0, 0));
            perIntent.put(item.intent(), new SplitResult.IntentResult(was.items() + 1, was.correct() + (right ? 1 : 0)));
            if (options.sampleDir() != null && i < options.samplesPerSplit()) {
                writeSamples(split, item, answer.audio());
                sheet.add(LogMelSpectrogram.of(answer.audio().length == 0 ? new float[1] : answer.audio(), codec.sampleRate()));
                sheet.add(LogMelSpectrogram.of(item.referenceAnswerAudio(), codec.sampleRate()));
            }
        }
        if (!sheet.isEmpty()) {
            SpectrogramSheet.write(options.sampleDir().resolve(split.id()).resolve("spectrograms.png"), sheet,
                    split.id() + ": each generated answer above its reference");
        }
        double[] interval = SplitResult.wilson95(correct, items.size());
        double[] latencies = firstAudioMs.stream().mapToDouble(Double::doubleValue).toArray();
        return new SplitResult(split, items.size(), candidates.size(), empty, correct,
                (double) correct / items.size(), chance(candidates.size()), mean(codeAccuracies), mean(logMels),
                mean(ratios), LatencySummary.percentile(latencies, 50),
                LatencySummary.percentile(latencies, 95), mean(rtfs), mean(processingMs), interval[0], interval[1],
                perIntent, mean(exact), mean(cers), mean(intentRight), mean(questionCers));
    }

    /** The model's answer to one item, decoded to audio frame by frame as it is generated. */
    private Answer answer(EvalItem item) {
        AudioCodec.Decoder stream = codec.newDecoder(codec.codebooks());
        StreamedAudio audio = new StreamedAudio();
        long start = System.nanoTime();
        FastDecoder.Session session = decoder.start(item.questionCodes());
        int[][] codes = session.generate(options.generation(), (index, frame) -> audio.add(stream.push(frame)));
        audio.add(stream.finish());
        long end = System.nanoTime();
        // A monologue that transcribes the question first is scored on its answer part.
        return new Answer(codes, audio.samples(), audio.first < 0 ? -1 : audio.first - start, end - start,
                TextTokens.answerPart(session.text()), decoder.config().intents().isEmpty() ? null : session.intentLogits());
    }

    private void writeSamples(Split split, EvalItem item, float[] generated) {
        Path dir = options.sampleDir().resolve(split.id());
        // Ids such as "conv_1/user" must not reach into other folders.
        String name = item.id().replaceAll("[^A-Za-z0-9._-]", "_");
        WavWriter.writePcm16(dir.resolve(name + "-generated.wav"), generated, codec.sampleRate());
        WavWriter.writePcm16(dir.resolve(name + "-reference.wav"), item.referenceAnswerAudio(), codec.sampleRate());
    }

    /**
     * @param codes            generated codes {@code [Q][T]}
     * @param audio            their audio
     * @param firstAudioNanos  from the encoder run to the first audio, or -1 when there was none
     * @param processingNanos  from the encoder run to the last audio
     * @param text             the monologue text, empty for a model without one
     * @param intentLogits     the encoder's intent head on the question, {@code null} for a model without one
     */
    private record Answer(int[][] codes, float[] audio, long firstAudioNanos, long processingNanos, String text,
                          float[] intentLogits) {
        int frames() {
            return codes[0].length;
        }
    }

    /** Collects the chunks of a streaming decode and notes when the first non-empty one came. */
    private static final class StreamedAudio {
        private final List<float[]> chunks = new ArrayList<>();
        private long first = -1;
        private int length;

        void add(float[] pcm) {
            if (pcm.length == 0) {
                return;
            }
            if (first < 0) {
                first = System.nanoTime();
            }
            chunks.add(pcm);
            length += pcm.length;
        }

        float[] samples() {
            float[] out = new float[length];
            int at = 0;
            for (float[] chunk : chunks) {
                System.arraycopy(chunk, 0, out, at, chunk.length);
                at += chunk.length;
            }
            return out;
        }
    }

    /** The splits present, val, test-voice, test-paraphrase, test-slot first, then the others in enum order. */
    static List<Split> reportOrder(Set<Split> present) {
        List<Split> order = new ArrayList<>();
        for (Split split : REPORT_ORDER) {
            if (present.contains(split)) {
                order.add(split);
            }
        }
        for (Split split : Split.values()) {
            if (present.contains(split) && !order.contains(split)) {
                order.add(split);
            }
        }
        return order;
    }

    /** Retrieval accuracy of a random pick among {@code distinctAnswers}. */
    static double chance(int distinctAnswers) {
        return 1.0 / distinctAnswers;
    }

    /**
     * Codes equal at the same frame and codebook, over the frames both have, divided by
     * {@code Q * max(generated frames, reference frames)}: extra or missing frames count as wrong.
     * 1 when both are empty.
     *
     * @throws IllegalArgumentException if the two do not have the same number of codebooks
     */
    static double codeAccuracy(int[][] generated, int[][] reference) {
        if (generated.length != reference.length) {
            throw new IllegalArgumentException("generated codes have " + generated.length
                    + " codebooks, the reference " + reference.length);
        }
        int generatedFrames = generated[0].length, referenceFrames = reference[0].length;
        int longest = Math.max(generatedFrames, referenceFrames);
        if (longest == 0) {
            return 1.0;
        }
        int shortest = Math.min(generatedFrames, referenceFrames);
        long matches = 0;
        for (int q = 0; q < reference.length; q++) {
            for (int t = 0; t < shortest; t++) {
                if (generated[q][t] == reference[q][t]) {
                    matches++;
                }
            }
        }
        return (double) matches / ((long) reference.length * longest);
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }
}
