package dev.samvaad.agent;

import dev.samvaad.codec.AudioCodec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The listening half of a {@link ConversationSession}, on its own so that end-of-turn training
 * hears a recording exactly as the agent does: one audio stream at the codec's rate, frame by
 * frame, through the energy detector; from the first voiced frame (with the pre-roll before it) a
 * streaming codec encoder runs along, and, with a predictor, the end-of-turn features
 * ({@link TurnFeatures}) follow the question. Mutable, one per stream.
 */
public final class SpeechTracker {

    /** Why {@link #accept} says the user's turn is over. */
    public enum End {
        /** Not over. */
        NONE,
        /** The detector's hangover of silence passed. */
        HANGOVER,
        /** The question reached the longest the model takes. */
        LONGEST
    }

    /**
     * What one frame did.
     *
     * @param speechStarted whether the user's turn started with this frame (the minimum speech length reached)
     * @param end           whether the turn ended with it, and why; then call {@link #endTurn()}
     * @param silenceFrames inside a turn, the unvoiced frames since the last voiced one (this one
     *                      included); 0 when this frame was voiced or no turn is under way
     */
    public record Step(boolean speechStarted, End end, int silenceFrames) {}

    /**
     * A question as the model gets it.
     *
     * @param codes       its codes, {@code [Q][T]}
     * @param startSample where it starts in the stream, samples at the codec's rate (pre-roll included)
     * @param endSample   where it ends (exclusive), same units
     */
    public record Question(int[][] codes, long startSample, long endSample) {}

    private final AudioCodec codec;
    private final EnergyVad vad;
    private final Supplier<TurnFeatures> newFeatures;
    private final int frameSamples;
    private final long maxQuestionSamples;
    /** The last {@code prerollMs} of audio, before the frame being classified. */
    private final float[] preroll;
    private int prerollFill;
    private int prerollNext;
    /** Samples that have passed the detector. */
    private long streamSamples;

    private AudioCodec.Encoder encoder;
    private TurnFeatures features;
    private final List<int[][]> chunks = new ArrayList<>();
    private int codedFrames;
    private long questionStart;
    private long questionSamples;
    private long lastQuestionEnd;

    /**
     * A tracker for one stream.
     *
     * @param codec              the codec whose encoder follows the questions
     * @param vad                the detector's options (its hangover is the longest silence inside a turn)
     * @param prerollMs          audio before the first voiced frame kept as part of the question
     * @param maxQuestionSamples the longest question, samples at the codec's rate
     * @param newFeatures        makes each question's end-of-turn features (e.g.
     *                           {@link EndOfTurnPredictor#newFeatures}), or {@code null} for none
     */
    public SpeechTracker(AudioCodec codec, VadOptions vad, int prerollMs, long maxQuestionSamples,
                         Supplier<TurnFeatures> newFeatures) {
        this.codec = Objects.requireNonNull(codec, "codec");
        this.vad = new EnergyVad(vad, codec.sampleRate());
        this.newFeatures = newFeatures;
        this.frameSamples = this.vad.frameSamples();
        this.maxQuestionSamples = maxQuestionSamples;
        // At most half the longest question, so a question always has room for speech.
        long prerollSamples = Math.round(prerollMs * codec.sampleRate() / 1000.0);
        this.preroll = new float[(int) Math.min(prerollSamples, maxQuestionSamples / 2)];
    }

    /** {@return samples per frame, at the codec's rate} */
    public int frameSamples() {
        return frameSamples;
    }

    /** {@return the detector's frame, ms} */
    public int frameMs() {
        return vad.options().frameMs();
    }

    /** {@return samples that have passed the detector} */
    public long streamSamples() {
        return streamSamples;
    }

    /** {@return whether the user is speaking: a turn has started and not ended} */
    public boolean inSpeech() {
        return vad.state() == EnergyVad.State.SPEECH;
    }

    /** {@return whether a question is being encoded (from the first voiced frame)} */
    public boolean inQuestion() {
        return encoder != null;
    }

    /** {@return the audio time from the end of the last voiced frame to the end of the last frame, ms} */
    public double silenceMs() {
        return vad.silentFrames() * (double) vad.options().frameMs();
    }

