package dev.samvaad.agent;

import dev.samvaad.codec.RvqCodec;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * What the end-of-turn predictor reads at a frame of silence: how the user's speech ended, from
 * the codec's own features of the question. Fed frame by frame as a question streams in (whether
 * each detector frame was voiced, and the codes as the codec encoder emits them); {@link #compute}
 * gives the vector at any moment. Mutable, one per question.
 *
 * <p>Each codec frame becomes the vocoder features its codes stand for
 * ({@link RvqCodec#unscale}): band log powers, log f0, periodicity. Everything is made relative
 * to the question itself, so a voice's own pitch, loudness and timbre do not count, only how they
 * move. With {@code L} the last voiced frame, the vector ({@value #VERSION}, {@value #SIZE}
 * values) holds:
 * <ol>
 *   <li>the pitch, in semitones from the median of the question's pitched frames (voiced and
 *       periodic; a value 9 or more semitones away is taken for an octave error of the pitch
 *       tracker and folded back by 12, then a median of three smooths the contour), at its last
 *       12 pitched frames (the final contour: a fall, a rise);</li>
 *   <li>its slope over the last 5 and 10 pitched frames (semitones per 100 ms), its last value,
 *       how far that is below the highest and above the lowest pitch of the last half second,
 *       the question's pitch range, and the frames since the last pitched one;</li>
 *   <li>the loudness of the last 10 frames in dB below the question's loud frames (its 90th
 *       percentile), and its slope;</li>
 *   <li>the spectral shape (band log powers less their frame's mean, less the question's mean
 *       shape; six band groups) averaged over six stretches before {@code L}: 0-3, 3-6, 6-10,
 *       10-20, 20-35 and 35-50 frames (the last syllables, what the phrase was);</li>
 *   <li>the periodicity of the last 10 frames;</li>
 *   <li>the silence so far.</li>
 * </ol>
 * Lengths count frames (1/50 s for the standard codec); values are scaled to about unit range.
 */
public final class TurnFeatures {
    /** The layout of the vector; a predictor records the one it was trained on. */
    public static final String VERSION = "samvaad-turn-features/1";
    /** The vector's length. */
    public static final int SIZE = 77;
    private static final int PITCH_FRAMES = 12;
    private static final int LOUDNESS_FRAMES = 10;
    private static final int PITCH_WINDOW = 25;
    private static final double PITCHED = 0.5;
    /** Semitones from the median beyond which a pitch is taken for an octave error. */
    private static final double OCTAVE_ERROR = 9;
    private static final int[][] BAND_GROUPS = {{0, 3}, {3, 6}, {6, 9}, {9, 12}, {12, 16}, {16, 20}};
    private static final int[][] STRETCHES = {{0, 3}, {3, 6}, {6, 10}, {10, 20}, {20, 35}, {35, 50}};
    private static final double TO_SEMITONES = 12 / Math.log(2);
    private static final double TO_DB = 10 / Math.log(10);

    private final RvqCodec codec;
    private final float[][][] table;
    private final int dims;
    private final int bands;
    private final int logF0;
    private final int periodicity;

    private boolean[] voiced = new boolean[256];
    private int voicedFrames;
    private float[] frames;
    private int codedFrames;
    private int lastVoiced = -1;

    private TurnFeatures(RvqCodec codec, float[][][] table) {
        this.codec = codec;
        this.table = table;
        this.dims = table[0][0].length;
        this.logF0 = codec.logF0Coordinate();
        this.periodicity = codec.periodicityCoordinate();
        this.bands = Math.min(logF0, periodicity);
        if (bands < BAND_GROUPS[BAND_GROUPS.length - 1][1]) {
            throw new IllegalArgumentException("the end-of-turn features need a codec with at least "
                    + BAND_GROUPS[BAND_GROUPS.length - 1][1] + " bands, this one has " + bands);
        }
        this.frames = new float[256 * dims];
    }

    /**
     * Features of the questions a codec encodes (its codebooks are copied once).
     *
     * @param codec the codec
     * @return makes new, empty feature state for one question
     * @throws IllegalArgumentException if the codec has fewer than 20 bands
     */
    public static Supplier<TurnFeatures> factory(RvqCodec codec) {
        float[][][] table = codec.codeVectors();
        new TurnFeatures(codec, table);
        return () -> new TurnFeatures(codec, table);
    }

    /**
     * The next detector frame of the question (the pre-roll's frames count as unvoiced).
     *
     * @param isVoiced whether the detector heard speech in it
     */
    public void addFrame(boolean isVoiced) {
        if (voicedFrames == voiced.length) {
            voiced = Arrays.copyOf(voiced, 2 * voiced.length);
        }
        voiced[voicedFrames] = isVoiced;
        if (isVoiced) {
            lastVoiced = voicedFrames;
        }
        voicedFrames++;
    }

    /**
     * Codes the codec encoder emitted for the question, in order.
     *
     * @param codes {@code [Q][n]} codes, {@code n} may be 0
     */
    public void addCodes(int[][] codes) {
        int n = codes[0].length;
        float[] frame = new float[dims];
        for (int t = 0; t < n; t++) {
            Arrays.fill(frame, 0);
            for (int q = 0; q < codes.length && q < table.length; q++) {
                float[] entry = table[q][codes[q][t]];
                for (int d = 0; d < dims; d++) {
                    frame[d] += entry[d];
                }
            }
            append(codec.unscale(frame));
        }
    }

    private void append(float[] frame) {
        if ((codedFrames + 1) * dims > frames.length) {
            frames = Arrays.copyOf(frames, 2 * frames.length);
        }
        System.arraycopy(frame, 0, frames, codedFrames * dims, dims);
        codedFrames++;
    }

    /**
     * The same vector after another length of silence: the silence so far is its last value, and
     * nothing else in it changes while the silence lasts.
     *
     * @param vector        a {@link #compute} vector
     * @param silenceFrames detector frames since the last voiced one
     * @return a copy with that silence
     */
    public static float[] withSilence(float[] vector, int silenceFrames) {
        float[] v = vector.clone();
        v[SIZE - 1] = silenceFrames / 10f;
        return v;
    }

    /** {@return detector frames seen} */
    public int frames() {
        return voicedFrames;
    }

    /** {@return the last voiced frame, counted from the question's start; -1 before any} */
    public int lastVoiced() {
        return lastVoiced;
    }

    /**
     * The same question spoken faster ({@code factor > 1}) or slower: its frames resampled to
     * {@code round(frames / factor)} by the nearest frame. For training (tempo augmentation).
     *
     * @param factor the tempo, positive
     * @return a new feature state
     */
    public TurnFeatures stretched(double factor) {
        if (!(factor > 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("tempo must be positive and finite, got " + factor);
        }
        TurnFeatures out = new TurnFeatures(codec, table);
        int n = Math.max(1, (int) Math.round(voicedFrames / factor));
        int coded = Math.max(0, (int) Math.round(codedFrames / factor));
        for (int i = 0; i < n; i++) {
            out.addFrame(voiced[Math.min(voicedFrames - 1, (int) (i * factor))]);
        }
        for (int i = 0; i < coded; i++) {
            int from = Math.min(codedFrames - 1, (int) (i * factor));
            out.append(Arrays.copyOfRange(frames, from * dims, (from + 1) * dims));
        }
        return out;
    }

    /**
     * The vector now, after {@code silenceFrames} frames of silence.
     *
     * @param silenceFrames detector frames since the last voiced one
     * @return a new vector of {@value #SIZE} values; zeros before any voiced frame was coded
     */
    public float[] compute(int silenceFrames) {
        float[] out = new float[SIZE];
        int end = Math.min(lastVoiced, codedFrames - 1);
        if (end < 0) {
            return out;
        }
        int o = 0;
        // Pitch: semitones from the median of the pitched frames up to the end.
        int[] pitched = new int[end + 1];
        int np = 0;
        for (int t = 0; t <= end; t++) {
            if (voiced[t] && frames[t * dims + periodicity] >= PITCHED) {
                pitched[np++] = t;
            }
        }
        double[] rel = new double[np];
        if (np > 0) {
            double[] st = new double[np];
            for (int i = 0; i < np; i++) {
                st[i] = TO_SEMITONES * frames[pitched[i] * dims + logF0];
            }
            double median = quantile(st.clone(), 0.5);
            for (int i = 0; i < np; i++) {
                rel[i] = st[i] - median;
                // A pitch tracker's octave error (f0 halved or doubled) is folded back.
                if (Math.abs(rel[i]) >= OCTAVE_ERROR) {
                    rel[i] -= 12 * Math.rint(rel[i] / 12);
                }
            }
            // A median of three smooths out the one-frame slips that remain.
            if (np >= 3) {
                double[] smooth = rel.clone();
                for (int i = 1; i < np - 1; i++) {
                    smooth[i] = median3(rel[i - 1], rel[i], rel[i + 1]);
                }
                rel = smooth;
            }
        }
        int first = Math.max(0, np - PITCH_FRAMES);
        for (int k = 0; k < PITCH_FRAMES; k++) {
            int i = first + k - (PITCH_FRAMES - Math.min(PITCH_FRAMES, np));
            out[o++] = np == 0 ? 0 : (float) (rel[Math.max(first, i)] / 3);
        }
        double last = np == 0 ? 0 : rel[np - 1];
        out[o++] = (float) (slope(pitched, rel, np, 5) * 5);
        out[o++] = (float) (slope(pitched, rel, np, 10) * 5);
        out[o++] = (float) (last / 3);
        double max = Double.NEGATIVE_INFINITY, min = Double.POSITIVE_INFINITY;
        for (int i = 0; i < np; i++) {
            if (pitched[i] > end - PITCH_WINDOW) {
                max = Math.max(max, rel[i]);
                min = Math.min(min, rel[i]);
            }
        }
        out[o++] = (float) (Double.isFinite(max) ? (max - last) / 3 : 0);
        out[o++] = (float) (Double.isFinite(min) ? (last - min) / 3 : 0);
        out[o++] = (float) (np > 2 ? (quantile(rel.clone(), 0.9) - quantile(rel.clone(), 0.1)) / 5 : 0);
        out[o++] = (float) (np == 0 ? 5 : (end - pitched[np - 1]) / 10.0);
        // Loudness: dB below the question's loud voiced frames.
        double[] loud = new double[end + 1];
        double[] voicedLoud = new double[end + 1];
        int nv = 0;
        for (int t = 0; t <= end; t++) {
            loud[t] = loudness(t);
            if (voiced[t]) {
                voicedLoud[nv++] = loud[t];
            }
        }
        double reference = nv == 0 ? max(loud) : quantile(Arrays.copyOf(voicedLoud, nv), 0.9);
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (int k = 0; k < LOUDNESS_FRAMES; k++) {
            int t = Math.max(0, end - LOUDNESS_FRAMES + 1 + k);
            double y = loud[t] - reference;
            out[o++] = (float) (y / 10);
            sx += k;
            sy += y;
            sxx += (double) k * k;
            sxy += k * y;
        }
        double den = LOUDNESS_FRAMES * sxx - sx * sx;
        out[o++] = (float) ((LOUDNESS_FRAMES * sxy - sx * sy) / den / 2);
        // Spectral shape, relative to the question's mean shape over voiced frames.
        double[] meanShape = new double[BAND_GROUPS.length];
        double[] shape = new double[BAND_GROUPS.length];
        for (int t = 0; t <= end; t++) {
            if (voiced[t]) {
                shape(t, shape);
                for (int g = 0; g < shape.length; g++) {
                    meanShape[g] += shape[g] / nv;
                }
            }
        }
        for (int[] stretch : STRETCHES) {
            int hi = end - stretch[0];
            int lo = Math.max(0, end - stretch[1] + 1);
            int n = hi - lo + 1;
            double[] sum = new double[BAND_GROUPS.length];
            for (int t = lo; t <= hi; t++) {
                shape(t, shape);
                for (int g = 0; g < shape.length; g++) {
                    sum[g] += shape[g] - meanShape[g];
                }
            }
            for (int g = 0; g < sum.length; g++) {
                out[o++] = n > 0 ? (float) (sum[g] / n) : 0;
            }
        }
        // Periodicity of the last frames.
        for (int k = 0; k < LOUDNESS_FRAMES; k++) {
            int t = Math.max(0, end - LOUDNESS_FRAMES + 1 + k);
            out[o++] = frames[t * dims + periodicity];
        }
        out[o++] = silenceFrames / 10f;
        return out;
    }

    /** Total power of frame {@code t}, dB. */
    private double loudness(int t) {
        int at = t * dims;
        double max = Double.NEGATIVE_INFINITY;
        for (int b = 0; b < bands; b++) {
            max = Math.max(max, frames[at + b]);
        }
        double sum = 0;
        for (int b = 0; b < bands; b++) {
            sum += Math.exp(frames[at + b] - max);
        }
        return TO_DB * (max + Math.log(sum));
    }

    /** Band log powers less their mean, averaged in the band groups. */
    private void shape(int t, double[] out) {
        int at = t * dims;
        double mean = 0;
        for (int b = 0; b < bands; b++) {
            mean += frames[at + b];
        }
        mean /= bands;
        for (int g = 0; g < BAND_GROUPS.length; g++) {
            double s = 0;
            for (int b = BAND_GROUPS[g][0]; b < BAND_GROUPS[g][1]; b++) {
                s += frames[at + b] - mean;
            }
            out[g] = s / (BAND_GROUPS[g][1] - BAND_GROUPS[g][0]);
        }
    }

    /** Least-squares slope, per frame, of the last {@code count} pitched values against their frames. */
    private static double slope(int[] frame, double[] value, int n, int count) {
        int k = Math.min(count, n);
        if (k < 2) {
            return 0;
        }
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (int i = n - k; i < n; i++) {
            sx += frame[i];
            sy += value[i];
            sxx += (double) frame[i] * frame[i];
            sxy += frame[i] * value[i];
        }
        double den = k * sxx - sx * sx;
        return den == 0 ? 0 : (k * sxy - sx * sy) / den;
    }

    private static double median3(double a, double b, double c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }

    /** Linear-interpolated quantile of {@code values} (sorted in place). */
    static double quantile(double[] values, double q) {
        Arrays.sort(values);
        double at = q * (values.length - 1);
        int lo = (int) Math.floor(at);
        int hi = Math.min(values.length - 1, lo + 1);
        return values[lo] + (at - lo) * (values[hi] - values[lo]);
    }

    private static double max(double[] values) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            m = Math.max(m, v);
        }
        return m;
    }
}
