package dev.samvaad.agent;

import dev.samvaad.audio.Resampler;
import dev.samvaad.codec.AudioCodec;
import dev.samvaad.infer.FastDecoder;
import dev.samvaad.infer.GenerationOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One conversation with a {@link ConversationAgent}: push the user's audio in chunks of any size,
 * receive replies through a {@link ConversationListener}.
 *
 * <p>Pushed audio is resampled to the codec's rate as it streams in and cut into frames for the
 * energy voice activity detector ({@link VadOptions}). From the first voiced frame (with {@code prerollMs} of audio before it) a
 * streaming codec encoder runs along, so when the hangover of silence ends the turn only the
 * encoder's last frame is left to compute. The question's codes then go to a worker: the model's
 * encoder runs, the KV-cached decoder streams frames, a streaming codec decoder turns each frame
 * into audio and the listener gets it at once. User speech during a reply stops it (barge-in), and
 * starts the next turn. Replies of one session run one after another; sessions are independent.
 *
 * <pre>{@code
 * ConversationSession session = agent.newSession(48_000, listener);
 * while (mic.read(chunk)) session.push(chunk);   // replies arrive on listener.onAudio
 * session.finish();
 * session.awaitReplies();
 * }</pre>
 *
 * <p>{@link #push}, {@link #finish} and {@link #close} may be called from any thread (they are
 * serialised); the listener is called as {@link ConversationListener} describes.
 */
