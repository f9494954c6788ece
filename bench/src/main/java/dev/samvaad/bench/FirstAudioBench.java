package dev.samvaad.bench;

import dev.samvaad.agent.AgentOptions;
import dev.samvaad.agent.ConversationAgent;
import dev.samvaad.agent.ConversationListener;
import dev.samvaad.agent.ConversationSession;
import dev.samvaad.agent.TurnReport;
import dev.samvaad.audio.AudioIO;
import dev.samvaad.codec.CodeLayout;
import dev.samvaad.codec.CodecTrainer;
import dev.samvaad.codec.RvqCodec;
import dev.samvaad.infer.FastDecoder;
import dev.samvaad.infer.FrameListener;
import dev.samvaad.infer.GenerationOptions;
import dev.samvaad.infer.ModelConfig;
import dev.samvaad.io.Words;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * First audio: from the end of the user's turn to the first reply PCM chunk handed to the
 * listener, through the whole agent path of a {@link ConversationAgent} with default options
 * (greedy decoding) and its own reply threads: the streaming codec encoder's last frame, the
 * model's encoder over the question (with the cross-attention cache), the text monologue (a model
 * with one writes it before any code), KV-cached decoding of the first code step, the streaming
 * codec decoder, on the agent's worker thread.
 *
 * <p>Setup (bounded, a few seconds): a codec trained with 2 k-means iterations on the question
 * and harmonic bursts, and a model with <b>random weights</b> ({@link ModelFixtures#generating}):
 * the EOS logits are pushed down so the reply does not end at once, and the text head is wired as
 * a counter so that greedy decoding writes a monologue of exactly a given number of symbols.
 * Neither the codec's nor the model's speed depends on the values of their weights, so the timing
 * is that of a trained pair of the same size whose monologue has that length. {@code model}:
 * <ul>
 *   <li>{@code tiny}: the quickstart's model ({@link ModelFixtures#TINY}: G = 4, the codec's
 *       features, summary, monologue) and codec (4 x 256); the monologue is
 *       {@link ModelFixtures#MONOLOGUE} symbols, a short spoken answer written out.</li>
 *   <li>{@code tiny-empty}: the same, with a monologue that ends at once (TEXT_EOT after
 *       TEXT_BOS): {@code tiny} minus this is what the monologue adds to first audio.</li>
 *   <li>{@code previous}: the previous default model ({@link ModelFixtures#PREVIOUS_DEFAULT}, one
 *       frame per step, no text) and codec layout (6 x 1024), as earlier runs measured.</li>
 * </ul>
 * The question is a Telugu sentence spoken by espeak-ng when installed, else a harmonic burst with
 * a syllable-like envelope; silence follows it. The trial teardown prints the agent's own turn
 * reports and, for a model with a monologue, the monologue's rows timed on their own.
 *
 * <p>{@code endOfTurn}:
 * <ul>
 *   <li>{@code vad}: every frame up to the hangover's last is pushed before the measurement; the
 *       measured call pushes that last 20 ms frame, on which the session's voice activity
 *       detector decides the turn is over. The hangover of silence (300 ms by default) is audio
 *       the user must produce before that decision and is <b>not</b> in the figure; the trial
 *       teardown prints it.</li>
 *   <li>{@code finish}: the question and part of the hangover are pushed before the measurement;
 *       the measured call is {@link ConversationSession#finish()}, which ends the turn at once.</li>
 * </ul>
 * Each invocation ends when the listener has the first chunk; the reply is then cancelled and
 * awaited outside the measurement.
 *
 * <p>The question is heard in a {@code Level.Invocation} fixture, which JMH's samples 07 and 38
 * accept only for calls of a millisecond or more: each measured call here takes several
 * milliseconds (the model encoder over the question at least), and an agent's session (its voice
 * activity detector, streaming codec encoder and reply thread) cannot be rewound. The sub-millisecond
 * rows are timed by {@link DecoderStepBench}, on a rewound decoder session.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Thread)
public class FirstAudioBench {
    private static final int RATE = 16_000;
    private static final String TELUGU_QUESTION = "ఈ రోజు వాతావరణం ఎలా ఉంది";

    @Param({"vad", "finish"})
    String endOfTurn;

    /** {@code tiny}, {@code tiny-empty} or {@code previous} (see the class comment). */
    @Param({"tiny", "tiny-empty", "previous"})
    String model;

    private ConversationAgent agent;
    private ModelConfig config;
    private FastDecoder decoder;
    /** Symbols of the monologue the model writes (0 for none, or a model without one). */
    private int symbols;
    /** The question's codes as the agent heard them. */
    private int[][] question;
    private float[][] frames;
    /** Frames pushed before the measured call. */
    private int framesBefore;
    private String questionSource;

    private ConversationSession session;
    private FirstChunk listener;
    private final List<TurnReport> reports = new ArrayList<>();

    @Setup(Level.Trial)
    public void setUp() {
        float[] speech = espeak(TELUGU_QUESTION);
        questionSource = speech != null ? "espeak-ng -v te" : "harmonic burst";
        if (speech == null) {
            speech = harmonicBurst(1.8, 7);
        }
        float[] pcm = BenchSpeech.concat(List.of(new float[RATE / 2], speech, new float[RATE]));
        pcm = Arrays.copyOf(pcm, pcm.length / 320 * 320 + 320);
        frames = new float[pcm.length / 320][];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = Arrays.copyOfRange(pcm, i * 320, (i + 1) * 320);
        }

        List<float[]> training = new ArrayList<>();
        training.add(pcm);
        for (int i = 0; i < 12; i++) {
            training.add(harmonicBurst(3.0, 100 + i));
        }
        boolean previous = "previous".equals(model);
        config = previous ? ModelFixtures.PREVIOUS_DEFAULT : ModelFixtures.TINY;
        if (!List.of("tiny", "tiny-empty", "previous").contains(model)) {
            throw new IllegalArgumentException("unknown model '" + model + "' (tiny, tiny-empty or previous)");
        }
        CodecTrainer.Options options = CodecTrainer.Options.defaults().withIterations(2).withSeed(1);
        RvqCodec codec = CodecTrainer.trainOnSignals(training,
                previous ? options : options.withCodebooks(config.codebooks(), config.codebookSize()));
        if (!CodeLayout.of(codec).equals(config.layout()) || codec.sampleRate() != RATE || codec.hopSize() != 320) {
            throw new IllegalStateException("the codec is not " + config.codebooks() + " x " + config.codebookSize()
                    + " at 16 kHz, 320-sample frames");
        }
        if (config.readsFeatures() && codec.codeVectors()[0][0].length != config.sourceFeatures()) {
            throw new IllegalStateException("the codec has " + codec.codeVectors()[0][0].length + " features per frame, "
                    + "the model reads " + config.sourceFeatures());
        }
        symbols = "tiny".equals(model) ? ModelFixtures.MONOLOGUE : 0;
        decoder = FastDecoder.of(config, ModelFixtures.generating(config, 1, symbols));
        agent = new ConversationAgent(codec, decoder, AgentOptions.defaults());

        // Find the frame on which the detector ends the turn; the whole signal must be one turn.
        FirstChunk probe = new FirstChunk();
        ConversationSession s = agent.newSession(RATE, probe);
        int end = -1;
        for (int i = 0; i < frames.length; i++) {
            s.push(frames[i]);
            if (probe.turnsEnded > 0 && end < 0) {
                end = i;
            }
        }
        s.finish();
        s.awaitReplies();
        s.close();
        if (end < 0 || probe.turnsEnded != 1) {
            throw new IllegalStateException("the question (" + questionSource + ") gave " + probe.turnsEnded
                    + " turns, not one");
        }
        question = probe.questionCodes;
        if (config.hasText()) {
            FastDecoder.Session check = decoder.start(question);
            check.generate(GenerationOptions.builder().maxFrames(config.frameGroup()).build(), FrameListener.none());
            if (check.text().codePointCount(0, check.text().length()) != symbols) {
                throw new IllegalStateException("the monologue has " + check.text().codePointCount(0, check.text().length())
                        + " symbols, not " + symbols);
            }
        }
        framesBefore = "vad".equals(endOfTurn) ? end : end - 5;
    }

    /** A session that has heard everything before the end of the turn. */
    @Setup(Level.Invocation)
    public void hearQuestion() {
        listener = new FirstChunk();
        session = agent.newSession(RATE, listener);
        for (int i = 0; i < framesBefore; i++) {
            session.push(frames[i]);
        }
        if (listener.turnsEnded != 0) {
            throw new IllegalStateException("the turn ended before the measurement");
        }
    }

    @Benchmark
    public long endOfTurnToFirstPcm() throws InterruptedException {
        if ("vad".equals(endOfTurn)) {
            session.push(frames[framesBefore]);
        } else {
            session.finish();
        }
        if (!listener.firstAudio.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("no reply audio");
        }
        return listener.firstAudioNanos;
    }

    /** Stops the rest of the reply, outside the measurement. */
    @TearDown(Level.Invocation)
    public void stopReply() {
        if (listener.turnsEnded != 1) {
            throw new IllegalStateException(listener.turnsEnded + " turns ended in the measured call, not one");
        }
        session.close();
        session.awaitReplies();
        if (listener.report != null) {
            reports.add(listener.report);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        agent.close();
        if (reports.isEmpty()) {
            return;
        }
        TurnReport r = reports.get(reports.size() - 1);
        double[] first = reports.stream().mapToDouble(TurnReport::firstAudioMs).sorted().toArray();
        double[] encode = reports.stream().mapToDouble(TurnReport::encodeMs).sorted().toArray();
        double[] queue = reports.stream().mapToDouble(TurnReport::queueMs).sorted().toArray();
        System.out.printf(Locale.ROOT, "%nfirst audio (%s): question from %s, %d frames (%.2f s with pre-roll and "
                        + "hangover); hangover %.0f ms of audio before the end of turn, not measured; the agent's "
                        + "own TurnReport over %d turns: first audio median %.2f ms, model encoder median %.2f ms, "
                        + "queue median %.2f ms%n", endOfTurn, questionSource, r.questionFrames(), r.questionSeconds(),
                r.hangoverMs(), reports.size(), first[first.length / 2], encode[encode.length / 2],
                queue[queue.length / 2]);
        if (config.hasText()) {
            System.out.println(monologueTimes());
        }
    }

    /**
     * The monologue's share timed on its own, outside the agent (medians of 50 sessions on this
     * thread): the model encoder over the question, the text rows (TEXT_BOS and the symbols, each
     * {@code Session.stepText} with a greedy choice), and the first code step.
     */
    private String monologueTimes() {
        int runs = 50;
        double[] encode = new double[runs], text = new double[runs], firstStep = new double[runs];
        float sink = 0;
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            FastDecoder.Session s = decoder.start(question);
            long t1 = System.nanoTime();
            float[] logits = s.stepText(ModelConfig.TEXT_BOS);
            int written = 0;
            for (int token = greedyText(logits); token != ModelConfig.TEXT_EOT; token = greedyText(logits)) {
                written++;
                logits = s.stepText(token);
            }
            long t2 = System.nanoTime();
            sink += s.step(decoder.bosFrame())[0];
            long t3 = System.nanoTime();
            if (written != symbols) {
                throw new IllegalStateException("the monologue has " + written + " symbols, not " + symbols);
            }
            encode[i] = (t1 - t0) / 1e6;
            text[i] = (t2 - t1) / 1e6;
            firstStep[i] = (t3 - t2) / 1e6;
        }
        Arrays.sort(encode);
        Arrays.sort(text);
        Arrays.sort(firstStep);
        return String.format(Locale.ROOT, "monologue (%s) timed on its own, medians of %d sessions: model encoder %.2f ms, "
                        + "%s (TEXT_BOS + %s) %.2f ms, first code step (%s) %.3f ms%s",
                model, runs, encode[runs / 2], Words.count(symbols + 1, "text row"), Words.count(symbols, "symbol"),
                text[runs / 2], Words.count(config.frameGroup(), "frame"),
                firstStep[runs / 2], Float.isNaN(sink) ? " (NaN logits)" : "");
    }

    /** The text token greedy generation picks: the most likely but PAD, TEXT_BOS and TEXT_CODE, as the session masks them. */
    private static int greedyText(float[] logits) {
        int best = -1;
        for (int k = 0; k < logits.length; k++) {
            boolean masked = k == ModelConfig.TEXT_PAD || k == ModelConfig.TEXT_BOS || k == ModelConfig.TEXT_CODE;
            if (!masked && (best < 0 || logits[k] > logits[best])) {
                best = k;
            }
        }
        return best;
    }

    /** Counts ended turns and catches the first reply chunk. */
    private static final class FirstChunk implements ConversationListener {
        final CountDownLatch firstAudio = new CountDownLatch(1);
        volatile long firstAudioNanos;
        volatile int turnsEnded;
        volatile TurnReport report;
        volatile int[][] questionCodes;

        @Override
        public void onSpeechEnd(int turn, int[][] questionCodes) {
            this.questionCodes = questionCodes;
            turnsEnded++;
        }

        @Override
        public void onAudio(int turn, float[] pcm) {
            if (firstAudio.getCount() > 0) {
                firstAudioNanos = System.nanoTime();
                firstAudio.countDown();
            }
        }

        @Override
        public void onReply(TurnReport r) {
            report = r;
        }
    }

    /** The text spoken by espeak-ng's Telugu voice at the codec's rate, or null when espeak-ng cannot. */
    static float[] espeak(String text) {
        Path wav = null;
        try {
            wav = Files.createTempFile("samvaad-bench-", ".wav");
            Process p = new ProcessBuilder("espeak-ng", "-v", "te", "-w", wav.toString(), text)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            if (p.exitValue() != 0 || Files.size(wav) < 1000) {
                return null;
            }
            return AudioIO.readMono(wav, RATE);
        } catch (IOException | RuntimeException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            if (wav != null) {
                try {
                    Files.deleteIfExists(wav);
                } catch (IOException ignored) {
                    // a temporary file
                }
            }
        }
    }

    /** Voiced speech-like sound: a gliding 110..190 Hz pulse-ish tone with harmonics, 4 syllables a second. */
    static float[] harmonicBurst(double seconds, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] pcm = new float[(int) Math.round(seconds * RATE)];
        double f0 = 110 + 80 * rng.nextDouble();
        double phase = 0;
        for (int i = 0; i < pcm.length; i++) {
            double t = (double) i / RATE;
            double f = f0 * (1 + 0.15 * Math.sin(2 * Math.PI * 0.7 * t));
            phase += 2 * Math.PI * f / RATE;
            double v = 0;
            for (int h = 1; h <= 12; h++) {
                v += Math.sin(h * phase) / h;
            }
            double envelope = 0.5 - 0.5 * Math.cos(2 * Math.PI * 4 * t);
            pcm[i] = (float) (0.15 * envelope * v + 0.005 * rng.nextGaussian());
        }
        return pcm;
    }
}
