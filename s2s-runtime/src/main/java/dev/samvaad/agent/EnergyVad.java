package dev.samvaad.agent;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Energy voice activity detection with a minimum speech length and a hangover, frame by frame.
 *
 * <p>Each frame of {@link #frameSamples()} samples is voiced or not (see {@link VadOptions}). From
 * {@link State#SILENCE} the first voiced frame opens an {@link State#ONSET}; once
 * {@code minSpeechMs} of voiced frames have come the turn is {@link State#SPEECH}. A run of
 * {@code hangoverMs} unvoiced frames ends either: an onset is dropped (a click), speech ends the
 * user's turn. Mutable and not thread-safe: one per audio stream.
 */
final class EnergyVad {

    /** Where the detector is after a frame. */
    public enum State {
        /** No speech. */
        SILENCE,
        /** Voiced frames, not yet enough to count as speech. */
        ONSET,
        /** The user is speaking (pauses shorter than the hangover included). */
        SPEECH
    }

    /**
     * One stretch of speech, in frames from the start of the stream.
     *
     * @param startFrame      the first voiced frame
     * @param lastVoicedFrame the last voiced frame
     * @param endFrame        one past the frame on which the end was decided (the hangover's last
     *                        frame), or the number of frames when the input ended in speech
     */
    public record Segment(long startFrame, long lastVoicedFrame, long endFrame) {}

    private static final int BUCKET_MS = 250;

    private final VadOptions options;
    private final int frameSamples;
    private final int hangoverFrames;
    private final int minSpeechFrames;
    /** Quietest frame energy of each of the last few {@link #BUCKET_MS} buckets; empty when not adaptive. */
    private final double[] bucketMinima;
    private final int bucketFrames;
    private int bucketIndex;
    private int framesInBucket;
    private double currentBucketMin = Double.POSITIVE_INFINITY;

    private State state = State.SILENCE;
    private long frames;
    private int voicedRun;
    private int silentRun;
    private long onsetFrame = -1;
    private long lastVoicedFrame = -1;
    private double lastEnergyDb = Double.NEGATIVE_INFINITY;
    private double lastThresholdDb;

    /** A detector for audio at {@code sampleRate}. */
    public EnergyVad(VadOptions options, int sampleRate) {
        this.options = Objects.requireNonNull(options, "options");
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("sampleRate must be positive, got " + sampleRate);
        }
        this.frameSamples = Math.max(1, (int) Math.round(sampleRate * options.frameMs() / 1000.0));
        this.hangoverFrames = ceilDiv(options.hangoverMs(), options.frameMs());
        this.minSpeechFrames = ceilDiv(options.minSpeechMs(), options.frameMs());
        this.bucketFrames = Math.max(1, BUCKET_MS / options.frameMs());
        this.bucketMinima = new double[ceilDiv(options.noiseWindowMs(), BUCKET_MS)];
        Arrays.fill(bucketMinima, options.initialNoiseDb());
        this.lastThresholdDb = threshold();
    }

    /** Speech segments of a whole signal, as a stream fed frame by frame would find them. */
    public static List<Segment> segments(float[] pcm, int sampleRate, VadOptions options) {
        EnergyVad vad = new EnergyVad(options, sampleRate);
        List<Segment> out = new ArrayList<>();
        int n = vad.frameSamples();
        for (int at = 0; at + n <= pcm.length; at += n) {
            State before = vad.state();
            State after = vad.accept(pcm, at);
            if (before == State.SPEECH && after == State.SILENCE) {
                out.add(new Segment(vad.onsetFrame(), vad.lastVoicedFrame(), vad.frames()));
            }
        }
        if (vad.state() == State.SPEECH) {
            out.add(new Segment(vad.onsetFrame(), vad.lastVoicedFrame(), vad.frames()));
        }
        return out;
    }

    /** Samples per frame. */
    public int frameSamples() {
        return frameSamples;
    }

    public VadOptions options() {
        return options;
    }

    /**
     * Classifies the frame {@code pcm[offset .. offset + frameSamples())} and moves the state on.
     *
     * @return the state after this frame
     */
    public State accept(float[] pcm, int offset) {
        Objects.checkFromIndexSize(offset, frameSamples, pcm.length);
        double sum = 0;
        for (int i = offset; i < offset + frameSamples; i++) {
            sum += (double) pcm[i] * pcm[i];
        }
        double db = 10 * Math.log10(sum / frameSamples + 1e-12);
        // The floor is the one before this frame, so a loud frame cannot raise its own bar.
        lastThresholdDb = threshold();
        lastEnergyDb = db;
        boolean voiced = db >= lastThresholdDb;
        trackNoise(db);
        long frame = frames++;
        switch (state) {
            case SILENCE -> {
                if (voiced) {
                    onsetFrame = frame;
                    lastVoicedFrame = frame;
                    voicedRun = 1;
                    silentRun = 0;
                    state = voicedRun >= minSpeechFrames ? State.SPEECH : State.ONSET;
                }
            }
            case ONSET, SPEECH -> {
                if (voiced) {
                    lastVoicedFrame = frame;
                    voicedRun++;
                    silentRun = 0;
                    if (state == State.ONSET && voicedRun >= minSpeechFrames) {
                        state = State.SPEECH;
                    }
                } else if (++silentRun >= hangoverFrames) {
                    state = State.SILENCE;
                }
            }
        }
        return state;
    }

    /** Back to {@link State#SILENCE} (the noise floor is kept), e.g. after a turn was cut at its longest. */
    public void reset() {
        state = State.SILENCE;
        voicedRun = 0;
        silentRun = 0;
    }

    public State state() {
        return state;
    }

    /** Frames seen so far. */
    public long frames() {
        return frames;
    }

    /** First voiced frame of the current (or last) onset or speech; -1 before any. */
    public long onsetFrame() {
        return onsetFrame;
    }

    /** The last voiced frame; -1 before any. */
    public long lastVoicedFrame() {
        return lastVoicedFrame;
    }

    /** Energy of the last frame, dBFS. */
    public double lastEnergyDb() {
        return lastEnergyDb;
    }

    /** Whether the last frame was voiced (reached its bar). */
    public boolean lastVoiced() {
        return lastEnergyDb >= lastThresholdDb;
    }

    /** Unvoiced frames since the last voiced one (0 when the last frame was voiced or none was). */
    public long silentFrames() {
        return lastVoicedFrame < 0 ? 0 : frames - 1 - lastVoicedFrame;
    }

    /** The bar the last frame was measured against, dBFS. */
    public double lastThresholdDb() {
        return lastThresholdDb;
    }

    /** The adaptive noise floor now, dBFS ({@code -Infinity} when it is off). */
    public double noiseFloorDb() {
        if (bucketMinima.length == 0) {
            return Double.NEGATIVE_INFINITY;
        }
        double min = currentBucketMin;
        for (double m : bucketMinima) {
            min = Math.min(min, m);
        }
        return min;
    }

    private double threshold() {
        return Math.max(options.thresholdDb(), noiseFloorDb() + options.marginDb());
    }

    private void trackNoise(double db) {
        if (bucketMinima.length == 0) {
            return;
        }
        currentBucketMin = Math.min(currentBucketMin, db);
        if (++framesInBucket == bucketFrames) {
            // The oldest bucket (including the assumed initial floor) leaves the window.
            bucketMinima[bucketIndex] = currentBucketMin;
            bucketIndex = (bucketIndex + 1) % bucketMinima.length;
            currentBucketMin = Double.POSITIVE_INFINITY;
            framesInBucket = 0;
        }
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