public final class ConversationSession implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConversationSession.class);

    private final AudioCodec codec;
    private final FastDecoder decoder;
    private final AgentOptions options;
    private final ConversationListener listener;
    private final Executor executor;
    private final BooleanSupplier agentClosed;
    private final int inputRate;
    private final int outputRate;
    private final Resampler.Stream input;
    private final Resampler output;
    private final EnergyVad vad;
    private final int frameSamples;
    /** The longest question the model takes, in samples at the codec rate. */
    private final long maxQuestionSamples;

    private final float[] frame;
    private int frameFill;
    /** The last {@code prerollMs} of audio, before the frame being classified. */
    private final float[] preroll;
    private int prerollFill;
    private int prerollNext;
    /** Samples at the codec rate that have passed the detector. */
    private long streamSamples;

    private AudioCodec.Encoder encoder;
    private final List<int[][]> questionChunks = new ArrayList<>();
    private long questionStart;
    private long questionSamples;
    private long lastQuestionEnd;
    private int turns;

    private volatile ReplyJob active;
    private CompletableFuture<Void> replies = CompletableFuture.completedFuture(null);
    private boolean finished;
    private boolean closed;

    ConversationSession(AudioCodec codec, FastDecoder decoder, AgentOptions options, int inputRate, int outputRate,
                        Resampler input, Resampler output, ConversationListener listener, Executor executor,
                        BooleanSupplier agentClosed) {
        this.agentClosed = agentClosed;
        this.codec = codec;
        this.decoder = decoder;
        this.options = options;
        this.inputRate = inputRate;
        this.outputRate = outputRate;
        this.input = input == null ? null : input.stream();
        this.output = output;
        this.listener = Objects.requireNonNull(listener, "listener");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.vad = new EnergyVad(options.vad(), codec.sampleRate());
        this.frameSamples = vad.frameSamples();
        this.frame = new float[frameSamples];
        this.maxQuestionSamples = (long) decoder.config().maxFrames() * codec.hopSize();
        // At most half the longest question, so a question always has room for speech.
        long prerollSamples = Math.round(options.prerollMs() * codec.sampleRate() / 1000.0);
        this.preroll = new float[(int) Math.min(prerollSamples, maxQuestionSamples / 2)];
    }

    /** {@return the sample rate of the audio {@link #push} takes} */
    public int inputRate() {
        return inputRate;
    }

    /** {@return the sample rate of the reply audio given to the listener} */
    public int outputRate() {
        return outputRate;
    }

    /**
     * Feeds mono audio at {@link #inputRate()}, any number of samples. May end the user's turn,
     * which queues its reply, or start one, which stops a reply in progress (barge-in).
     *
     * @param pcm the next samples, mono at {@link #inputRate()}
     * @throws IllegalStateException after {@link #finish()} or {@link #close()}
     */
    public synchronized void push(float[] pcm) {
        Objects.requireNonNull(pcm, "pcm");
        requireOpen();
        feed(input == null ? pcm : input.process(pcm));
    }

    /**
     * Ends the input: the rest of the audio is processed and a turn in progress ends here (as if
     * the hangover had passed). Replies still run; see {@link #awaitReplies()}.
     */
    public synchronized void finish() {
        requireOpen();
        if (input != null) {
            feed(input.flush());
        }
        finished = true;
        if (encoder != null && frameFill > 0) {
            pushToEncoder(frame, frameFill);
        }
        if (vad.state() == EnergyVad.State.SPEECH) {
            endTurn(System.nanoTime(), silenceSinceVoicedMs());
        }
        encoder = null;
    }

    /** Waits until every reply queued so far has ended. */
    public void awaitReplies() {
        CompletableFuture<Void> pending;
        synchronized (this) {
            pending = replies;
        }
        pending.join();
    }

    /** {@return whether a reply is being generated or waits to be} */
    public boolean replying() {
        ReplyJob r = active;
        return r != null && !r.done;
    }

    /** {@return the user turns started so far} */
    public synchronized int turns() {
        return turns;
    }

    /** Stops a reply in progress ({@link ReplyOutcome#CANCELLED}) and takes no more audio. Does not wait. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        ReplyJob r = active;
        if (r != null) {
            r.cancel(ReplyOutcome.CANCELLED);
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the session is closed");
        }
        if (finished) {
            throw new IllegalStateException("the session's input has finished");
        }
        if (agentClosed.getAsBoolean()) {
            throw new IllegalStateException("the agent is closed");
        }
    }

    private void feed(float[] pcm) {
        int at = 0;
        while (at < pcm.length) {
            int n = Math.min(frameSamples - frameFill, pcm.length - at);
            System.arraycopy(pcm, at, frame, frameFill, n);
            frameFill += n;
            at += n;
            if (frameFill == frameSamples) {
                processFrame();
                frameFill = 0;
            }
        }
    }

    private void processFrame() {
        EnergyVad.State before = vad.state();
        EnergyVad.State after = vad.accept(frame, 0);
        if (before == EnergyVad.State.SILENCE && after != EnergyVad.State.SILENCE) {
            startQuestion();
        }
        if (after != EnergyVad.State.SILENCE || before == EnergyVad.State.SPEECH) {
            pushToEncoder(frame, frameSamples);
        }
        if (before != EnergyVad.State.SPEECH && after == EnergyVad.State.SPEECH) {
            speechStarted();
        }
        if (before == EnergyVad.State.SPEECH && after == EnergyVad.State.SILENCE) {
            endTurn(System.nanoTime(), silenceSinceVoicedMs());
        } else if (before == EnergyVad.State.ONSET && after == EnergyVad.State.SILENCE) {
            encoder = null;
        } else if (encoder != null && questionSamples + frameSamples > maxQuestionSamples) {
            // The next frame would not fit the model: answer what was said so far.
            if (after == EnergyVad.State.SPEECH) {
                LOG.warn("turn {} reached the model's longest question ({} frames); answering it now", turns,
                        decoder.config().maxFrames());
                endTurn(System.nanoTime(), 0);
            }
            encoder = null;
            vad.reset();
        }
        remember(frame);
        streamSamples += frameSamples;
    }

    /** Audio time from the end of the last voiced frame to now. */
    private double silenceSinceVoicedMs() {
        return (vad.frames() - 1 - vad.lastVoicedFrame()) * (double) options.vad().frameMs();
    }

    private void startQuestion() {
        encoder = codec.newEncoder();
        questionChunks.clear();
        questionSamples = 0;
        // The pre-roll never reaches back into the previous question.
        int kept = (int) Math.min(prerollFill, streamSamples - lastQuestionEnd);
        questionStart = streamSamples - kept;
        float[] before = new float[kept];
        int start = (prerollNext - kept + preroll.length) % Math.max(1, preroll.length);
        for (int i = 0; i < kept; i++) {
            before[i] = preroll[(start + i) % preroll.length];
        }
        pushToEncoder(before, before.length);
    }

    private void pushToEncoder(float[] pcm, int length) {
        if (length == 0) {
            return;
        }
        float[] samples = length == pcm.length ? pcm.clone() : Arrays.copyOf(pcm, length);
        questionChunks.add(encoder.push(samples));
        questionSamples += length;
    }

    private void remember(float[] samples) {
        if (preroll.length == 0) {
            return;
        }
        for (float s : samples) {
            preroll[prerollNext] = s;
            prerollNext = (prerollNext + 1) % preroll.length;
        }
        prerollFill = Math.min(preroll.length, prerollFill + samples.length);
    }

    private void speechStarted() {
        turns++;
        listener.onSpeechStart(turns);
        ReplyJob r = active;
        if (options.bargeIn() && r != null && !r.done && r.cancel(ReplyOutcome.BARGED_IN)) {
            listener.onBargeIn(r.turn);
        }
    }

    private void endTurn(long endOfSpeech, double hangoverMs) {
        questionChunks.add(encoder.finish());
        int[][] codes = concat(questionChunks, codec.codebooks());
        questionChunks.clear();
        encoder = null;
        long start = questionStart;
        long end = questionStart + questionSamples;
        lastQuestionEnd = end;
        listener.onSpeechEnd(turns, codes);
        ReplyJob reply = new ReplyJob(turns, codes, start, end, hangoverMs, endOfSpeech);
        active = reply;
        // One reply at a time per session, in turn order; the job itself never throws.
        replies = replies.exceptionally(e -> null).thenRunAsync(reply, executor);
    }

    private static int[][] concat(List<int[][]> chunks, int codebooks) {
        int frames = 0;
        for (int[][] c : chunks) {
            frames += c[0].length;
        }
        int[][] out = new int[codebooks][frames];
        int at = 0;
        for (int[][] c : chunks) {
            for (int q = 0; q < codebooks; q++) {
                System.arraycopy(c[q], 0, out[q], at, c[q].length);
            }
            at += c[0].length;
        }
        return out;
    }

    /** Frames the reply to {@code questionFrames} of question may have. */
    int replyFrameLimit(int questionFrames) {
        GenerationOptions g = options.generation();
        int limit = g.maxFrames() > 0 ? g.maxFrames() : 2 * questionFrames + 20;
        int cap = (int) Math.max(1, Math.floor(options.maxReplySeconds() * codec.frameRate()));
        return Math.min(Math.min(limit, cap), decoder.config().maxFrames() - 1);
    }

    /** One reply, run on the executor. */
    private final class ReplyJob implements Runnable {
        final int turn;
        final int[][] question;
        final long questionStartSample;
        final long questionEndSample;
        final double hangoverMs;
        final long endOfSpeech;
        private volatile ReplyOutcome stopReason;
        volatile boolean done;

        private Resampler.Stream out;
        private long firstAudio = -1;
        private long listenerNanos;
        private long samples;

        ReplyJob(int turn, int[][] question, long questionStartSample, long questionEndSample, double hangoverMs,
              long endOfSpeech) {
            this.turn = turn;
            this.question = question;
            this.questionStartSample = questionStartSample;
            this.questionEndSample = questionEndSample;
            this.hangoverMs = hangoverMs;
            this.endOfSpeech = endOfSpeech;
        }

        /** Asks the reply to stop; false if it had already ended or been stopped. */
        boolean cancel(ReplyOutcome reason) {
            if (done || stopReason != null) {
                return false;
            }
            stopReason = reason;
            return true;
        }

        private boolean stopped() {
            return stopReason != null;
        }

        @Override
        public void run() {
            long start = System.nanoTime();
            long encoded = start;
            int[][] reply = new int[codec.codebooks()][0];
            ReplyOutcome outcome;
            try {
                if (stopped()) {
                    outcome = stopReason;
                } else {
                    FastDecoder.Session session = decoder.start(question);
                    encoded = System.nanoTime();
                    int limit = replyFrameLimit(question[0].length);
                    GenerationOptions g = options.generation();
                    GenerationOptions capped = new GenerationOptions(g.temperature(), g.topK(), g.seed(), limit);
                    AudioCodec.Decoder audio = codec.newDecoder(codec.codebooks());
                    out = output == null ? null : output.stream();
                    reply = session.generate(capped, (index, codes) -> emit(audio.push(codes), false), this::stopped);
                    if (stopped()) {
                        outcome = stopReason;
                    } else {
                        emit(audio.finish(), true);
                        outcome = reply[0].length == limit ? ReplyOutcome.LENGTH_CAPPED : ReplyOutcome.COMPLETED;
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("reply of turn {} failed: {}", turn, e.toString());
                outcome = ReplyOutcome.FAILED;
                safely(() -> listener.onError(turn, e));
            }
            long end = System.nanoTime();
            double seconds = (double) samples / outputRate;
            double computeMs = (end - start - listenerNanos) / 1e6;
            TurnReport report = new TurnReport(turn, outcome, question, questionStartSample, questionEndSample,
                    codec.sampleRate(), hangoverMs, reply, samples, outputRate, (start - endOfSpeech) / 1e6,
                    (encoded - start) / 1e6, firstAudio < 0 ? Double.NaN : (firstAudio - endOfSpeech) / 1e6,
                    (end - endOfSpeech) / 1e6, computeMs, samples == 0 ? Double.NaN : computeMs / 1000 / seconds);
            done = true;
            safely(() -> listener.onReply(report));
        }

        private void emit(float[] pcm, boolean last) {
            if (out != null) {
                pcm = concat(out.process(pcm), last ? out.flush() : new float[0]);
            }
            if (pcm.length == 0) {
                return;
            }
            long now = System.nanoTime();
            if (firstAudio < 0) {
                firstAudio = now;
            }
            listener.onAudio(turn, pcm);
            listenerNanos += System.nanoTime() - now;
            samples += pcm.length;
        }

        private void safely(Runnable call) {
            try {
                call.run();
            } catch (RuntimeException e) {
                LOG.warn("listener of turn {} failed: {}", turn, e.toString());
            }
        }

        private static float[] concat(float[] a, float[] b) {
            if (b.length == 0) {
                return a;
            }
            float[] c = Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, c, a.length, b.length);
            return c;
        }
    }
}
