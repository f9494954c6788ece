package dev.samvaad.training;

import dev.samvaad.agent.EndOfTurnPredictor;
import dev.samvaad.agent.LatencySummary;
import dev.samvaad.agent.SpeechTracker;
import dev.samvaad.agent.TurnFeatures;
import dev.samvaad.agent.VadOptions;
import dev.samvaad.audio.AudioIO;
import dev.samvaad.codec.RvqCodec;
import dev.samvaad.dataset.ConversationCorpus;
import dev.samvaad.dataset.ConversationPair;
import dev.samvaad.dataset.PairMeta;
import dev.samvaad.dataset.Split;
import dev.samvaad.dataset.TurnMarks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains an {@link EndOfTurnPredictor} on questions whose turn-taking marks say where the turn
 * really ends ({@code generate-data --pauses}). Each question is heard exactly as the agent hears
 * it ({@link SpeechTracker}: energy detector, pre-roll, streaming codec encoder); every frame of
 * every silence inside a turn, from {@code minSilenceMs} on, is an example: the turn was over (no
 * voiced frame follows the silence, and it starts after the last marked pause) or not (the user
 * spoke again after it: a pause between phrases, or a gap inside one). A one-hidden-layer network (tanh, sigmoid
 * output; pure Java, Adam) learns P(over) with each silence weighing the same and both kinds
 * weighing half.
 *
 * <p>The threshold is calibrated on probabilities the network gives questions it did not learn
 * from: the {@code train} and {@code val} questions are cut into folds, a network is trained
 * without each fold and asked about it, and the agent's rule is replayed on every question (the
 * turn ends at the first frame from {@code minSilenceMs} where P reaches the threshold, or at
 * {@code maxSilenceMs}): the threshold is the lowest at which at most {@code targetCutIns} of the
 * turns whose pauses are all at most 500 ms are cut into. The predictor itself then learns from every question.
 * Deterministic for a seed.
 */
