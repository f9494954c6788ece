package dev.samvaad.agent;

import dev.samvaad.audio.Resampler;
import dev.samvaad.codec.AudioCodec;
import dev.samvaad.infer.FastDecoder;
import dev.samvaad.infer.GenerationOptions;
import java.util.Arrays;
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
 * streaming codec encoder runs along ({@link SpeechTracker}). Without an end-of-turn predictor a
 * fixed hangover of silence ends the turn, and only the encoder's last frame is left to compute.
 * With one ({@link EndOfTurnPredictor}, {@link EndOfTurnOptions}) the question so far goes to the
 * model's encoder as soon as a silence starts (speculatively: it is dropped if the user goes on),
 * the predictor is asked at every frame of the silence from the minimum on, and the turn ends as
 * soon as it is confident, or after the longest silence; the reply then starts from the encoded
 * question at no cost. The question's codes go to a worker: the KV-cached decoder streams frames,
 * a streaming codec decoder turns each frame into audio and the listener gets it at once. User speech during a reply stops it (barge-in), and
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
    private final EndOfTurnPredictor predictor;
    private final double threshold;
    private final int minSilenceFrames;
    private final ConversationListener listener;
    private final Executor executor;
    private final BooleanSupplier agentClosed;
    private final int inputRate;
    private final int outputRate;
    private final Resampler.Stream input;
    private final Resampler output;
    private final SpeechTracker tracker;
    private final int frameSamples;

    private final float[] frame;
    private int frameFill;
    private int turns;
    /** The question encoded at the start of the silence under way, or {@code null}; touched under the lock. */
    private Speculation speculation;
    /** Speculative encodings run one at a time per session, in order. */
    private CompletableFuture<?> speculating = CompletableFuture.completedFuture(null);

    private volatile ReplyJob active;
    private CompletableFuture<Void> replies = CompletableFuture.completedFuture(null);
    private boolean finished;
    private boolean closed;

    ConversationSession(AudioCodec codec, FastDecoder decoder, AgentOptions options, EndOfTurnPredictor predictor,
                        int inputRate, int outputRate, Resampler input, Resampler output, ConversationListener listener,
                        Executor executor, BooleanSupplier agentClosed) {
        this.agentClosed = agentClosed;
        this.codec = codec;
        this.decoder = decoder;
        this.options = options;
        this.predictor = predictor;
        this.inputRate = inputRate;
        this.outputRate = outputRate;
        this.input = input == null ? null : input.stream();
        this.output = output;
        this.listener = Objects.requireNonNull(listener, "listener");
        this.executor = Objects.requireNonNull(executor, "executor");
        long maxQuestionSamples = (long) decoder.config().maxFrames() * codec.hopSize();
        EndOfTurnOptions eot = options.endOfTurn();
        VadOptions vad = options.vad();
        if (predictor != null) {
            // The detector's hangover is the longest silence; the predictor ends turns before it.
            vad = vad.toBuilder().hangoverMs(Math.max(vad.frameMs(), eot.maxSilenceMs())).build();
        }
        this.tracker = new SpeechTracker(codec, vad, options.prerollMs(), maxQuestionSamples,
                predictor == null ? null : predictor::newFeatures);
        this.frameSamples = tracker.frameSamples();
        this.frame = new float[frameSamples];
        this.threshold = Double.isNaN(eot.threshold()) && predictor != null ? predictor.threshold() : eot.threshold();
        int minMs = eot.minSilenceMs() > 0 || predictor == null ? eot.minSilenceMs() : predictor.config().minSilenceMs();
        this.minSilenceFrames = Math.max(1, (minMs + vad.frameMs() - 1) / vad.frameMs());
    }

    /** {@return the sample rate of the audio {@link #push} takes} */
    public int inputRate() {
        return inputRate;
    }

    /** {@return the sample rate of the reply audio given to the listener} */
    public int outputRate() {
        return outputRate;
    }

    /** {@return whether this session ends turns with an end-of-turn predictor (else with the fixed hangover)} */
    public boolean predictsEndOfTurn() {
        return predictor != null;
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
        if (tracker.finish(frame, frameFill)) {
            endTurn(TurnEnd.INPUT_END, Double.NaN);
        }
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
        SpeechTracker.Step step = tracker.accept(frame);
        if (step.speechStarted()) {
            speechStarted();
        }
        if (step.silenceFrames() == 0 && step.end() == SpeechTracker.End.NONE && speculation != null) {
            // Speech goes on (or none is under way): a question encoded at a silence's start is stale.
            speculation.stale = true;
            speculation = null;
        }
        switch (step.end()) {
            case HANGOVER -> endTurn(TurnEnd.HANGOVER, Double.NaN);
            case LONGEST -> {
                LOG.warn("turn {} reached the model's longest question ({} frames); answering it now", turns,
                        decoder.config().maxFrames());
                if (speculation != null) {
                    speculation.stale = true;
                    speculation = null;
                }
                endTurn(TurnEnd.LONGEST_QUESTION, Double.NaN);
            }
            case NONE -> {
                if (predictor != null && step.silenceFrames() > 0) {
                    predict(step.silenceFrames());
                }
            }
        }
    }

    /** A frame of silence inside the turn, with a predictor: encode at its start, end the turn when confident. */
    private void predict(int silenceFrames) {
        if (speculation == null) {
            speculate();
        }
        if (silenceFrames >= minSilenceFrames) {
            double p = predictor.probability(tracker.features(silenceFrames));
            if (p >= threshold) {
                endTurn(TurnEnd.PREDICTED, p);
            }
        }
    }

    /** Starts the model's encoder on the question so far, on the reply executor, after any earlier one. */
    private void speculate() {
        SpeechTracker.Question q = tracker.questionSoFar();
        if (q == null) {
            return;
        }
        Speculation s = new Speculation(q);
        speculation = s;
        speculating = speculating.handle((r, e) -> null).thenRunAsync(() -> s.encode(decoder), executor);
    }

    /**
     * The question as it stood at a silence's start, encoded by the model's encoder ahead of need.
     * A reply takes the encoding only if it is ready (it never waits for one: a caller's executor
     * may have a single thread), and encodes the question itself otherwise.
     */
    private static final class Speculation {
        final SpeechTracker.Question question;
        final CompletableFuture<FastDecoder.Session> encoded = new CompletableFuture<>();
        /** Set when the user spoke on before it ran: nobody will ask for it. */
        volatile boolean stale;

        Speculation(SpeechTracker.Question question) {
            this.question = question;
        }

        void encode(FastDecoder decoder) {
            if (stale) {
                encoded.complete(null);
                return;
            }
            try {
                encoded.complete(decoder.start(question.codes()));
            } catch (RuntimeException e) {
                encoded.completeExceptionally(e);
            }
        }

        /** The encoding if it is ready and succeeded, else {@code null}. */
        FastDecoder.Session ready() {
            try {
                return encoded.getNow(null);
            } catch (RuntimeException e) {
                return null;
            }
        }
    }

    private void speechStarted() {
        turns++;
        listener.onSpeechStart(turns);
        ReplyJob r = active;
        if (options.bargeIn() && r != null && !r.done && r.cancel(ReplyOutcome.BARGED_IN)) {
            listener.onBargeIn(r.turn);
        }
    }

    private void endTurn(TurnEnd why, double probability) {
        long endOfSpeech = System.nanoTime();
        double silenceMs = why == TurnEnd.LONGEST_QUESTION ? 0 : tracker.silenceMs();
        long decidedAt = tracker.streamSamples() + (why == TurnEnd.INPUT_END ? frameFill : 0);
        SpeechTracker.Question whole = tracker.endTurn();
        Speculation s = speculation;
        speculation = null;
        SpeechTracker.Question question = s != null ? s.question : whole;
        listener.onSpeechEnd(turns, question.codes());
        ReplyJob reply = new ReplyJob(turns, question, silenceMs, endOfSpeech, why, probability, s, decidedAt);
        active = reply;
        // One reply at a time per session, in turn order; the job itself never throws.
        replies = replies.exceptionally(e -> null).thenRunAsync(reply, executor);
    }

    /** Frames the reply to {@code questionFrames} of question may have. */
    int replyFrameLimit(int questionFrames) {
        GenerationOptions g = options.generation();
        int limit = g.maxFrames() > 0 ? g.maxFrames() : 2 * questionFrames + 20;
        int cap = (int) Math.max(1, Math.floor(options.maxReplySeconds() * codec.frameRate()));
        return Math.min(Math.min(limit, cap), decoder.config().maxAnswerFrames());
    }

    /** One reply, run on the executor. */
    private final class ReplyJob implements Runnable {
        final int turn;
        final int[][] question;
        final long questionStartSample;
        final long questionEndSample;
        final double hangoverMs;
        final long endOfSpeech;
        final TurnEnd why;
        final double probability;
        /** The question encoded speculatively, or {@code null} to encode it here. */
        final Speculation speculation;
        final long decidedAt;
        private volatile ReplyOutcome stopReason;
        volatile boolean done;

        private Resampler.Stream out;
        private long firstAudio = -1;
        private long listenerNanos;
        private long samples;

        ReplyJob(int turn, SpeechTracker.Question question, double hangoverMs, long endOfSpeech, TurnEnd why,
                 double probability, Speculation encoded, long decidedAt) {
            this.decidedAt = decidedAt;
            this.turn = turn;
            this.question = question.codes();
            this.questionStartSample = question.startSample();
            this.questionEndSample = question.endSample();
            this.hangoverMs = hangoverMs;
            this.endOfSpeech = endOfSpeech;
            this.why = why;
            this.probability = probability;
            this.speculation = encoded;
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
                    FastDecoder.Session speculative = speculation == null ? null : speculation.ready();
                    FastDecoder.Session session = speculative != null ? speculative : decoder.start(question);
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
            TurnReport report = TurnReport.builder().turn(turn).outcome(outcome)
                    .questionCodes(question).questionStartSample(questionStartSample)
                    .questionEndSample(questionEndSample).codecRate(codec.sampleRate()).hangoverMs(hangoverMs)
                    .replyCodes(reply).replySamples(samples).outputRate(outputRate)
                    .queueMs((start - endOfSpeech) / 1e6).encodeMs((encoded - start) / 1e6)
                    .firstAudioMs(firstAudio < 0 ? Double.NaN : (firstAudio - endOfSpeech) / 1e6)
                    .totalMs((end - endOfSpeech) / 1e6).computeMs(computeMs)
                    .rtf(samples == 0 ? Double.NaN : computeMs / 1000 / seconds)
                    .endOfTurn(why).endProbability(probability).endOfTurnSample(decidedAt).build();
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
