package dev.samvaad.codec.eval;

import dev.samvaad.metrics.LogMelDistance;
import dev.samvaad.metrics.SiSnr;
import dev.samvaad.metrics.Stoi;
import java.util.Arrays;
import java.util.List;

/**
 * Scores transcoders on the same speech with the same code: STOI, log-mel distance, SI-SNR and
 * speed. Each output is aligned to its reference first (a codec's delay is not a quality
 * difference): the lag within +-60 ms that best matches the energy envelopes is removed.
 */
public final class CodecEvaluation {
    private CodecEvaluation() {}

    /**
     * Averages over the signals (each at least ~0.5 s of speech).
     *
     * @param name       report name
     * @param bitrate    bits per second
     * @param stoi       mean STOI (0..1, higher is better)
     * @param logMelDb   mean log-mel distance in dB (lower is better)
     * @param siSnrDb    mean SI-SNR in dB (higher is better; low for any vocoder, which does not keep phase)
     * @param speed      seconds of audio per second of wall time for the round trip (one thread)
     * @param signals    signals scored
     * @param seconds    total audio seconds
     */
    public record Score(String name, double bitrate, double stoi, double logMelDb, double siSnrDb, double speed,
            int signals, double seconds) {}

    /**
     * Runs {@code transcoder} over every signal and scores the results.
     *
     * @param transcoder the codec under test
     * @param signals    mono reference signals, each at least ~0.5 s of speech
     * @param sampleRate their sample rate, Hz
     * @return the mean scores and the speed
     * @throws IllegalArgumentException if {@code signals} is empty
     */
    public static Score evaluate(Transcoder transcoder, List<float[]> signals, int sampleRate) {
        double stoi = 0, logMel = 0, siSnr = 0, audioSeconds = 0;
        long nanos = 0;
        int scored = 0;
        for (float[] ref : signals) {
            long start = System.nanoTime();
            float[] out = transcoder.roundTrip(ref, sampleRate);
            nanos += System.nanoTime() - start;
            float[] aligned = align(ref, out, sampleRate);
            stoi += Stoi.compute(ref, aligned, sampleRate);
            logMel += LogMelDistance.compute(ref, aligned, sampleRate);
            siSnr += SiSnr.compute(ref, aligned);
            audioSeconds += ref.length / (double) sampleRate;
            scored++;
        }
        if (scored == 0) {
            throw new IllegalArgumentException("no signals to evaluate");
        }
        return new Score(transcoder.name(), transcoder.bitrate(), stoi / scored, logMel / scored, siSnr / scored,
                audioSeconds / (nanos / 1e9), scored, audioSeconds);
    }

    /** {@code out} shifted by the lag (|lag| <= 60 ms) that best correlates the 2 ms energy envelopes. */
    static float[] align(float[] ref, float[] out, int sampleRate) {
        int block = Math.max(1, sampleRate / 500);
        double[] a = envelope(ref, block), b = envelope(out, block);
        int maxLag = 30;
        int best = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int lag = -maxLag; lag <= maxLag; lag++) {
            double s = 0;
            for (int i = 0; i < a.length; i++) {
                int j = i + lag;
                if (j >= 0 && j < b.length) {
                    s += a[i] * b[j];
                }
            }
            if (s > bestScore) {
                bestScore = s;
                best = lag;
            }
        }
        int shift = best * block;
        float[] aligned = new float[ref.length];
        for (int i = 0; i < aligned.length; i++) {
            int j = i + shift;
            aligned[i] = j >= 0 && j < out.length ? out[j] : 0f;
        }
        return aligned;
    }

    private static double[] envelope(float[] x, int block) {
        double[] e = new double[x.length / block];
        for (int i = 0; i < e.length; i++) {
            double s = 0;
            for (int n = i * block; n < (i + 1) * block; n++) {
                s += x[n] * x[n];
            }
            e[i] = Math.log(s + 1e-9);
        }
        double mean = Arrays.stream(e).average().orElse(0);
        for (int i = 0; i < e.length; i++) {
            e[i] -= mean;
        }
        return e;
    }
}