public final class EndOfTurnTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(EndOfTurnTrainer.class);
    private static final double[] THRESHOLDS = thresholds();
    /** The cut-in rate the threshold is chosen by: of turns with pauses, all at most {@value #TARGET_PAUSE_MS} ms. */
    static final String TARGET = "cutInsPausesUpTo500ms";
    /** The longest pause the cut-in target covers, ms (the target: turns whose pauses are up to 500 ms). */
    static final double TARGET_PAUSE_MS = 500;
    /** The threshold when no calibration question has a silence inside its turn. */
    static final double NO_CALIBRATION_THRESHOLD = 0.5;

    /**
     * How to train.
     *
     * @param minSilenceMs  silence before the predictor is first asked, ms
     * @param maxSilenceMs  silence that ends a turn whatever the predictor says, ms
     * @param hidden        hidden units, 0 for a logistic regression
     * @param epochs        passes over the examples
     * @param learningRate  Adam's step size
     * @param weightDecay   L2 penalty on the weights
     * @param seed          decides the initial weights, the order of examples and the tempo copies
     * @param targetCutIns  the share of turns with pauses of at most 500 ms that may be cut into, as calibrated
     * @param prerollMs     the agent's pre-roll, ms (the question the features follow starts there)
     * @param augment       tempo-changed copies of each silence's speech learned beside it
     * @param tempo         the copies' tempo is {@code exp(u)}, {@code u} uniform in {@code [-tempo, tempo]}
     * @param folds         the threshold is calibrated on every question's probabilities from a
     *                      network trained without the {@code 1/folds} of the questions it is in
     */
    public record Options(int minSilenceMs, int maxSilenceMs, int hidden, int epochs, double learningRate,
                          double weightDecay, long seed, double targetCutIns, int prerollMs, int augment,
                          double tempo, int folds) {
        /**
         * Checks the options.
         *
         * @param minSilenceMs  silence before the predictor is first asked, at least one frame
         * @param maxSilenceMs  silence that ends a turn anyway, more than {@code minSilenceMs}
         * @param hidden        hidden units, 0..256
         * @param epochs        passes over the examples, at least 1
         * @param learningRate  Adam's step size, positive
         * @param weightDecay   L2 penalty, {@code >= 0}
         * @param seed          the seed
         * @param targetCutIns  0..1
         * @param prerollMs     {@code >= 0}
         * @param augment       copies, 0..16
         * @param tempo         0..1
         * @param folds         2..10
         * @throws IllegalArgumentException naming the bad option
         */
        public Options {
            if (folds < 2 || folds > 10) {
                throw new IllegalArgumentException("--folds must be 2..10, got " + folds);
            }
            if (augment < 0 || augment > 16 || !(tempo >= 0 && tempo <= 1)) {
                throw new IllegalArgumentException("need 0..16 tempo copies and a tempo range 0..1, got " + augment
                        + " and " + tempo);
            }
            if (minSilenceMs < 20 || maxSilenceMs <= minSilenceMs) {
                throw new IllegalArgumentException("need 20 <= --min_silence_ms < --max_silence_ms, got " + minSilenceMs
                        + " and " + maxSilenceMs);
            }
            if (hidden < 0 || hidden > 256) {
                throw new IllegalArgumentException("--hidden must be 0..256, got " + hidden);
            }
            if (epochs < 1) {
                throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
            }
            if (!(learningRate > 0) || !(weightDecay >= 0)) {
                throw new IllegalArgumentException("need a positive learning rate and a weight decay >= 0, got "
                        + learningRate + " and " + weightDecay);
            }
            if (!(targetCutIns >= 0 && targetCutIns <= 1)) {
                throw new IllegalArgumentException("--target_cut_ins must be 0..1, got " + targetCutIns);
            }
            if (prerollMs < 0) {
                throw new IllegalArgumentException("prerollMs must be >= 0, got " + prerollMs);
            }
        }

        /**
         * {@return asked from 100 ms of silence, 1 s at most, 32 hidden units, 40 epochs, cut-ins 3% on
         * calibration, 3 copies of each silence at tempos 0.67-1.49, 4 folds}
         */
        public static Options defaults() {
            return new Options(100, 1000, 32, 40, 3e-3, 1e-4, 1, 0.03, 300, 3, 0.4, 4);
        }
    }

    /**
     * One silence inside a turn, as the agent heard it.
     *
     * @param pair            the pair it comes from
     * @param end             whether the turn was over when it began
     * @param lastVoicedEnd   where the last voiced frame before it ends, seconds of the recording
     * @param speechEnd       the true end of the turn, seconds
     * @param frameMs         the detector's frame
     * @param firstFrame      the silence frame (1 = the first) of {@code features[0]}
     * @param features        one vector per silence frame from {@code firstFrame} on
     * @param tempoCopies     the vector at {@code firstFrame} of the speech played at other tempos
     */
    public record Silence(String pair, boolean end, double lastVoicedEnd, double speechEnd, int frameMs, int firstFrame,
                          List<float[]> features, List<float[]> tempoCopies) {}

    private final RvqCodec codec;
    private final Options options;
    private final Supplier<TurnFeatures> featureFactory;
    private final VadOptions vad;
    /** How long each silence frame's features took to compute, ns (for the record). */
    private final java.util.Queue<Long> featureNanos = new java.util.concurrent.ConcurrentLinkedQueue<>();

    /**
     * A trainer for predictors over {@code codec}'s features.
     *
     * @param codec   the codec the agent will use
     * @param options how to train
     */
    public EndOfTurnTrainer(RvqCodec codec, Options options) {
        this.codec = Objects.requireNonNull(codec, "codec");
        this.options = Objects.requireNonNull(options, "options");
        this.featureFactory = TurnFeatures.factory(codec);
        this.vad = VadOptions.builder().hangoverMs(options.maxSilenceMs()).build();
    }

    /**
     * What a predictor was trained on and how the calibration went.
     *
     * @param predictor the predictor
     * @param record    counts, losses and the calibration table, as the checkpoint records them
     */
    public record Result(EndOfTurnPredictor predictor, Map<String, Object> record) {}

    /**
     * The silences inside the turns of one recording, as the agent hears them.
     *
     * @param pair  a name for the recording
     * @param wav   the recording (any rate)
     * @param marks where its speech really ends
     * @return its silences of at least {@code minSilenceMs}, in order
     */
    public List<Silence> silences(String pair, Path wav, TurnMarks marks) {
        float[] pcm = AudioIO.readMono(wav, codec.sampleRate());
        TurnFeatures[] following = new TurnFeatures[1];
        SpeechTracker tracker = new SpeechTracker(codec, vad, options.prerollMs(), Long.MAX_VALUE / 4, () -> {
            following[0] = featureFactory.get();
            return following[0];
        });
        SplittableRandom rng = new SplittableRandom(options.seed() ^ pair.hashCode() * 0x9E3779B97F4A7C15L);
        List<float[]> copies = null;
        int n = tracker.frameSamples();
        int frameMs = tracker.frameMs();
        int minFrames = Math.max(1, (options.minSilenceMs() + frameMs - 1) / frameMs);
        double rate = codec.sampleRate();
        List<Silence> out = new ArrayList<>();
        List<float[]> current = null;
        double lastVoicedEnd = 0;
        for (int at = 0; at + n <= pcm.length; at += n) {
            SpeechTracker.Step step = tracker.accept(Arrays.copyOfRange(pcm, at, at + n));
            if (step.silenceFrames() >= minFrames && step.end() == SpeechTracker.End.NONE) {
                if (current == null) {
                    current = new ArrayList<>();
                    lastVoicedEnd = (at + n) / rate - step.silenceFrames() * frameMs / 1000.0;
                    copies = new ArrayList<>();
                    for (int k = 0; k < options.augment(); k++) {
                        double tempo = Math.exp((2 * rng.nextDouble() - 1) * options.tempo());
                        copies.add(following[0].stretched(tempo).compute(step.silenceFrames()));
                    }
                }
                long t0 = System.nanoTime();
                current.add(tracker.features(step.silenceFrames()));
                featureNanos.add(System.nanoTime() - t0);
            }
            if (step.silenceFrames() == 0 || step.end() != SpeechTracker.End.NONE) {
                if (current != null) {
                    // Voiced again: not the end. The hangover ended it: the end, if the speech marks agree.
                    boolean end = step.end() != SpeechTracker.End.NONE;
                    out.add(silence(pair, end, lastVoicedEnd, marks, frameMs, minFrames, current, copies));
                    current = null;
                }
                if (step.end() != SpeechTracker.End.NONE) {
                    tracker.endTurn();
                }
            }
        }
        if (current != null) {
            out.add(silence(pair, true, lastVoicedEnd, marks, frameMs, minFrames, current, copies));
        }
        return out;
    }

    /**
     * A silence heard; {@code heardEnd} when no voiced frame followed it. It is the end of the turn
     * if also no marked pause ends after it starts (a breath heard as voice inside a pause splits
     * the pause, and neither half is the end).
     */
    private static Silence silence(String pair, boolean heardEnd, double lastVoicedEnd, TurnMarks marks, int frameMs,
                                   int minFrames, List<float[]> features, List<float[]> copies) {
        boolean resumes = marks.pauses().stream().anyMatch(p -> p.endSeconds() > lastVoicedEnd);
        return new Silence(pair, heardEnd && !resumes, lastVoicedEnd, marks.speechEndSeconds(), frameMs, minFrames,
                List.copyOf(features), List.copyOf(copies));
    }

    /**
     * Trains on the marked pairs of a data set's {@code train} and {@code val} splits, and
     * calibrates the threshold by folds of them.
     *
     * @param corpus a data set made with {@code generate-data --pauses}
     * @return the predictor and its record
     * @throws IllegalArgumentException if the data set has no marked pairs to learn or calibrate on
     */
    public Result train(ConversationCorpus corpus) {
        long start = System.nanoTime();
        List<List<Silence>> questions = new ArrayList<>();
        List<TurnMarks> marksOf = new ArrayList<>();
        for (ConversationPair pair : corpus.pairs()) {
            Split split = pair.split();
            if (split != Split.TRAIN && split != Split.VAL) {
                continue;
            }
            TurnMarks marks = marks(pair);
            if (marks != null) {
                questions.add(silences(pair.id(), pair.userWav(), marks));
                marksOf.add(marks);
            }
        }
        if (questions.size() < options.folds()) {
            throw new IllegalArgumentException(corpus.root() + ": " + questions.size() + " train/val pairs carry "
                    + "turn-taking marks (meta.json generator." + TurnMarks.KEY + "); need at least " + options.folds()
                    + " to learn from and calibrate on: make the data with bin/samvaad generate-data --pauses 0.75");
        }
        double extractSeconds = (System.nanoTime() - start) / 1e9;
        int dims = TurnFeatures.SIZE;
        Examples ex = Examples.of(questions, dims);
        LOG.info("end-of-turn examples: {} silences ({} ends) in {} questions, {} rows; features {} s", ex.silences,
                ex.ends, questions.size(), ex.rows, String.format(Locale.ROOT, "%.1f", extractSeconds));
        if (ex.ends == 0 || ex.ends == ex.silences) {
            throw new IllegalArgumentException(corpus.root() + ": the training questions give " + ex.ends + " ends among "
                    + ex.silences + " silences; need both kinds (are the marks right?)");
        }
        long fitStart = System.nanoTime();
        // Each question's probabilities from a network that did not learn from it (k folds).
        List<double[][]> outOfFold = new ArrayList<>();
        for (int i = 0; i < questions.size(); i++) {
            outOfFold.add(null);
        }
        for (int k = 0; k < options.folds(); k++) {
            List<List<Silence>> learn = new ArrayList<>();
            for (int i = 0; i < questions.size(); i++) {
                if (i % options.folds() != k) {
                    learn.add(questions.get(i));
                }
            }
            Network fold = Network.fit(Examples.of(learn, dims), options);
            for (int i = k; i < questions.size(); i += options.folds()) {
                outOfFold.set(i, fold.probabilities(questions.get(i)));
            }
        }
        Calibration cal = calibrate(questions, marksOf, outOfFold);
        // The predictor itself learns from every question.
        Network net = Network.fit(ex, options);
        double fitSeconds = (System.nanoTime() - fitStart) / 1e9;
        double[] features = featureNanos.stream().mapToDouble(v -> v / 1e3).toArray();
        double[] network = timeNetwork(net, questions);
        EndOfTurnPredictor.Config config = new EndOfTurnPredictor.Config(codec.fingerprint(), TurnFeatures.VERSION, dims,
                options.hidden(), cal.threshold, options.minSilenceMs(), null);
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("data", corpus.root().toString());
        record.put("questions", questions.size());
        record.put("folds", options.folds());
        record.put("silences", ex.silences);
        record.put("ends", ex.ends);
        record.put("rows", ex.rows);
        record.put("minSilenceMs", options.minSilenceMs());
        record.put("maxSilenceMs", options.maxSilenceMs());
        record.put("hidden", options.hidden());
        record.put("epochs", options.epochs());
        record.put("tempoCopies", options.augment());
        record.put("tempoRange", options.tempo());
        record.put("seed", options.seed());
        record.put("fitLoss", round(net.loss));
        record.put("fitAccuracy", round(net.accuracy(ex)));
        record.put("targetCutIns", options.targetCutIns());
        record.put("calibration", cal.table);
        record.put("threshold", cal.threshold);
        record.put("calibrationCutIns", cal.chosen.get(TARGET));
        record.put("calibrationCutInsAllPauses", cal.chosen.get("cutIns"));
        record.put("calibrationLatencyP50Ms", cal.chosen.get("latencyP50Ms"));
        record.put("calibrationLatencyP95Ms", cal.chosen.get("latencyP95Ms"));
        record.put("featuresUsP50", round(LatencySummary.percentile(features, 50)));
        record.put("featuresUsP95", round(LatencySummary.percentile(features, 95)));
        record.put("networkUsP50", round(LatencySummary.percentile(network, 50)));
        record.put("networkUsP95", round(LatencySummary.percentile(network, 95)));
        record.put("secondsFeatures", round(extractSeconds));
        record.put("secondsFit", round(fitSeconds));
        config = new EndOfTurnPredictor.Config(config.codecFingerprint(), config.features(), dims, options.hidden(),
                cal.threshold, options.minSilenceMs(), record);
        EndOfTurnPredictor predictor = new EndOfTurnPredictor(codec, config, ex.mean, ex.scale, net.w1, net.b1, net.w2,
                net.b2);
        return new Result(predictor, record);
    }

    /** How long the network takes per silence frame, microseconds, over (up to) the first 20,000 frames. */
    private static double[] timeNetwork(Network net, List<List<Silence>> questions) {
        List<Double> us = new ArrayList<>();
        double sink = 0;
        for (List<Silence> q : questions) {
            for (Silence s : q) {
                for (float[] f : s.features()) {
                    if (us.size() >= 20_000) {
                        break;
                    }
                    long t0 = System.nanoTime();
                    sink += net.probability(f);
                    us.add((System.nanoTime() - t0) / 1e3);
                }
            }
        }
        if (sink < 0) {
            throw new AssertionError("a probability below 0");
        }
        return us.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static TurnMarks marks(ConversationPair pair) {
        PairMeta meta = pair.meta().orElse(null);
        if (meta == null) {
            return null;
        }
        try {
            return TurnMarks.of(meta).orElse(null);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(pair.folder().resolve(ConversationPair.META_JSON) + ": " + e.getMessage(), e);
        }
    }

    /** The threshold chosen and the table it was chosen from. */
    private record Calibration(double threshold, Map<String, Object> chosen, List<Map<String, Object>> table) {}

    /** Replays the agent's rule on the questions, with their out-of-fold probabilities, at every threshold of the grid. */
    private Calibration calibrate(List<List<Silence>> questions, List<TurnMarks> marks, List<double[][]> probabilities) {
        boolean anyPause = questions.stream().anyMatch(q -> q.stream().anyMatch(x -> !x.end()));
        if (!anyPause) {
            // Nothing to calibrate against: an even threshold, said so.
            Map<String, Object> row = replay(questions, marks, probabilities, NO_CALIBRATION_THRESHOLD);
            LOG.warn("the calibration questions hold no silence inside a turn; threshold {} uncalibrated (generate more "
                    + "questions with --pauses)", NO_CALIBRATION_THRESHOLD);
            return new Calibration(NO_CALIBRATION_THRESHOLD, row, List.of(row));
        }
        List<Map<String, Object>> table = new ArrayList<>();
        Map<String, Object> chosen = null;
        Map<String, Object> safest = null;
        double threshold = Double.NaN;
        for (double t : THRESHOLDS) {
            Map<String, Object> row = replay(questions, marks, probabilities, t);
            table.add(row);
            if (safest == null || (double) row.get(TARGET) < (double) safest.get(TARGET)) {
                safest = row;
            }
            if (chosen == null && (double) row.get(TARGET) <= options.targetCutIns()) {
                chosen = row;
                threshold = t;
            }
        }
        if (chosen == null) {
            chosen = safest;
            threshold = (double) safest.get("threshold");
            LOG.warn("no threshold keeps calibration cut-ins at {}; taking {} ({} cut-ins)", options.targetCutIns(),
                    threshold, chosen.get(TARGET));
        }
        return new Calibration(threshold, chosen, table);
    }

    private Map<String, Object> replay(List<List<Silence>> questions, List<TurnMarks> marks, List<double[][]> probabilities,
                                       double threshold) {
        int paused = 0, cutIns = 0, turns = 0, target = 0, targetCutIns = 0;
        List<Double> latencies = new ArrayList<>();
        for (int qi = 0; qi < questions.size(); qi++) {
            List<Silence> q = questions.get(qi);
            double[][] p = probabilities.get(qi);
            boolean hasPause = q.stream().anyMatch(s -> !s.end());
            Double latency = null;
            boolean cut = false;
            for (int i = 0; i < q.size() && latency == null && !cut; i++) {
                Silence s = q.get(i);
                int fired = -1;
                for (int k = 0; k < p[i].length && fired < 0; k++) {
                    if (p[i][k] >= threshold) {
                        fired = s.firstFrame() + k;
                    }
                }
                if (!s.end()) {
                    cut = fired >= 0;
                } else {
                    int frames = fired >= 0 ? fired : options.maxSilenceMs() / s.frameMs();
                    latency = (s.lastVoicedEnd() - s.speechEnd()) * 1000 + frames * s.frameMs();
                }
            }
            turns++;
            if (hasPause) {
                paused++;
                cutIns += cut ? 1 : 0;
            }
            TurnMarks m = marks.get(qi);
            if (!m.pauses().isEmpty() && m.longestPauseMs() <= TARGET_PAUSE_MS) {
                target++;
                targetCutIns += cut ? 1 : 0;
            }
            if (latency != null && !cut) {
                latencies.add(latency);
            }
        }
        double[] lat = latencies.stream().mapToDouble(Double::doubleValue).toArray();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("threshold", threshold);
        row.put("turns", turns);
        row.put("turnsWithSilences", paused);
        row.put("cutIns", paused == 0 ? 0.0 : round((double) cutIns / paused));
        row.put("turnsPausedUpTo500ms", target);
        row.put(TARGET, target == 0 ? 0.0 : round((double) targetCutIns / target));
        row.put("latencyP50Ms", round(LatencySummary.percentile(lat, 50)));
        row.put("latencyP95Ms", round(LatencySummary.percentile(lat, 95)));
        return row;
    }

    private static double[] thresholds() {
        List<Double> t = new ArrayList<>();
        for (int i = 10; i <= 95; i += 5) {
            t.add(i / 100.0);
        }
        t.addAll(List.of(0.97, 0.98, 0.99, 0.995, 0.999));
        return t.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 10_000) / 10_000.0 : v;
    }

    /** The training rows, standardised, with each silence's weight spread over its frames. */
    static final class Examples {
        /** Silence frames learned per silence: the first, the last and evenly between. */
        static final int SILENCE_PICKS = 4;
        final float[][] x;
        final float[] y;
        final float[] weight;
        final float[] mean;
        final float[] scale;
        final int rows;
        final int silences;
        final int ends;

        private Examples(float[][] x, float[] y, float[] weight, float[] mean, float[] scale, int silences, int ends) {
            this.x = x;
            this.y = y;
            this.weight = weight;
            this.mean = mean;
            this.scale = scale;
            this.rows = x.length;
            this.silences = silences;
            this.ends = ends;
        }

        static Examples of(List<List<Silence>> questions, int dims) {
            List<float[]> rows = new ArrayList<>();
            List<Float> ys = new ArrayList<>();
            List<Float> ws = new ArrayList<>();
            int silences = 0, ends = 0;
            for (List<Silence> q : questions) {
                for (Silence s : q) {
                    silences++;
                    ends += s.end() ? 1 : 0;
                }
            }
            // Each silence weighs the same, and ends weigh as much as the rest together.
            double endWeight = ends == 0 ? 0 : 0.5 * silences / ends;
            double restWeight = silences == ends ? 0 : 0.5 * silences / (silences - ends);
            for (List<Silence> q : questions) {
                for (Silence s : q) {
                    // A few of its frames (only the silence so far differs between them), as heard
                    // and at the other tempos.
                    int length = s.features().size();
                    int[] picks = java.util.stream.IntStream.range(0, SILENCE_PICKS)
                            .map(i -> SILENCE_PICKS == 1 ? 0 : i * (length - 1) / (SILENCE_PICKS - 1)).distinct().toArray();
                    int used = picks.length * (1 + s.tempoCopies().size());
                    double w = (s.end() ? endWeight : restWeight) / used;
                    for (int k : picks) {
                        int silence = s.firstFrame() + k;
                        rows.add(s.features().get(k).clone());
                        for (float[] copy : s.tempoCopies()) {
                            rows.add(TurnFeatures.withSilence(copy, silence));
                        }
                        for (int c = 0; c <= s.tempoCopies().size(); c++) {
                            ys.add(s.end() ? 1f : 0f);
                            ws.add((float) w);
                        }
                    }
                }
            }
            float[] mean = new float[dims];
            float[] scale = new float[dims];
            int n = rows.size();
            for (int d = 0; d < dims; d++) {
                double s = 0, s2 = 0;
                for (float[] r : rows) {
                    s += r[d];
                    s2 += (double) r[d] * r[d];
                }
                double m = n == 0 ? 0 : s / n;
                mean[d] = (float) m;
                scale[d] = (float) Math.max(1e-3, Math.sqrt(Math.max(0, n == 0 ? 0 : s2 / n - m * m)));
            }
            float[][] x = new float[n][];
            float[] y = new float[n];
            float[] w = new float[n];
            for (int i = 0; i < n; i++) {
                float[] r = rows.get(i);
                for (int d = 0; d < dims; d++) {
                    r[d] = (r[d] - mean[d]) / scale[d];
                }
                x[i] = r;
                y[i] = ys.get(i);
                w[i] = ws.get(i);
            }
            return new Examples(x, y, w, mean, scale, silences, ends);
        }
    }

    /** One hidden tanh layer and a sigmoid output (or a logistic regression with no hidden units), fitted by Adam. */
    static final class Network {
        final int f;
        final int h;
        final float[] w1;
        final float[] b1;
        final float[] w2;
        float b2;
        float[] mean;
        float[] scale;
        double loss;

        Network(int f, int h) {
            this.f = f;
            this.h = h;
            this.w1 = new float[h * f];
            this.b1 = new float[h];
            this.w2 = new float[h == 0 ? f : h];
        }

        /** P(end) at every frame of every silence of a question. */
        double[][] probabilities(List<Silence> question) {
            double[][] p = new double[question.size()][];
            for (int i = 0; i < question.size(); i++) {
                List<float[]> f = question.get(i).features();
                p[i] = new double[f.size()];
                for (int k = 0; k < f.size(); k++) {
                    p[i][k] = probability(f.get(k));
                }
            }
            return p;
        }

        /** P(end) of a raw (unstandardised) vector. */
        double probability(float[] raw) {
            float[] z = new float[f];
            for (int i = 0; i < f; i++) {
                z[i] = (raw[i] - mean[i]) / scale[i];
            }
            return sigmoid(logit(z, null));
        }

        /** The output logit of a standardised row; the hidden activations go to {@code hidden} when given. */
        double logit(float[] z, double[] hidden) {
            double out = b2;
            if (h == 0) {
                for (int i = 0; i < f; i++) {
                    out += w2[i] * z[i];
                }
                return out;
            }
            for (int j = 0; j < h; j++) {
                double a = b1[j];
                int row = j * f;
                for (int i = 0; i < f; i++) {
                    a += w1[row + i] * z[i];
                }
                double t = Math.tanh(a);
                if (hidden != null) {
                    hidden[j] = t;
                }
                out += w2[j] * t;
            }
            return out;
        }

        double accuracy(Examples ex) {
            double right = 0, total = 0;
            for (int i = 0; i < ex.rows; i++) {
                boolean p = logit(ex.x[i], null) >= 0;
                right += (p == (ex.y[i] > 0.5f)) ? ex.weight[i] : 0;
                total += ex.weight[i];
            }
            return total == 0 ? 0 : right / total;
        }

        static Network fit(Examples ex, Options o) {
            int f = ex.x.length == 0 ? 0 : ex.x[0].length;
            Network net = new Network(f, o.hidden());
            net.mean = ex.mean;
            net.scale = ex.scale;
            SplittableRandom rng = new SplittableRandom(o.seed() ^ 0xE0D0F7L);
            for (int i = 0; i < net.w1.length; i++) {
                net.w1[i] = (float) (rng.nextGaussian() / Math.sqrt(f));
            }
            for (int i = 0; i < net.w2.length; i++) {
                net.w2[i] = (float) (rng.nextGaussian() / Math.sqrt(Math.max(1, o.hidden() == 0 ? f : o.hidden())) * 0.1);
            }
            int params = net.w1.length + net.b1.length + net.w2.length + 1;
            float[] grad = new float[params];
            float[] m = new float[params];
            float[] v = new float[params];
            int[] order = new int[ex.rows];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            double totalWeight = 0;
            for (float w : ex.weight) {
                totalWeight += w;
            }
            int batch = 64;
            double meanWeight = totalWeight / Math.max(1, ex.rows);
            double[] hidden = new double[Math.max(1, o.hidden())];
            long step = 0;
            double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
            double epochLoss = 0;
            for (int epoch = 0; epoch < o.epochs(); epoch++) {
                for (int i = order.length - 1; i > 0; i--) {
                    int j = rng.nextInt(i + 1);
                    int t = order[i];
                    order[i] = order[j];
                    order[j] = t;
                }
                epochLoss = 0;
                for (int from = 0; from < order.length; from += batch) {
                    int to = Math.min(order.length, from + batch);
                    Arrays.fill(grad, 0);
                    for (int b = from; b < to; b++) {
                        int r = order[b];
                        float[] z = ex.x[r];
                        double p = sigmoid(net.logit(z, hidden));
                        double y = ex.y[r];
                        double w = ex.weight[r] / meanWeight;
                        epochLoss += w * -(y * Math.log(p + 1e-12) + (1 - y) * Math.log(1 - p + 1e-12));
                        double g = w * (p - y);
                        int at = net.w1.length + net.b1.length;
                        if (net.h == 0) {
                            for (int i = 0; i < f; i++) {
                                grad[at + i] += (float) (g * z[i]);
                            }
                        } else {
                            for (int j = 0; j < net.h; j++) {
                                grad[at + j] += (float) (g * hidden[j]);
                                double gh = g * net.w2[j] * (1 - hidden[j] * hidden[j]);
                                grad[net.w1.length + j] += (float) gh;
                                int row = j * f;
                                for (int i = 0; i < f; i++) {
                                    grad[row + i] += (float) (gh * z[i]);
                                }
                            }
                        }
                        grad[params - 1] += (float) g;
                    }
                    step++;
                    double n = to - from;
                    double lr = o.learningRate() * Math.sqrt(1 - Math.pow(beta2, step)) / (1 - Math.pow(beta1, step));
                    for (int i = 0; i < params; i++) {
                        double value = get(net, i);
                        boolean weight = i < net.w1.length || (i >= net.w1.length + net.b1.length && i < params - 1);
                        double gi = grad[i] / n + (weight ? o.weightDecay() * value : 0);
                        m[i] = (float) (beta1 * m[i] + (1 - beta1) * gi);
                        v[i] = (float) (beta2 * v[i] + (1 - beta2) * gi * gi);
                        set(net, i, value - lr * m[i] / (Math.sqrt(v[i]) + eps));
                    }
                }
                epochLoss /= Math.max(1, ex.rows);
            }
            net.loss = epochLoss;
            return net;
        }

        private static double get(Network net, int i) {
            if (i < net.w1.length) {
                return net.w1[i];
            }
            i -= net.w1.length;
            if (i < net.b1.length) {
                return net.b1[i];
            }
            i -= net.b1.length;
            return i < net.w2.length ? net.w2[i] : net.b2;
        }

        private static void set(Network net, int i, double value) {
            if (i < net.w1.length) {
                net.w1[i] = (float) value;
                return;
            }
            i -= net.w1.length;
            if (i < net.b1.length) {
                net.b1[i] = (float) value;
                return;
            }
            i -= net.b1.length;
            if (i < net.w2.length) {
                net.w2[i] = (float) value;
            } else {
                net.b2 = (float) value;
            }
        }

        static double sigmoid(double x) {
            return 1 / (1 + Math.exp(-x));
        }
    }
}
