package dev.samvaad.agent;

import dev.samvaad.audio.AudioIO;
import dev.samvaad.audio.Resampler;
import dev.samvaad.codec.AudioCodec;
import dev.samvaad.codec.CodeLayout;
import dev.samvaad.codec.RvqCodec;
import dev.samvaad.infer.FastDecoder;
import dev.samvaad.infer.ModelException;
import dev.samvaad.infer.ModelFolder;
import dev.samvaad.infer.WeightsFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A realtime speech-to-speech agent: one loaded codec and model that listen to users and answer
 * them in speech, any number of conversations at once.
 *
 * <pre>{@code
 * try (ConversationAgent agent = ConversationAgent.load(Path.of("run"))) { // the run's codec.smvd with it
 *     Reply reply = agent.respond(Path.of("question.wav")).get(0);
 *     WavWriter.writePcm16(Path.of("answer.wav"), reply.audio(), agent.sampleRate());
 * }
 * }</pre>
 *
 * For live audio open a {@link ConversationSession} per conversation with {@link #newSession}
 * and push audio into it; replies come to its {@link ConversationListener} while the user may
 * still talk (and interrupt them).
 *
 * <p>Thread-safe: the codec and the {@link FastDecoder} are immutable and shared, each session
 * owns its detector, encoder, decoder cache and buffers. Replies run on an executor: the agent's
 * own (daemon threads, one per reply being generated, shut down by {@link #close()}) or one the
 * caller gives.
 */
public final class ConversationAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConversationAgent.class);

    private final AudioCodec codec;
    private final FastDecoder decoder;
    private final AgentOptions options;
    private final EndOfTurnPredictor predictor;
    private final Executor executor;
    private final ExecutorService owned;
    /** Resamplers hold their filter tables: one per rate pair, shared by the sessions. */
    private final Map<Long, Resampler> resamplers = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * An agent over a loaded codec and model, with its own reply threads.
     *
     * @param codec   the codec the model was trained with
     * @param decoder the model, as a pure-Java decoder
     * @param options how the agent listens and answers
     * @throws IllegalArgumentException if the model and the codec disagree on the codebooks
     */
    public ConversationAgent(AudioCodec codec, FastDecoder decoder, AgentOptions options) {
        this(codec, decoder, options, null);
    }

    /**
     * An agent over a loaded codec and model whose replies run on {@code executor} (the caller
     * keeps it and shuts it down); {@code null} gives the agent its own threads.
     *
     * @param codec    the codec the model was trained with
     * @param decoder  the model, as a pure-Java decoder
     * @param options  how the agent listens and answers
     * @param executor runs the replies, or {@code null}
     * @throws IllegalArgumentException if the model and the codec disagree on the codebooks
     */
    public ConversationAgent(AudioCodec codec, FastDecoder decoder, AgentOptions options, Executor executor) {
        this(codec, decoder, options, executor, null);
    }

    /**
     * An agent that ends the user's turns with an end-of-turn predictor ({@code null}: with the
     * detector's fixed hangover), replies on {@code executor} ({@code null}: its own threads).
     *
     * @param codec     the codec the model was trained with
     * @param decoder   the model, as a pure-Java decoder
     * @param options   how the agent listens and answers
     * @param executor  runs the replies, or {@code null}
     * @param predictor ends turns, or {@code null}
     * @throws IllegalArgumentException if the model or the predictor and the codec disagree
     */
    public ConversationAgent(AudioCodec codec, FastDecoder decoder, AgentOptions options, Executor executor,
                             EndOfTurnPredictor predictor) {
        this.codec = Objects.requireNonNull(codec, "codec");
        this.decoder = Objects.requireNonNull(decoder, "decoder");
        this.options = Objects.requireNonNull(options, "options");
        this.predictor = predictor;
        if (predictor != null && !predictor.config().codecFingerprint().equals(codec.fingerprint())) {
            throw new IllegalArgumentException("the end-of-turn predictor reads codec "
                    + predictor.config().codecFingerprint() + ", the agent's codec is " + codec.fingerprint());
        }
        decoder.config().layout().requireSame(CodeLayout.of(codec), "the model reads and writes",
                "the codec " + codec.fingerprint() + " has");
        if (executor == null) {
            AtomicInteger threads = new AtomicInteger();
            this.owned = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "samvaad-agent-" + threads.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            this.executor = owned;
        } else {
            this.owned = null;
            this.executor = executor;
        }
    }

    /**
     * Loads a codec file and a model folder with the default options; see
     * {@link #load(Path, Path, AgentOptions)}.
     *
     * @param codecFile the codec checkpoint the model was trained with
     * @param modelDir  a model checkpoint folder, or a training run folder
     * @return the agent; close it to stop its reply threads
     */
    public static ConversationAgent load(Path codecFile, Path modelDir) {
        return load(codecFile, modelDir, AgentOptions.defaults());
    }

    /**
     * Loads a codec file and a model folder (a checkpoint such as {@code RUN/best}, or a training
     * run folder, whose {@code best/} is taken).
     *
     * @param codecFile the codec checkpoint the model was trained with
     * @param modelDir  a model checkpoint folder, or a training run folder
     * @param options   how the agent listens and answers
     * @return the agent; close it to stop its reply threads
     * @throws dev.samvaad.codec.CodecException   naming the codec file when it cannot be read
     * @throws ModelException   naming the folder when the model cannot be read or
     *                                            was trained with another codec
     */
    public static ConversationAgent load(Path codecFile, Path modelDir, AgentOptions options) {
        return load(codecFile, modelDir, options, null);
    }

    /**
     * Loads a codec file, a model folder and an end-of-turn predictor; see
     * {@link #load(Path, Path, AgentOptions)}.
     *
     * @param codecFile     the codec checkpoint the model was trained with
     * @param modelDir      a model checkpoint folder, or a training run folder
     * @param options       how the agent listens and answers
     * @param predictorFile an end-of-turn predictor for this codec ({@code bin/samvaad train-turns}),
     *                      or {@code null} to end turns with the detector's fixed hangover
     * @return the agent; close it to stop its reply threads
     * @throws dev.samvaad.io.CheckpointException naming the predictor file when it cannot be read or
     *                                            was made for another codec
     */
    public static ConversationAgent load(Path codecFile, Path modelDir, AgentOptions options, Path predictorFile) {
        RvqCodec codec = RvqCodec.load(codecFile);
        EndOfTurnPredictor predictor = predictorFile == null ? null : EndOfTurnPredictor.load(predictorFile, codec);
        Path dir = ModelFolder.resolve(modelDir);
        WeightsFile.Loaded loaded = WeightsFile.read(dir, codec.fingerprint(), codecFile);
        LOG.info("model {} at step {}: {}; codec {} ({})", dir, loaded.step(), loaded.config().describe(),
                codecFile, codec.fingerprint());
        if (predictor != null) {
            LOG.info("end of turn: predictor {} (threshold {}, from {} ms of silence)", predictorFile,
                    predictor.threshold(), predictor.config().minSilenceMs());
        }
        return new ConversationAgent(codec, FastDecoder.of(loaded.config(), loaded.weights()), options,
                null, predictor);
    }

    /**
     * Loads a model folder, or a training run folder, with the codec that travels with it
     * ({@link ModelFolder#codecFile}: the {@code codec.smvd} the trainer keeps in the run
     * folder) and the default options.
     *
     * @param modelDir a training run folder, or a checkpoint folder in one
     * @return the agent; close it to stop its reply threads
     * @throws ModelException naming the folder when it holds no codec, or the
     *                                          model cannot be read
     */
    public static ConversationAgent load(Path modelDir) {
        return load(modelDir, AgentOptions.defaults());
    }

    /**
     * {@link #load(Path)} with options.
     *
     * @param modelDir a training run folder, or a checkpoint folder in one
     * @param options  how the agent listens and answers
     * @return the agent; close it to stop its reply threads
     * @throws ModelException naming the folder when it holds no codec, or the
     *                                          model cannot be read
     */
    public static ConversationAgent load(Path modelDir, AgentOptions options) {
        return load(codecOf(modelDir), modelDir, options);
    }

    /** The codec file that travels with a model folder or a training run folder. */
    private static Path codecOf(Path modelDir) {
        return ModelFolder.codecFile(modelDir).orElseThrow(() -> new ModelException(modelDir
                + ": no " + ModelFolder.CODEC_FILE + " in the model folder or its run folder (trained before the "
                + "codec travelled with the model?); load it with the codec it was trained with"));
    }

    /**
     * A conversation whose replies are at the codec's rate.
     *
     * @param inputRate sample rate of the audio that will be pushed
     * @param listener  receives the reply audio and the turn reports
     * @return a new session
     */
    public ConversationSession newSession(int inputRate, ConversationListener listener) {
        return newSession(inputRate, codec.sampleRate(), listener);
    }

    /**
     * A conversation with audio in and out at any rates.
     *
     * @param inputRate  sample rate of the audio that will be pushed
     * @param outputRate sample rate of the reply audio
     * @param listener   receives the reply audio and the turn reports
     * @return a new session
     */
    public ConversationSession newSession(int inputRate, int outputRate, ConversationListener listener) {
        return newSession(inputRate, outputRate, listener, executor);
    }

    /**
     * A conversation whose replies run on {@code replies}; {@code Runnable::run} runs each reply
     * inside the {@link ConversationSession#push} (or {@code finish}) that ended the user's turn,
     * which is simplest for files and tests but leaves no room for barge-in.
     *
     * @param inputRate  sample rate of the audio that will be pushed
     * @param outputRate sample rate of the reply audio
     * @param listener   receives the reply audio and the turn reports
     * @param replies    runs the replies
     * @return a new session
     * @throws IllegalStateException if the agent is closed
     * @throws IllegalArgumentException if a rate is not positive
     */
    public ConversationSession newSession(int inputRate, int outputRate, ConversationListener listener,
                                          Executor replies) {
        if (closed) {
            throw new IllegalStateException("the agent is closed");
        }
        if (inputRate <= 0 || outputRate <= 0) {
            throw new IllegalArgumentException("sample rates must be positive, got " + inputRate + " in, "
                    + outputRate + " out");
        }
        return new ConversationSession(codec, decoder, options, predictor, inputRate, outputRate, resampler(inputRate,
                codec.sampleRate()), resampler(codec.sampleRate(), outputRate), listener, replies, () -> closed);
    }

    /**
     * Answers a recording synchronously: one {@link Reply} per user turn the detector finds in it,
     * usually one; none if it holds no speech.
     *
     * @param pcm        the recording, mono
     * @param sampleRate its sample rate, Hz
     * @return the replies, in turn order
     */
    public List<Reply> respond(float[] pcm, int sampleRate) {
        Collector collector = new Collector();
        ConversationSession session = newSession(sampleRate, codec.sampleRate(), collector, Runnable::run);
        session.push(pcm);
        session.finish();
        if (collector.error != null) {
            throw collector.error;
        }
        return collector.replies;
    }

    /**
     * Answers a WAV file (any rate, mono or stereo) synchronously; see {@link #respond(float[], int)}.
     *
     * @param wav the question
     * @return one reply per user turn found in it, usually one; none if it holds no speech
     * @throws dev.samvaad.audio.AudioFileException naming the file when it cannot be read
     */
    public List<Reply> respond(Path wav) {
        return respond(AudioIO.readMono(wav, codec.sampleRate()), codec.sampleRate());
    }

    /** {@return the codec} */
    public AudioCodec codec() {
        return codec;
    }

    /** {@return the model, as a pure-Java decoder} */
    public FastDecoder decoder() {
        return decoder;
    }

    /** {@return the end-of-turn predictor, or {@code null} when the fixed hangover ends turns} */
    public EndOfTurnPredictor predictor() {
        return predictor;
    }

    /** {@return how the agent listens and answers} */
    public AgentOptions options() {
        return options;
    }

    /** {@return the codec's sample rate: that of replies unless a session asks for another} */
    public int sampleRate() {
        return codec.sampleRate();
    }

    /** Shuts down the agent's own reply threads (not a caller's executor); sessions stop taking audio. */
    @Override
    public void close() {
        closed = true;
        if (owned != null) {
            owned.shutdown();
        }
    }

    private Resampler resampler(int from, int to) {
        if (from == to) {
            return null;
        }
        return resamplers.computeIfAbsent(((long) from << 32) | to, k -> Resampler.of(from, to));
    }

    /** Gathers each turn's audio into a {@link Reply}. */
    private static final class Collector implements ConversationListener {
        final List<Reply> replies = new ArrayList<>();
        private final List<float[]> chunks = new ArrayList<>();
        RuntimeException error;

        @Override
        public void onAudio(int turn, float[] pcm) {
            chunks.add(pcm);
        }

        @Override
        public void onReply(TurnReport report) {
            int length = chunks.stream().mapToInt(c -> c.length).sum();
            float[] audio = new float[length];
            int at = 0;
            for (float[] c : chunks) {
                System.arraycopy(c, 0, audio, at, c.length);
                at += c.length;
            }
            chunks.clear();
            replies.add(new Reply(report, audio));
        }

        @Override
        public void onError(int turn, RuntimeException e) {
            if (error == null) {
                error = e;
            }
        }
    }
}