    /**
     * Takes the next frame.
     *
     * @param frame {@link #frameSamples()} samples at the codec's rate
     * @return what the frame did
     */
    public Step accept(float[] frame) {
        if (frame.length != frameSamples) {
            throw new IllegalArgumentException("a frame is " + frameSamples + " samples, got " + frame.length);
        }
        EnergyVad.State before = vad.state();
        EnergyVad.State after = vad.accept(frame, 0);
        boolean voiced = vad.lastVoiced();
        if (before == EnergyVad.State.SILENCE && after != EnergyVad.State.SILENCE) {
            startQuestion();
        }
        if (after != EnergyVad.State.SILENCE || before == EnergyVad.State.SPEECH) {
            push(frame, frameSamples, voiced);
        }
        boolean started = before != EnergyVad.State.SPEECH && after == EnergyVad.State.SPEECH;
        End end = End.NONE;
        if (before == EnergyVad.State.SPEECH && after == EnergyVad.State.SILENCE) {
            end = End.HANGOVER;
        } else if (before == EnergyVad.State.ONSET && after == EnergyVad.State.SILENCE) {
            dropQuestion();
        } else if (encoder != null && questionSamples + frameSamples > maxQuestionSamples) {
            // The next frame would not fit the model.
            if (after == EnergyVad.State.SPEECH) {
                end = End.LONGEST;
            } else {
                dropQuestion();
                vad.reset();
            }
        }
        remember(frame);
        streamSamples += frameSamples;
        int silence = after == EnergyVad.State.SPEECH && !voiced ? (int) vad.silentFrames() : 0;
        return new Step(started, end, silence);
    }

    /**
     * Ends the input: the last {@code length} samples (less than a frame) go to the question's
     * encoder, if one runs.
     *
     * @param partial the samples
     * @param length  how many of them
     * @return whether a turn is under way (then call {@link #endTurn()}); an onset that never
     *     became speech is dropped
     */
    public boolean finish(float[] partial, int length) {
        if (encoder != null && length > 0) {
            push(partial, length, false);
        }
        if (vad.state() == EnergyVad.State.SPEECH) {
            return true;
        }
        dropQuestion();
        return false;
    }

    /**
     * The question so far, without waiting for the rest: the codes the encoder has emitted, which
     * reach to the frame before the last one taken (the encoder looks half a frame ahead).
     *
     * @return the question so far, or {@code null} when none is under way or nothing is coded yet
     */
    public Question questionSoFar() {
        if (encoder == null || codedFrames == 0) {
            return null;
        }
        return new Question(concat(chunks, codec.codebooks()), questionStart,
                questionStart + (long) codedFrames * codec.hopSize());
    }

    /**
     * Ends the turn under way: the encoder's last frame is coded, the detector goes back to
     * silence, and the next question's pre-roll will not reach back into this one.
     *
     * @return the question
     * @throws IllegalStateException if no question is under way
     */
    public Question endTurn() {
        if (encoder == null) {
            throw new IllegalStateException("no question is under way");
        }
        chunks.add(encoder.finish());
        int[][] codes = concat(chunks, codec.codebooks());
        Question q = new Question(codes, questionStart, questionStart + questionSamples);
        lastQuestionEnd = q.endSample();
        dropQuestion();
        if (vad.state() != EnergyVad.State.SILENCE) {
            vad.reset();
        }
        return q;
    }

    /**
     * The end-of-turn features now.
     *
     * @param silenceFrames frames since the last voiced one
     * @return the vector ({@link TurnFeatures})
     * @throws IllegalStateException without a predictor or a question
     */
    public float[] features(int silenceFrames) {
        if (features == null) {
            throw new IllegalStateException(newFeatures == null ? "this tracker follows no end-of-turn features"
                    : "no question is under way");
        }
        return features.compute(silenceFrames);
    }

    private void startQuestion() {
        encoder = codec.newEncoder();
        chunks.clear();
        codedFrames = 0;
        questionSamples = 0;
        features = newFeatures == null ? null : newFeatures.get();
        // The pre-roll never reaches back into the previous question.
        int kept = (int) Math.min(prerollFill, streamSamples - lastQuestionEnd);
        questionStart = streamSamples - kept;
        float[] before = new float[kept];
        int start = (prerollNext - kept + preroll.length) % Math.max(1, preroll.length);
        for (int i = 0; i < kept; i++) {
            before[i] = preroll[(start + i) % preroll.length];
        }
        if (features != null) {
            for (int i = 0; i < kept / frameSamples; i++) {
                features.addFrame(false);
            }
        }
        push(before, before.length, null);
    }

    private void dropQuestion() {
        encoder = null;
        features = null;
        chunks.clear();
        codedFrames = 0;
    }

    /** Samples of the question to the encoder; {@code voiced} null for the pre-roll (already counted). */
    private void push(float[] pcm, int length, Boolean voiced) {
        if (features != null && voiced != null) {
            features.addFrame(voiced);
        }
        if (length == 0) {
            return;
        }
        float[] samples = length == pcm.length ? pcm.clone() : Arrays.copyOf(pcm, length);
        int[][] codes = encoder.push(samples);
        chunks.add(codes);
        codedFrames += codes[0].length;
        if (features != null) {
            features.addCodes(codes);
        }
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

    static int[][] concat(List<int[][]> chunks, int codebooks) {
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
}
