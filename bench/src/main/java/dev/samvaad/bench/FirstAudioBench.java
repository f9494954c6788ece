package dev.samvaad.bench;

import dev.samvaad.agent.AgentOptions;
import dev.samvaad.agent.ConversationAgent;
import dev.samvaad.agent.ConversationListener;
import dev.samvaad.agent.ConversationSession;
import dev.samvaad.agent.TurnReport;
import dev.samvaad.audio.AudioIO;
import dev.samvaad.codec.AudioCodec;
import dev.samvaad.codec.CodecTrainer;
import dev.samvaad.infer.FastDecoder;
import dev.samvaad.model.ModelConfig;
import dev.samvaad.model.WeightNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * listener, through the whole agent path of a {@link ConversationAgent} with default options and
 * its own reply threads: the streaming codec encoder's last frame, the model's encoder over the
 * question (with the cross-attention cache), KV-cached decoding of the first frame(s), the
 * streaming codec decoder, on the agent's worker thread.
 *
 * <p>Setup (bounded, a few seconds): a codec of the default layout (6 codebooks of 1024) trained
 * with 2 k-means iterations on the question and harmonic bursts, and a model of the default size
 * ({@link ModelFixtures#DEFAULT}) with <b>random weights</b> whose EOS logit is pushed down so the
 * reply does not end at once. Neither the codec's nor the model's speed depends on the values of
 * their weights, so the timing is that of a trained pair of the same size. The question is a
 * Telugu sentence spoken by espeak-ng when installed, else a harmonic burst with a syllable-like
 * envelope; silence follows it.
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

    private ConversationAgent agent;
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
        AudioCodec codec = CodecTrainer.trainOnSignals(training,
                CodecTrainer.Options.defaults().withIterations(2).withSeed(1));
        ModelConfig config = ModelFixtures.DEFAULT;
        if (codec.codebooks() != config.codebooks() || codec.codebookSize() != config.codebookSize()
                || codec.sampleRate() != RATE || codec.hopSize() != 320) {
            throw new IllegalStateException("the default codec is not 6 x 1024 at 16 kHz, 320-sample frames");
        }
        Map<String, float[]> weights = WeightNames.initial(config, 1);
        weights.get("head.b")[config.eos()] -= 50f;
        agent = new ConversationAgent(codec, FastDecoder.of(config, weights), AgentOptions.defaults());

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
    }

    /** Counts ended turns and catches the first reply chunk. */
    private static final class FirstChunk implements ConversationListener {
        final CountDownLatch firstAudio = new CountDownLatch(1);
        volatile long firstAudioNanos;
        volatile int turnsEnded;
        volatile TurnReport report;

        @Override
        public void onSpeechEnd(int turn, int[][] questionCodes) {
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
