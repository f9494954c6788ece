package dev.samvaad.training;

import dev.samvaad.codec.ResidualVQ;
import dev.samvaad.dataset.Batch;
import java.util.SplittableRandom;

/**
 * Questions spoken higher or lower, made in the codec's feature space: each real frame's codes are
 * turned back into the frame's quantised features (the sum of its codebook entries), the log-pitch
 * coordinate is moved by the row's shift, and the frame is quantised again by the codec's own
 * residual quantiser ({@link ResidualVQ}). An unheard speaker's pitch is one of the things the encoder must
 * not be thrown by; the training voices cover only a few.
 *
 * <p>The shift is drawn per row, uniformly in {@code [-maxShift, maxShift]} standard deviations
 * of the log-pitch coordinate over the first codebook's entries (a scale the codec's own data
 * set, whatever its units).
 */
final class SourcePitch {
    private final ResidualVQ quantiser;
    private final int coordinate;
    private final float spread;

    /**
     * @param codebooks  the codec's entries, {@code [Q][K][D]} ({@code RvqCodec.codeVectors()})
     * @param coordinate the log-pitch coordinate ({@code RvqCodec.logF0Coordinate()})
     * @throws IllegalArgumentException if the coordinate is outside the vectors
     */
    SourcePitch(float[][][] codebooks, int coordinate) {
        if (codebooks.length == 0 || coordinate < 0 || coordinate >= codebooks[0][0].length) {
            throw new IllegalArgumentException("log-pitch coordinate " + coordinate + " is outside the codec's "
                    + (codebooks.length == 0 ? 0 : codebooks[0][0].length) + "-dimensional vectors");
        }
        this.quantiser = ResidualVQ.of(codebooks);
        this.coordinate = coordinate;
        double sum = 0, sumSq = 0;
        for (float[] entry : codebooks[0]) {
            sum += entry[coordinate];
            sumSq += (double) entry[coordinate] * entry[coordinate];
        }
        int k = codebooks[0].length;
        this.spread = (float) Math.sqrt(Math.max(0, sumSq / k - (sum / k) * (sum / k)));
    }

    /** {@return one standard deviation of the log-pitch coordinate, in the codec's units} */
    float spread() {
        return spread;
    }

    /**
     * {@code batch} with each question's pitch moved.
     *
     * @param batch    a dataset batch (frames, codes {@code 0..K-1} where the mask is 1)
     * @param maxShift the largest shift in standard deviations, {@code >= 0}; 0 returns {@code batch}
     * @param rng      the draws
     * @return the batch with re-quantised questions; the answers are unchanged
     */
    Batch apply(Batch batch, double maxShift, SplittableRandom rng) {
        if (!(maxShift >= 0)) {
            throw new IllegalArgumentException("maxShift must be >= 0, got " + maxShift);
        }
        if (maxShift == 0) {
            return batch;
        }
        int q = quantiser.stages();
        int[][][] input = new int[batch.size()][][];
        int[] codes = new int[q];
        float[] v = new float[quantiser.dim()], scratch = new float[quantiser.scratchSize()];
        for (int r = 0; r < input.length; r++) {
            int[][] row = batch.encoderInput()[r];
            input[r] = new int[q][];
            for (int k = 0; k < q; k++) {
                input[r][k] = row[k].clone();
            }
            float shift = (float) ((2 * rng.nextDouble() - 1) * maxShift * spread);
            float[] mask = batch.encoderMask()[r];
            for (int t = 0; t < mask.length; t++) {
                if (mask[t] == 0) {
                    continue;
                }
                for (int k = 0; k < q; k++) {
                    codes[k] = row[k][t];
                }
                quantiser.decode(codes, q, v);
                v[coordinate] += shift;
                quantiser.encode(v, codes, scratch);
                for (int k = 0; k < q; k++) {
                    input[r][k][t] = codes[k];
                }
            }
        }
        return new Batch(batch.ids(), input, batch.encoderMask(), batch.decoderInput(), batch.labels(),
                batch.labelMask());
    }
}
