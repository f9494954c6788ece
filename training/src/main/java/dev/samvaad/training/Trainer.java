package dev.samvaad.training;

import dev.samvaad.codec.RvqCodec;
import dev.samvaad.dataset.Batch;
import dev.samvaad.dataset.BatchBuilder;
import dev.samvaad.dataset.PairDataset;
import dev.samvaad.dataset.ProgressBar;
import dev.samvaad.dataset.Split;
import dev.samvaad.infer.FastDecoder;
import dev.samvaad.infer.FrameGroups;
import dev.samvaad.infer.ModelConfig;
import dev.samvaad.infer.ModelFolder;
import dev.samvaad.infer.TextTokens;
import dev.samvaad.model.BatchMetrics;
import dev.samvaad.model.CodeEmbeddings;
import dev.samvaad.model.ModelCheckpoint;
import dev.samvaad.model.ModelInfo;
import dev.samvaad.model.S2sModel;
import dev.samvaad.model.TokenBatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains the S2S model with teacher forcing on a {@link PairDataset}: Adam with linear warm-up and
 * decay, validation on the {@code val} split after every epoch, the best checkpoint in
 * {@code OUT/best} (by free-running validation retrieval when the codec's codebooks are known and
 * {@link Options#selectByRetrieval()}, else by validation loss) and a rolling one in
 * {@code OUT/last}, a metrics CSV, a curve PNG redrawn after every epoch, and, when the trainer
 * was given the codec, the codec itself ({@code OUT/codec.smvd}, {@link dev.samvaad.infer.ModelFolder#CODEC_FILE}),
 * so that the run folder and its checkpoints carry the codec they need. A
 * {@link TrainingListener} gets the figures as they come.
 *
 * <p>Resumable after a kill at any point: {@code OUT/last} is rewritten (atomically) after every
 * {@code checkpointEvery} steps with the model, the optimiser state and the position in the data
 * (epoch and batch; the batch order is a pure function of seed and epoch). Resuming continues from
 * there, so the result equals an uninterrupted run. A NaN or infinite loss stops training with the
 * last good checkpoint untouched.
 */
public final class Trainer {
    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
    static final String LAST = "last";
    static final String BEST = "best";
    static final String METRICS_CSV = "metrics.csv";
    static final String CURVES_PNG = "curves.png";

    /**
     * Training settings.
     *
     * @param epochs          passes over the training split
     * @param batchSize       pairs per batch
     * @param learningRate    peak Adam learning rate
     * @param warmupSteps     linear warm-up steps
     * @param seed            initial weights and data order
     * @param checkpointEvery steps between rolling checkpoints (1 = after every step)
     * @param maxGradientNorm gradients are scaled down together when their global L2 norm exceeds
     *                        this ({@code Double.POSITIVE_INFINITY}: no clipping)
     * @param decoderDropout  probability that a teacher-forced decoder input frame is hidden (see
     *                        {@link TokenBatches#withDecoderDropout})
     * @param onsetFrames     the first answer frames whose loss counts {@code onsetWeight} times
     *                        (see {@link TokenBatches#withOnsetWeight})
     * @param onsetWeight     loss weight of those frames ({@code 1}: none)
     * @param sourceDropout   probability that a question step is hidden from the encoder (see
     *                        {@link TokenBatches#withSourceDropout})
     * @param selectByRetrieval choose {@code best/} by free-running validation retrieval (see
     *                        {@link FreeRunningRetrieval}; ties by validation loss) when the trainer
     *                        knows the codec's codebooks; otherwise, or when {@code false}, by
     *                        validation loss
     * @param sourceTempo     each question is played faster or slower by a random factor up to
     *                        this, frame by frame (see {@link TokenBatches#withSourceTempo}; 1: never)
     * @param sourcePitch     each question's pitch is moved by up to this many standard deviations
     *                        of the codec's pitch values, in the codec's feature space (see
     *                        {@link SourcePitch}; 0: never; needs the codec)
     * @param textOnsetTokens the first monologue tokens whose loss counts {@code onsetWeight} times
     *                        too: where the written answer is chosen (0: none)
     */
    public record Options(int epochs, int batchSize, double learningRate, int warmupSteps, long seed, int checkpointEvery,
                          double maxGradientNorm, double decoderDropout, int onsetFrames, float onsetWeight,
                          double sourceDropout, boolean selectByRetrieval, double sourceTempo, double sourcePitch,
                          int textOnsetTokens) {
        /** The clipping norm when none is given. */
        public static final double DEFAULT_MAX_GRADIENT_NORM = 1.0;

        /**
         * Checks the settings.
         *
         * @param epochs          passes over the training split, {@code >= 1}
         * @param batchSize       pairs per batch, {@code >= 1}
         * @param learningRate    peak Adam learning rate, positive
         * @param warmupSteps     linear warm-up steps, {@code >= 0}
         * @param seed            initial weights and data order
         * @param checkpointEvery steps between rolling checkpoints, {@code >= 1}
         * @param maxGradientNorm the clipping norm, positive
         * @param decoderDropout  probability of hiding a decoder input frame, in {@code [0, 1)}
         * @param onsetFrames     the first answer frames weighted more, {@code >= 0}
         * @param onsetWeight     their loss weight, finite and {@code >= 1}
         * @param sourceDropout   probability of hiding a question step, in {@code [0, 1)}
         * @param selectByRetrieval choose the best checkpoint by free-running retrieval
         * @param sourceTempo     the largest tempo change of a question, {@code >= 1} (1: none)
         * @param sourcePitch     the largest pitch shift of a question in standard deviations, in [0, 3]
         * @param textOnsetTokens the first monologue tokens weighted as the onset frames, {@code >= 0}
         * @throws IllegalArgumentException if a setting is out of range
         */
        public Options {
            // One check per setting, each message naming its field: not "this", whose fields are
            // all still zero inside a compact constructor.
            check(epochs >= 1, "epochs must be >= 1, got " + epochs);
            check(batchSize >= 1, "batchSize must be >= 1, got " + batchSize);
            check(learningRate > 0 && Double.isFinite(learningRate), "learningRate must be > 0 and finite, got "
                    + learningRate);
            check(warmupSteps >= 0, "warmupSteps must be >= 0, got " + warmupSteps);
            check(checkpointEvery >= 1, "checkpointEvery must be >= 1, got " + checkpointEvery);
            check(maxGradientNorm > 0, "maxGradientNorm must be > 0, got " + maxGradientNorm);
            check(decoderDropout >= 0 && decoderDropout < 1, "decoderDropout must be in [0, 1), got " + decoderDropout);
            check(onsetFrames >= 0, "onsetFrames must be >= 0, got " + onsetFrames);
            check(onsetWeight >= 1 && !Float.isInfinite(onsetWeight), "onsetWeight must be finite and >= 1, got "
                    + onsetWeight);
            check(sourceDropout >= 0 && sourceDropout < 1, "sourceDropout must be in [0, 1), got " + sourceDropout);
            check(sourceTempo >= 1 && sourceTempo <= 2, "sourceTempo must be in [1, 2], got " + sourceTempo);
            check(sourcePitch >= 0 && sourcePitch <= 3, "sourcePitch must be in [0, 3], got " + sourcePitch);
            check(textOnsetTokens >= 0, "textOnsetTokens must be >= 0, got " + textOnsetTokens);
        }

        private static void check(boolean ok, String message) {
            if (!ok) {
                throw new IllegalArgumentException(message);
            }
        }

        /**
         * Options that choose the best checkpoint by free-running retrieval where they can.
         *
         * @param epochs          passes over the training split
         * @param batchSize       pairs per batch
         * @param learningRate    peak Adam learning rate
         * @param warmupSteps     linear warm-up steps
         * @param seed            initial weights and data order
         * @param checkpointEvery steps between rolling checkpoints
         * @param maxGradientNorm the clipping norm
         * @param decoderDropout  probability of hiding a decoder input frame
         * @param onsetFrames     the first answer frames weighted more
         * @param onsetWeight     their loss weight
         */
        public Options(int epochs, int batchSize, double learningRate, int warmupSteps, long seed, int checkpointEvery,
                double maxGradientNorm, double decoderDropout, int onsetFrames, float onsetWeight) {
            this(epochs, batchSize, learningRate, warmupSteps, seed, checkpointEvery, maxGradientNorm, decoderDropout,
                    onsetFrames, onsetWeight, 0, true, 1, 0, 0);
        }

        /**
         * Options without tempo or pitch changes of the questions.
         *
         * @param epochs            passes over the training split
         * @param batchSize         pairs per batch
         * @param learningRate      peak Adam learning rate
         * @param warmupSteps       linear warm-up steps
         * @param seed              initial weights and data order
         * @param checkpointEvery   steps between rolling checkpoints
         * @param maxGradientNorm   the clipping norm
         * @param decoderDropout    probability of hiding a decoder input frame
         * @param onsetFrames       the first answer frames weighted more
         * @param onsetWeight       their loss weight
         * @param sourceDropout     probability of hiding a question step
         * @param selectByRetrieval choose the best checkpoint by free-running retrieval
         */
        public Options(int epochs, int batchSize, double learningRate, int warmupSteps, long seed, int checkpointEvery,
                double maxGradientNorm, double decoderDropout, int onsetFrames, float onsetWeight,
                double sourceDropout, boolean selectByRetrieval) {
            this(epochs, batchSize, learningRate, warmupSteps, seed, checkpointEvery, maxGradientNorm, decoderDropout,
                    onsetFrames, onsetWeight, sourceDropout, selectByRetrieval, 1, 0, 0);
        }

        /**
         * Options with the default gradient clipping ({@value #DEFAULT_MAX_GRADIENT_NORM}), no
         * decoder dropout and no onset weight.
         *
         * @param epochs          passes over the training split
         * @param batchSize       pairs per batch
         * @param learningRate    peak Adam learning rate
         * @param warmupSteps     linear warm-up steps
         * @param seed            initial weights and data order
         * @param checkpointEvery steps between rolling checkpoints
         */
        public Options(int epochs, int batchSize, double learningRate, int warmupSteps, long seed, int checkpointEvery) {
            this(epochs, batchSize, learningRate, warmupSteps, seed, checkpointEvery, DEFAULT_MAX_GRADIENT_NORM, 0, 0, 1);
        }
    }

    /**
     * What a run did.
     *
     * @param steps              optimiser steps taken in total
     * @param epochs             epochs completed
     * @param bestValidationLoss the lowest validation loss seen (infinite without a val split)
     * @param best               the best checkpoint's folder ({@code last} without a val split)
     * @param last               the rolling checkpoint's folder
     * @param peakResidentBytes  the process's peak resident memory during the run (ND4J's native
     *                           arrays included), where the system reports it (Linux)
     */
    public record Result(long steps, int epochs, double bestValidationLoss, Path best, Path last,
            OptionalLong peakResidentBytes) {}

    private final PairDataset data;
    private final ModelConfig config;
    private final String codecFingerprint;
    private final float[][][] codeVectors;
    private final SourcePitch pitch;
    private final Path outputDir;
    private final Options options;
    private final PairAnnotations annotations;
    /** The codec, written into the run folder; {@code null} when only its fingerprint was given. */
    private final RvqCodec codec;
    /** Each pair's question transcript as CTC classes, by pair id, made once (empty without a CTC head). */
    private final Map<String, int[]> questionClasses;

    /**
     * A trainer whose new models start with random code embeddings; nothing is read or written
     * until {@link #run}. The run folder does not get the codec file: give the codec instead of
     * its fingerprint for that.
     *
     * @param data             the pairs to learn from (train split) and validate on (val split)
     * @param config           the model's shape
     * @param codecFingerprint the codec of the data's codes, recorded in every checkpoint
     * @param outputDir        the run folder: {@code best/}, {@code last/}, metrics and curves
     * @param options          the training settings
     * @throws IllegalArgumentException if the model and the data disagree on the codebooks
     */
    public Trainer(PairDataset data, ModelConfig config, String codecFingerprint, Path outputDir, Options options) {
        this(data, config, codecFingerprint, null, outputDir, options);
    }

    /**
     * A trainer whose new models start their code embeddings from the codec's codebooks
     * ({@link CodeEmbeddings}), which is what lets a small model learn from little data.
     *
     * @param data      the pairs to learn from (train split) and validate on (val split)
     * @param config    the model's shape
     * @param codec     the codec of the data's codes: its fingerprint goes into every checkpoint,
     *                  and the codec into the run folder
     * @param outputDir the run folder: {@code best/}, {@code last/}, {@code codec.smvd}, metrics and curves
     * @param options   the training settings
     * @throws IllegalArgumentException if the model and the data disagree on the codebooks
     */
    public Trainer(PairDataset data, ModelConfig config, RvqCodec codec, Path outputDir, Options options) {
        this(data, config, codec.fingerprint(), codec.codeVectors(), codec.logF0Coordinate(), PairAnnotations.NONE,
                outputDir, options, codec);
    }

    /**
     * A trainer whose model writes the answer's text before its codes (a config with text
     * symbols), starting its code embeddings from the codec's codebooks.
     *
     * @param data        the pairs to learn from (train split) and validate on (val split)
     * @param config      the model's shape, with the text symbols (e.g. {@code TextTokens.inventory})
     * @param codec       the codec of the data's codes (into the run folder too)
     * @param annotations answer texts (for a model with a monologue) and intents (for one with the
     *                    auxiliary intent loss) by pair id
     * @param outputDir   the run folder
     * @param options     the training settings
     * @throws IllegalArgumentException if the model and the data disagree on the codebooks, or the
     *     model needs texts and none are given
     */
    public Trainer(PairDataset data, ModelConfig config, RvqCodec codec, PairAnnotations annotations, Path outputDir,
            Options options) {
        this(data, config, codec.fingerprint(), codec.codeVectors(), codec.logF0Coordinate(), annotations, outputDir,
                options, codec);
    }

    /** A trainer with the codec's codebooks given directly (tests use random ones). */
    Trainer(PairDataset data, ModelConfig config, String codecFingerprint, float[][][] codeVectors,
            Path outputDir, Options options) {
        this(data, config, codecFingerprint, codeVectors, PairAnnotations.NONE, outputDir, options);
    }

    Trainer(PairDataset data, ModelConfig config, String codecFingerprint, float[][][] codeVectors,
            PairAnnotations annotations, Path outputDir, Options options) {
        this(data, config, codecFingerprint, codeVectors, -1, annotations, outputDir, options, null);
    }

    /**
     * {@code logF0Coordinate}: where the codec's vectors hold the pitch, -1 if unknown (no pitch
     * shifts); {@code codec}: the codec to keep in the run folder, or {@code null}.
     */
    Trainer(PairDataset data, ModelConfig config, String codecFingerprint, float[][][] codeVectors,
            int logF0Coordinate, PairAnnotations annotations, Path outputDir, Options options, RvqCodec codec) {
        TokenBatches.requireCompatible(config, data);
        if (options.sourcePitch() > 0 && (codeVectors == null || logF0Coordinate < 0)) {
            throw new IllegalArgumentException("pitch shifts of the questions need the codec (its codebooks and "
                    + "where they hold the pitch); give the trainer the codec");
        }
        this.pitch = options.sourcePitch() > 0 ? new SourcePitch(codeVectors, logF0Coordinate) : null;
        this.data = data;
        this.config = config;
        this.codecFingerprint = Objects.requireNonNull(codecFingerprint);
        this.codeVectors = codeVectors;
        this.outputDir = outputDir;
        this.options = options;
        this.annotations = java.util.Objects.requireNonNull(annotations, "annotations");
        this.codec = codec;
        if (config.hasText() && annotations.answerTexts().isEmpty()) {
            throw new IllegalArgumentException("the model writes a text monologue, but no answer texts were given");
        }
        if (config.recognisesQuestion() && annotations.questionTexts().isEmpty()) {
            throw new IllegalArgumentException("the model's encoder learns to recognise the question, but no question "
                    + "texts were given");
        }
        this.questionClasses = new java.util.HashMap<>();
        if (config.recognisesQuestion()) {
            annotations.questionTexts().forEach((id, question) ->
                    questionClasses.put(id, TextTokens.ctcClasses(config.questionSymbols(), question)));
        }
    }

    /** The model's view of a dataset batch: in steps, with text when the model has a monologue. */
    private TokenBatch modelBatch(Batch batch) {
        TokenBatch steps = TokenBatches.of(config, batch);
        if (config.hasText()) {
            steps = TokenBatches.withText(config, steps, batch.ids(), annotations.answerTexts());
        }
        if (!config.intents().isEmpty()) {
            int[] labels = new int[batch.size()];
            for (int r = 0; r < labels.length; r++) {
                String intent = annotations.intents().get(batch.ids().get(r));
                labels[r] = intent == null ? -1 : config.intents().indexOf(intent);
            }
            steps = steps.withIntents(labels);
        }
        if (config.recognisesQuestion()) {
            int[][] symbols = new int[batch.size()][];
            for (int r = 0; r < symbols.length; r++) {
                symbols[r] = questionClasses.get(batch.ids().get(r)); // null: no transcript
            }
            steps = steps.withQuestionSymbols(symbols);
        }
        return steps;
    }

    /** What {@link #run(Start, Path)} does with an output folder that already holds a run. */
    public enum Start {
        /** Start a new run; a folder that holds a checkpoint is refused, so nothing is overwritten. */
        NEW,
        /** Continue from {@code OUT/last}; a folder without a checkpoint is an error. */
        RESUME,
        /** Continue from {@code OUT/last} when there is one, else start a new run (for pipelines run again after a stop). */
        RESUME_OR_NEW,
        /** Delete the folder's checkpoints, metrics and curves, then start a new run. */
        OVERWRITE
    }

    /**
     * Trains: {@code resume} is {@link Start#RESUME_OR_NEW}, otherwise {@link Start#NEW}.
     *
     * @param resume continue from {@code OUT/last} when it exists
     * @param init   a checkpoint folder to start from, or {@code null}
     * @return what the run did
     * @throws TrainingException if the folder already holds a run (and not resuming), there are
     *                           no training pairs, or the loss stops being finite
     */
    public Result run(boolean resume, Path init) {
        return run(resume ? Start.RESUME_OR_NEW : Start.NEW, init);
    }

    /**
     * Trains. {@code init}, when given (and not resuming), starts from that checkpoint's weights
     * with a fresh optimiser.
     *
     * @param start what to do with a run already in the output folder
     * @param init  a checkpoint folder to start from, or {@code null}
     * @return what the run did
     * @throws TrainingException if {@code start} is {@link Start#NEW} and the folder holds a run,
     *                           {@link Start#RESUME} and it holds none, there are no training
     *                           pairs, or the loss stops being finite
     */
    public Result run(Start start, Path init) {
        return run(start, init, TrainingListener.NONE);
    }

    /**
     * Trains, telling {@code listener} of every step, checkpoint and epoch as it happens.
     * {@code init}, when given (and not resuming), starts from that checkpoint's weights with a
     * fresh optimiser.
     *
     * @param start    what to do with a run already in the output folder
     * @param init     a checkpoint folder to start from, or {@code null}
     * @param listener told of the run's progress ({@link TrainingListener#NONE} for nothing)
     * @return what the run did
     * @throws TrainingException if {@code start} is {@link Start#NEW} and the folder holds a run,
     *                           {@link Start#RESUME} and it holds none, there are no training
     *                           pairs, or the loss stops being finite
     */
    public Result run(Start start, Path init, TrainingListener listener) {
        Objects.requireNonNull(listener, "listener");
        Path last = outputDir.resolve(LAST), best = outputDir.resolve(BEST);
        boolean resume = existingRun(start, last, best);
        BatchBuilder train = new BatchBuilder(data, Split.TRAIN, batchOptions());
        if (train.size() == 0) {
            throw new TrainingException("no training pairs in the data (split 'train')");
        }
        List<Batch> validation = data.pairs(Split.VAL).isEmpty() ? List.of()
                : new BatchBuilder(data, Split.VAL, batchOptions().toBuilder().bucketing(false).build()).epoch(0);
        int perEpoch = train.batchesPerEpoch();
        int totalSteps = options.epochs() * perEpoch;
        MetricsLog log = new MetricsLog(outputDir.resolve(METRICS_CSV));

        FreeRunningRetrieval retrieval = codeVectors == null || !options.selectByRetrieval()
                || data.pairs(Split.VAL).isEmpty() ? null
                : new FreeRunningRetrieval(data.pairs(Split.VAL), data.pairs(), codeVectors);
        S2sModel model;
        int epoch = 0, batchIndex = 0;
        double bestLoss = Double.POSITIVE_INFINITY, bestRetrieval = Double.NEGATIVE_INFINITY;
        if (resume) {
            ModelCheckpoint.Loaded loaded = ModelCheckpoint.load(last, codecFingerprint);
            model = loaded.model();
            Map<String, Object> state = loaded.info().trainer();
            epoch = resumeState(state, "epoch", 0, last).intValue();
            batchIndex = resumeState(state, "batch", 0, last).intValue();
            bestLoss = resumeState(state, "bestValLoss", Double.POSITIVE_INFINITY, last).doubleValue();
            bestRetrieval = resumeState(state, "bestValRetrieval", Double.NEGATIVE_INFINITY, last).doubleValue();
            if (epoch < 0 || batchIndex < 0) {
                throw new TrainingException(last + ": model.json has a negative epoch or batch to resume at");
            }
            log.truncateAfter(model.steps());
            LOG.info("resuming at step {} (epoch {}, batch {})", model.steps(), epoch + 1, batchIndex);
        } else if (init != null) {
            S2sModel initial = ModelCheckpoint.load(init, codecFingerprint).model();
            model = S2sModel.fromWeights(config, initial.weights(),
                    S2sModel.warmupDecay(options.learningRate(), options.warmupSteps(), totalSteps));
            log.reset();
        } else {
            model = codeVectors == null
                    ? S2sModel.create(config, options.seed(), options.learningRate(), options.warmupSteps(), totalSteps)
                    : S2sModel.fromWeights(config, CodeEmbeddings.initial(config, options.seed(), codeVectors),
                            S2sModel.warmupDecay(options.learningRate(), options.warmupSteps(), totalSteps));
            log.reset();
        }

        if (codec != null) {
            // The codec travels with the model: agent, evaluate and web find it here.
            codec.save(outputDir.resolve(ModelFolder.CODEC_FILE));
        }
        Path curves = outputDir.resolve(CURVES_PNG);
        ProgressBar bar = ProgressBar.onStderr("train", totalSteps);
        bar.resumeFrom(model.steps());
        try {
            long startNanos = System.nanoTime(), tokens = 0;
            for (; epoch < options.epochs(); epoch++, batchIndex = 0) {
                List<Batch> batches = train.epoch(epoch);
                double epochLoss = 0;
                int epochSteps = 0;
                for (; batchIndex < batches.size(); batchIndex++) {
                    Batch batch = batches.get(batchIndex);
                    double lr = model.learningRate();
                    // Every draw is seeded by the step, so a resumed run plays and hides the same frames
                    // as an uninterrupted one; tempo and pitch change the frames before they are grouped.
                    Batch played = TokenBatches.withSourceTempo(batch, options.sourceTempo(), config.maxFrames(),
                            new SplittableRandom(options.seed() * 0x165667B19E3779F9L + model.steps()), config.layout().pad());
                    if (pitch != null) {
                        played = pitch.apply(played, options.sourcePitch(),
                                new SplittableRandom(options.seed() * 0x27D4EB2F165667C5L + model.steps()));
                    }
                    TokenBatch input = TokenBatches.withSourceDropout(TokenBatches.withDecoderDropout(
                            TokenBatches.withOnsetWeight(modelBatch(played),
                                    FrameGroups.steps(config, options.onsetFrames()), options.textOnsetTokens(),
                                    options.onsetWeight()),
                            options.decoderDropout(), new SplittableRandom(options.seed() * 0x9E3779B97F4A7C15L + model.steps()),
                            config.layout().pad()), options.sourceDropout(),
                            new SplittableRandom(options.seed() * 0xC2B2AE3D27D4EB4FL + model.steps()), config.layout().pad());
                    S2sModel.StepResult step = model.trainStep(input, options.maxGradientNorm());
                    double loss = step.loss();
                    if (!Double.isFinite(loss) || !Double.isFinite(step.gradientNorm())) {
                        throw new TrainingException(String.format(Locale.ROOT, "the loss became %s (gradient norm %s) at "
                                + "step %d (epoch %d, batch %d); training stopped, the last good checkpoint is %s; try a "
                                + "lower --learning_rate", loss, step.gradientNorm(), model.steps() + 1, epoch + 1,
                                batchIndex, last));
                    }
                    tokens += labelledFrames(batch) * config.codebooks();
                    double seconds = (System.nanoTime() - startNanos) / 1e9;
                    log.step(model.steps(), epoch + 1, loss, lr, tokens / seconds, step.gradientNorm(),
                            PeakMemory.residentBytes());
                    bar.setStatus(String.format(Locale.ROOT, "loss %.3f %.0f tok/s", loss, tokens / seconds));
                    bar.advance();
                    epochLoss += loss;
                    epochSteps++;
                    listener.onStep(new TrainingListener.Step(model.steps(), totalSteps, epoch + 1, options.epochs(), loss, lr,
                            step.gradientNorm(), tokens / seconds));
                    boolean epochEnd = batchIndex + 1 == batches.size();
                    if (model.steps() % options.checkpointEvery() == 0 || epochEnd) {
                        int nextEpoch = epochEnd ? epoch + 1 : epoch, nextBatch = epochEnd ? 0 : batchIndex + 1;
                        BatchMetrics val = null;
                        double accuracy = Double.NaN;
                        boolean better = false;
                        if (epochEnd && !validation.isEmpty()) {
                            val = validate(model, validation, log, epoch + 1);
                            double valLoss = val.loss();
                            if (retrieval != null) {
                                accuracy = retrieval.accuracy(FastDecoder.of(config, model.weights()));
                                log.retrieval(model.steps(), epoch + 1, accuracy);
                                LOG.info("epoch {}: free-running validation retrieval {} ({} candidates)", epoch + 1,
                                        String.format(Locale.ROOT, "%.3f", accuracy), retrieval.candidates());
                                better = accuracy > bestRetrieval || (accuracy == bestRetrieval && valLoss < bestLoss);
                                if (better) {
                                    bestRetrieval = accuracy;
                                }
                            } else {
                                better = valLoss < bestLoss;
                            }
                            if (better) {
                                bestLoss = valLoss;
                                ModelCheckpoint.save(best, model, info(model, nextEpoch, nextBatch, bestLoss, bestRetrieval,
                                        valLoss));
                                listener.onCheckpoint(new TrainingListener.CheckpointSaved(
                                        TrainingListener.CheckpointSaved.Kind.BEST, best, model.steps()));
                            }
                        }
                        ModelCheckpoint.save(last, model, info(model, nextEpoch, nextBatch, bestLoss, bestRetrieval,
                                Double.NaN));
                        listener.onCheckpoint(new TrainingListener.CheckpointSaved(TrainingListener.CheckpointSaved.Kind.LAST,
                                last, model.steps()));
                        if (epochEnd) {
                            // Redrawn every epoch, so a long run's curves can be watched as it goes.
                            Curves.write(curves, log.read());
                            listener.onEpoch(new TrainingListener.Epoch(epoch + 1, options.epochs(), model.steps(),
                                    epochLoss / epochSteps, val == null ? Double.NaN : val.loss(),
                                    val == null ? Double.NaN : val.accuracy(), accuracy, better, curves));
                        }
                    }
                }
            }
        } finally {
            // Also when training fails: the bar's redraw timer stops and its line ends.
            bar.finish();
        }
        if (validation.isEmpty()) {
            LOG.warn("no 'val' pairs: {} is the last model, not the best by validation", last);
        }
        Curves.write(curves, log.read()); // also for a resumed run that had nothing left to do
        return new Result(model.steps(), options.epochs(), bestLoss, validation.isEmpty() ? last : best, last,
                PeakMemory.residentBytes());
    }

    /**
     * Checks {@code start} against what {@code outputDir} holds, without changing anything, so a
     * command can refuse a run before it spends minutes on loading data.
     *
     * @param outputDir the run folder
     * @param start     what the run will do with a run already there
     * @return whether the run will resume from {@code OUT/last}
     * @throws TrainingException if {@code start} is {@link Start#NEW} and the folder holds a run,
     *                           or {@link Start#RESUME} and it holds none
     */
    public static boolean checkStart(Path outputDir, Start start) {
        Path last = outputDir.resolve(LAST), best = outputDir.resolve(BEST);
        boolean hasLast = ModelCheckpoint.recover(last) && Files.isDirectory(last);
        boolean hasRun = hasLast || Files.isDirectory(best);
        if (start == Start.RESUME && !hasLast) {
            throw new TrainingException(outputDir + ": nothing to resume: no checkpoint in " + LAST
                    + "/ (start a new run without --resume)");
        }
        if (start == Start.NEW && hasRun) {
            throw new TrainingException(outputDir + " already holds a training run (" + describe(last, best)
                    + "); continue it (--resume) or start again (--overwrite), or choose another output folder");
        }
        return hasLast && (start == Start.RESUME || start == Start.RESUME_OR_NEW);
    }

    /** {@link #checkStart}, then, for {@link Start#OVERWRITE}, the old run's files deleted. */
    private boolean existingRun(Start start, Path last, Path best) {
        boolean resume = checkStart(outputDir, start);
        if (start == Start.OVERWRITE) {
            boolean hadRun = Files.isDirectory(last) || Files.isDirectory(best);
            ModelCheckpoint.delete(last);
            ModelCheckpoint.delete(best);
            try {
                Files.deleteIfExists(outputDir.resolve(CURVES_PNG));
                Files.deleteIfExists(outputDir.resolve(METRICS_CSV));
            } catch (IOException e) {
                throw new TrainingException(outputDir + ": cannot delete the old run: " + e.getMessage());
            }
            if (hadRun) {
                LOG.info("{}: the old run was deleted (--overwrite)", outputDir);
            }
        }
        return resume;
    }

    private static String describe(Path last, Path best) {
        Path folder = Files.isDirectory(last) ? last : best;
        try {
            long step = new com.fasterxml.jackson.databind.ObjectMapper().readTree(folder.resolve("model.json").toFile())
                    .path("step").asLong(-1);
            return folder.getFileName() + "/" + (step >= 0 ? " at step " + step : "");
        } catch (IOException | RuntimeException e) {
            return folder.getFileName() + "/"; // only the message's detail
        }
    }

    /** A number of the trainer's resume state in model.json, or {@code fallback} when absent. */
    private static Number resumeState(Map<String, Object> state, String key, Number fallback, Path checkpoint) {
        Object value = state.getOrDefault(key, fallback);
        if (!(value instanceof Number number)) {
            throw new TrainingException(checkpoint + ": model.json has trainer." + key + " = " + value
                    + ", not a number; the run cannot be resumed from it");
        }
        return number;
    }

    private BatchMetrics validate(S2sModel model, List<Batch> validation, MetricsLog log, int epoch) {
        double lossSum = 0;
        long frames = 0;
        long[] correct = new long[config.codebooks()], counted = new long[config.codebooks()];
        for (Batch b : validation) {
            BatchMetrics m = model.evaluate(modelBatch(b));
            long n = labelledFrames(b);
            lossSum += m.loss() * n;
            frames += n;
            for (int q = 0; q < correct.length; q++) {
                correct[q] += m.correct()[q];
                counted[q] += m.counted()[q];
            }
        }
        BatchMetrics total = new BatchMetrics(lossSum / frames, correct, counted);
        log.validation(model.steps(), epoch, total);
        LOG.info("epoch {}: validation loss {}, accuracy {}", epoch, String.format(Locale.ROOT, "%.4f", total.loss()),
                String.format(Locale.ROOT, "%.3f", total.accuracy()));
        return total;
    }

    private ModelInfo info(S2sModel model, int nextEpoch, int nextBatch, double bestLoss, double bestRetrieval,
            double valLoss) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("epoch", nextEpoch);
        state.put("batch", nextBatch);
        state.put("bestValLoss", Double.isFinite(bestLoss) ? bestLoss : null);
        state.put("bestValRetrieval", Double.isFinite(bestRetrieval) ? bestRetrieval : null);
        state.put("seed", options.seed());
        state.put("options", options);
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (Double.isFinite(valLoss)) {
            metrics.put("valLoss", valLoss);
        }
        if (Double.isFinite(bestLoss)) {
            metrics.put("bestValLoss", bestLoss);
        }
        if (Double.isFinite(bestRetrieval)) {
            metrics.put("bestValRetrieval", bestRetrieval);
        }
        state.values().removeIf(Objects::isNull);
        return new ModelInfo(data.task().name().toLowerCase(Locale.ROOT), codecFingerprint, model.steps(), metrics, state);
    }

    private BatchBuilder.Options batchOptions() {
        return BatchBuilder.Options.builder().batchSize(options.batchSize()).seed(options.seed())
                .maxInputFrames(config.maxFrames()).maxTargetFrames(config.maxAnswerFrames()).build();
    }

    private static long labelledFrames(Batch b) {
        long n = 0;
        for (float[] row : b.labelMask()) {
            for (float m : row) {
                n += m > 0 ? 1 : 0;
            }
        }
        return n;
    }
}
