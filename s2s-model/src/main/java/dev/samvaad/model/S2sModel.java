package dev.samvaad.model;

import dev.samvaad.infer.FrameGroups;
import dev.samvaad.infer.ModelConfig;
import dev.samvaad.infer.ModelException;
import dev.samvaad.infer.WeightNames;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.schedule.FixedSchedule;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * The trainable speech-to-speech transformer (SameDiff): question codes in, answer codes out,
 * trained with teacher forcing on masked cross-entropy over [B, S, T]. A step holds G frames
 * ({@link FrameGroups}); each of its S = G * Q token streams has its own output head, all
 * predicted in parallel from the previous steps ({@code "parallel-heads"} in model.json). Batches
 * given to it are in steps ({@link StepBatches#grouped}). Not thread-safe: one trainer at a time; read
 * {@link #weights()} for the thread-safe pure-Java decoder.
 */
public final class S2sModel {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(S2sModel.class);
    /** How the Q codebooks of a frame are modelled (recorded in model.json). */
    public static final String CODEBOOK_MODEL = "parallel-heads";

    /** The name SameDiff gives its gradient function ({@code SameDiff.GRAD_FN_KEY}, protected). */
    private static final String GRADIENT_FUNCTION = "grad";

    private final ModelConfig config;
    private final SameDiff sd;
    private final List<String> placeholders;
    private final List<String> trainable;
    /** Whether each head reads only its own rows (graphs built since the fifth session; see {@link S2sGraph#CODE_BEGIN}). */
    private final boolean slicedHeads;
    /**
     * Whether the last pass was a forward pass outside a training step (validation, evaluation):
     * the first pass of the other kind then frees the idle arrays of the one before, so a
     * training run holds one kind's arrays at a time, not both.
     */
    private boolean outsideStepLast;

    S2sModel(ModelConfig config, SameDiff sd) {
        this.config = config;
        this.sd = sd;
        this.placeholders = sd.inputs();
        this.slicedHeads = sd.hasVariable(S2sGraph.CODE_BEGIN);
        this.trainable = WeightNames.shapes(config).keySet().stream().filter(WeightNames::trained).toList();
    }

    /**
     * A new model with seeded initial weights, trained by Adam at a constant learning rate.
     *
     * @param config       the model's shape
     * @param seed         decides the initial weights
     * @param learningRate Adam's learning rate
     * @return the model
     */
    public static S2sModel create(ModelConfig config, long seed, double learningRate) {
        return fromWeights(config, WeightNames.initial(config, seed), new FixedSchedule(learningRate));
    }

    /**
     * A new model with seeded initial weights and Adam whose learning rate rises linearly to
     * {@code peak} over {@code warmupSteps}, then falls linearly to zero at {@code totalSteps}.
     *
     * @param config      the model's shape
     * @param seed        decides the initial weights
     * @param peak        the highest learning rate
     * @param warmupSteps steps of warm-up
     * @param totalSteps  steps of the whole run
     * @return the model
     */
    public static S2sModel create(ModelConfig config, long seed, double peak, int warmupSteps, int totalSteps) {
        return fromWeights(config, WeightNames.initial(config, seed), warmupDecay(peak, warmupSteps, totalSteps));
    }

    /**
     * A model starting from given weights (e.g. to fine-tune), with a fresh optimiser.
     *
     * @param config   the model's shape
     * @param weights  every parameter by {@link WeightNames} name, row-major
     * @param schedule Adam's learning rate per step
     * @return the model
     */
    public static S2sModel fromWeights(ModelConfig config, Map<String, float[]> weights, ISchedule schedule) {
        S2sModel model = new S2sModel(config, S2sGraph.build(config, weights));
        model.sd.setTrainingConfig(TrainingConfig.builder().updater(new Adam(schedule))
                .dataSetFeatureMapping(model.placeholders.toArray(String[]::new)).markLabelsUnused().build());
        return model;
    }

    /**
     * Linear warm-up to {@code peak}, then linear decay to zero at {@code totalSteps} (saved with
     * the model).
     *
     * @param peak        the highest learning rate
     * @param warmupSteps steps of warm-up
     * @param totalSteps  steps of the whole run
     * @return the schedule
     */
    public static ISchedule warmupDecay(double peak, int warmupSteps, int totalSteps) {
        return new WarmupDecaySchedule(peak, warmupSteps, totalSteps);
    }

    /** {@return the optimiser steps taken so far (restored with a checkpoint)} */
    public long steps() {
        TrainingConfig tc = sd.getTrainingConfig();
        return tc == null ? 0 : tc.getIterationCount();
    }

    /** {@return the learning rate the next step will use} */
    public double learningRate() {
        TrainingConfig tc = sd.getTrainingConfig();
        return tc.getUpdater().getLearningRate(tc.getIterationCount(), tc.getEpochCount());
    }

    /** {@return the model's shape} */
    public ModelConfig config() {
        return config;
    }

    SameDiff sameDiff() {
        return sd;
    }

    /**
     * One optimiser step without gradient clipping.
     *
     * @param batch the batch to learn from
     * @return the batch loss before the step
     */
    public double trainStep(TokenBatch batch) {
        return trainStep(batch, Double.POSITIVE_INFINITY).loss();
    }

    /**
     * One Adam step on {@code batch} with the gradients scaled down, all together, so that their
     * global L2 norm is at most {@code maxGradientNorm} ({@code +Infinity}: no clipping).
     * SameDiff's {@code fit} has no clipping, so the step is taken here: one forward and backward
     * pass gives the loss and the gradients, and SameDiff's own Adam updaters (whose state is saved
     * with the model) turn the clipped gradients into updates. A non-finite loss or gradient norm
     * changes nothing and is returned for the caller to stop on.
     *
     * @param batch           the batch to learn from
     * @param maxGradientNorm the largest global gradient norm, positive; {@code +Infinity} for none
     * @return the loss, the gradient norm and whether it was clipped
     * @throws IllegalArgumentException if {@code maxGradientNorm} is not positive
     */
    public StepResult trainStep(TokenBatch batch, double maxGradientNorm) {
        if (!(maxGradientNorm > 0)) {
            throw new IllegalArgumentException("maxGradientNorm must be > 0, got " + maxGradientNorm);
        }
        Map<String, GradientUpdater> updaters = updaters();
        Map<String, INDArray> in = inputs(batch);
        double ctcCorrection = questionCtc(batch, in);
        if (!sd.hasGradientFunction()) {
            // Building the gradient graph narrates every op on System.out.
            Quiet.run(sd::createGradFunction);
        }
        SameDiff gradFn = sd.getFunction(GRADIENT_FUNCTION);
        if (outsideStepLast) {
            arena(sd).trim(); // validation's idle arrays, before the step's own
            outsideStepLast = false;
        }
        StepArena arena = arena(gradFn);
        try {
            Map<String, INDArray> gradients = new LinkedHashMap<>();
            double loss = lossAndGradients(gradFn, in, gradients) + ctcCorrection;
            double sumSquares = 0;
            for (String name : trainable) {
                double n = gradients.get(name).norm2Number().doubleValue();
                sumSquares += n * n;
            }
            double norm = Math.sqrt(sumSquares);
            if (!Double.isFinite(loss) || !Double.isFinite(norm)) {
                return new StepResult(loss, norm, false);
            }
            boolean clipped = norm > maxGradientNorm;
            TrainingConfig tc = sd.getTrainingConfig();
            int iteration = tc.getIterationCount();
            int epoch = tc.getEpochCount();
            for (String name : trainable) {
                INDArray g = gradients.get(name);
                if (clipped) {
                    g.muli(maxGradientNorm / norm);
                }
                updaters.get(name).applyUpdater(g, iteration, epoch); // gradient -> Adam update, in place
                sd.getVariable(name).getArr().subi(g);
            }
            tc.incrementIterationCount();
            return new StepResult(loss, norm, clipped);
        } finally {
            arena.endStep(); // every array of the step, the gradients included, is free from here
            if (LOG.isDebugEnabled()) {
                LOG.debug("step arrays: {} MB this step (batch {}, {} source and {} target frames, {} text tokens), "
                        + "largest {} MB, pooled {} MB, {} MB allocated (not reused) so far", arena.lastStepBytes() >> 20,
                        batch.size(), batch.sourceFrames(), batch.targetFrames(), batch.textTokens(),
                        arena.largestStepBytes() >> 20, arena.pooledBytes() >> 20, arena.allocatedBytes() >> 20);
            }
        }
    }

    /**
     * The encoder's CTC loss over the batch's question transcripts ({@link ModelConfig#recognisesQuestion()}):
     * the mean over the rows that have one of {@code -log p(transcript) / its length}, by {@link Ctc}
     * on the CTC head's logits of a forward pass, its gradient put in {@code in} for the graph to
     * back-propagate. Returns what turns the graph's loss into the true one (the graph adds
     * {@code sum(logits * gradient)} in place of the CTC loss); 0 without a CTC head or transcripts.
     */
    private double questionCtc(TokenBatch batch, Map<String, INDArray> in) {
        if (!config.recognisesQuestion() || batch.questionSymbols() == null) {
            return 0;
        }
        float[] logits = forward(in, false, S2sGraph.CTC_LOGITS).get(S2sGraph.CTC_LOGITS);
        float[] real = GraphInputs.realFrames(config, batch);
        int b = batch.size(), classes = config.ctcClasses(), frames = batch.sourceFrames() * config.frameGroup();
        int rows = 0;
        for (int r = 0; r < b; r++) {
            rows += batch.questionSymbols()[r] != null && batch.questionSymbols()[r].length > 0 ? 1 : 0;
        }
        if (rows == 0) {
            return 0;
        }
        float[] gradient = new float[logits.length];
        double total = 0;
        for (int r = 0; r < b; r++) {
            int[] target = batch.questionSymbols()[r];
            if (target == null || target.length == 0) {
                continue;
            }
            int positions = 0;
            while (positions < frames && real[r * frames + positions] > 0) {
                positions++;
            }
            double loss = Ctc.loss(logits, r * frames * classes, positions, classes, target, gradient,
                    1.0 / (rows * target.length));
            if (Double.isFinite(loss)) {
                total += loss / (rows * target.length);
            }
        }
        double inGraph = 0;
        for (int i = 0; i < logits.length; i++) {
            inGraph += (double) logits[i] * gradient[i];
        }
        in.put(S2sGraph.CTC_GRADIENT, Nd4j.create(gradient, new long[] {(long) b * batch.sourceFrames(),
            (long) config.frameGroup() * classes}, 'c'));
        return total - inGraph;
    }

    /**
     * One forward and backward pass: the loss, and each trainable variable's gradient put in
     * {@code gradients}. {@code SameDiff.calculateGradientsAndOutputs} switches the gradient
     * function's array cache off, so every op output of every step is a fresh native allocation,
     * freed only when the Java garbage collector finds its owner: gigabytes of new, zeroed pages a
     * step and multi-second stalls (issue 16). Here the same gradient function runs through its
     * ordinary output path, with the cache on and the session's arrays drawn from a
     * {@link StepArena}, so a step reuses the arrays of the step before.
     */
    private double lossAndGradients(SameDiff gradFn, Map<String, INDArray> in, Map<String, INDArray> gradients) {
        gradFn.setEnableCache(true);
        String[] names = new String[trainable.size() + 1];
        names[0] = S2sGraph.LOSS;
        for (int i = 0; i < trainable.size(); i++) {
            names[i + 1] = sd.getVariable(trainable.get(i)).getGradient().name();
        }
        Map<String, INDArray> out = gradFn.output(in, names);
        for (int i = 0; i < trainable.size(); i++) {
            gradients.put(trainable.get(i), out.get(names[i + 1]));
        }
        return out.get(S2sGraph.LOSS).getDouble(0);
    }

    /** The allocator of a graph's session on this thread, installed before the session's first run. */
    private static StepArena arena(SameDiff graph) {
        InferenceSession session = graph.getSessions()
                .computeIfAbsent(Thread.currentThread().getId(), id -> new InferenceSession(graph));
        if (!(session.getMmgr() instanceof StepArena)) {
            session.getMmgr().close();
            session.setMmgr(new StepArena());
        }
        return (StepArena) session.getMmgr();
    }

    /**
     * What one training step saw.
     *
     * @param loss         the batch loss before the step
     * @param gradientNorm global L2 norm of the gradients before clipping
     * @param clipped      whether the gradients were scaled down to the clipping norm
     */
    public record StepResult(double loss, double gradientNorm, boolean clipped) {}

    /** SameDiff's Adam updaters by variable, created (zero state) on the first step of a new model. */
    Map<String, GradientUpdater> updaters() {
        if (!sd.isInitializedTraining()) {
            try {
                // The public route to this is fit(); calling it directly keeps SameDiff's state layout,
                // so checkpoints stay what sd.save(file, true) writes and reads.
                Method init = SameDiff.class.getDeclaredMethod("initializeTraining");
                init.setAccessible(true);
                init.invoke(sd);
            } catch (ReflectiveOperationException e) {
                throw new ModelException("cannot initialise SameDiff training state: " + e, e);
            }
        }
        return sd.getUpdaterMap();
    }

    /**
     * Scores the model without updating it.
     *
     * @param batch the batch to score
     * @return its loss and per-codebook accuracy
     */
    public BatchMetrics evaluate(TokenBatch batch) {
        Map<String, float[]> out = forward(inputs(batch), true, S2sGraph.LOSS, S2sGraph.LOGITS);
        float[] logits = codeRows(out.get(S2sGraph.LOGITS), batch);
        int q = config.streams(), v = config.layout().vocabulary(), td = batch.targetFrames();
        // Accuracy per codebook: stream g * Q + c is codebook c of frame g of the step.
        long[] correct = new long[config.codebooks()];
        long[] counted = new long[config.codebooks()];
        for (int r = 0; r < batch.size(); r++) {
            for (int t = 0; t < td; t++) {
                if (batch.labelMask()[r][t] <= 0) {
                    continue;
                }
                for (int k = 0; k < q; k++) {
                    int row = (r * td + t) * q + k;
                    int best = 0;
                    for (int i = 1; i < v; i++) {
                        if (logits[row * v + i] > logits[row * v + best]) {
                            best = i;
                        }
                    }
                    counted[k % config.codebooks()]++;
                    if (best == batch.labels()[r][k][t]) {
                        correct[k % config.codebooks()]++;
                    }
                }
            }
        }
        return new BatchMetrics(out.get(S2sGraph.LOSS)[0], correct, counted);
    }

    /**
     * The text head's output over the text rows, for equivalence tests.
     *
     * @param batch the batch to run, with text
     * @return logits {@code [B*Lt, Vt]}, row {@code b*Lt + i} for text row i, row-major
     * @throws IllegalStateException if the model has no text monologue
     */
    public float[] textLogits(TokenBatch batch) {
        if (!config.hasText()) {
            throw new IllegalStateException("the model has no text monologue");
        }
        float[] all = forward(inputs(batch), true, S2sGraph.TEXT_LOGITS).get(S2sGraph.TEXT_LOGITS);
        return slicedHeads ? all : rowsOf(all, batch, 0, batch.textTokens(), config.textVocabulary());
    }

    /**
     * The code head's output over the code rows, for equivalence tests.
     *
     * @param batch the batch to run
     * @return logits {@code [B*Td*S, V]}, row {@code (b*Td + t)*S + s} for code step t and stream s,
     *     row-major
     */
    public float[] logits(TokenBatch batch) {
        return codeRows(forward(inputs(batch), true, S2sGraph.LOGITS).get(S2sGraph.LOGITS), batch);
    }

    /** The graph's placeholders for a batch, in the layout of this model's graph. */
    private Map<String, INDArray> inputs(TokenBatch batch) {
        return GraphInputs.of(config, batch, slicedHeads);
    }

    /**
     * A forward pass: the named outputs, copied out, row-major. The inference session's arrays
     * come from a {@link StepArena} too and go back to it here; SameDiff's own cache would keep
     * up to a quarter of the memory JavaCPP may use (1.5 GB under {@code bin/samvaad}) for
     * batches of every shape that validation has seen. A pass {@code outsideStep} (validation,
     * evaluation, not the training step's own CTC pass) first frees the training step's idle arrays.
     */
    private Map<String, float[]> forward(Map<String, INDArray> in, boolean outsideStep, String... names) {
        if (outsideStep && !outsideStepLast && sd.hasGradientFunction()) {
            arena(sd.getFunction(GRADIENT_FUNCTION)).trim(); // the training step's idle arrays
        }
        outsideStepLast |= outsideStep;
        StepArena arena = arena(sd);
        try {
            Map<String, INDArray> out = sd.output(in, names);
            Map<String, float[]> copies = new LinkedHashMap<>();
            for (String name : names) {
                copies.put(name, out.get(name).dup('c').data().asFloat());
            }
            return copies;
        } finally {
            arena.endStep();
        }
    }

    /** The code rows' logits {@code [B*Td*S, V]} of the graph's logits output. */
    private float[] codeRows(float[] all, TokenBatch batch) {
        if (slicedHeads) {
            return all;
        }
        int lt = config.hasText() ? batch.textTokens() : 0;
        return rowsOf(all, batch, lt, batch.targetFrames(), config.streams() * config.layout().vocabulary());
    }

    /** Rows {@code from .. from+count-1} of each batch row of {@code [B*(Lt+Td), width]} values. */
    private float[] rowsOf(float[] all, TokenBatch batch, int from, int count, int width) {
        int rows = (config.hasText() ? batch.textTokens() : 0) + batch.targetFrames();
        float[] out = new float[batch.size() * count * width];
        for (int r = 0; r < batch.size(); r++) {
            System.arraycopy(all, (r * rows + from) * width, out, r * count * width, count * width);
        }
        return out;
    }

    /** {@return a copy of every parameter (the fixed ones too), row-major, by {@link WeightNames} name} */
    public Map<String, float[]> weights() {
        Map<String, float[]> out = new LinkedHashMap<>();
        for (String name : WeightNames.shapes(config).keySet()) {
            out.put(name, sd.getVariable(name).getArr().dup('c').data().asFloat());
        }
        return out;
    }
}
