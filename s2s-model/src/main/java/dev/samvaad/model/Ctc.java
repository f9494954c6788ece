package dev.samvaad.model;

/**
 * Connectionist temporal classification (Graves et al., 2006): the loss of a symbol sequence given
 * per-position logits over the symbols and a blank (index 0), summed over every alignment, and its
 * gradient with respect to the logits, by the forward-backward recursions in log space.
 *
 * <p>Computed here, in Java, because SameDiff 1.0.0-M2.1's {@code ctc_loss} op cannot be put in a
 * graph (it has no output data types); the graph takes the gradient this class gives as a
 * placeholder ({@link S2sGraph}).
 */
public final class Ctc {
    private static final double NEG = Double.NEGATIVE_INFINITY;

    private Ctc() {}

    /**
     * The loss of {@code target} over the first {@code positions} rows of {@code logits}, and its
     * gradient times {@code scale} added to {@code gradient} (same layout as {@code logits}).
     *
     * @param logits    rows of {@code width} logits (blank, then the symbols), from {@code offset}
     * @param offset    index of the first row's first logit
     * @param positions rows the target is aligned over
     * @param width     logits per row, the symbols plus the blank
     * @param target    symbol ids, each in {@code [1, width)}
     * @param gradient  where {@code scale * dLoss/dLogits} is added; {@code null} for the loss only
     * @param scale     the gradient's factor
     * @return the loss, {@code -log p(target)}; {@code +Infinity} when no alignment fits (the target
     *     needs more positions than there are), with no gradient added
     * @throws IllegalArgumentException if a symbol is out of range
     */
    public static double loss(float[] logits, int offset, int positions, int width, int[] target, float[] gradient,
            double scale) {
        for (int s : target) {
            if (s < 1 || s >= width) {
                throw new IllegalArgumentException("CTC symbol " + s + " is outside [1, " + width + ")");
            }
        }
        int labels = 2 * target.length + 1;
        double[] logProbs = new double[positions * width];
        for (int t = 0; t < positions; t++) {
            int row = offset + t * width;
            double max = NEG;
            for (int k = 0; k < width; k++) {
                max = Math.max(max, logits[row + k]);
            }
            double sum = 0;
            for (int k = 0; k < width; k++) {
                sum += Math.exp(logits[row + k] - max);
            }
            double log = max + Math.log(sum);
            for (int k = 0; k < width; k++) {
                logProbs[t * width + k] = logits[row + k] - log;
            }
        }
        double[] alpha = new double[positions * labels];
        double[] beta = new double[positions * labels];
        java.util.Arrays.fill(alpha, NEG);
        java.util.Arrays.fill(beta, NEG);
        if (positions == 0) {
            return target.length == 0 ? 0 : Double.POSITIVE_INFINITY;
        }
        alpha[0] = logProbs[0];
        if (labels > 1) {
            alpha[1] = logProbs[label(target, 1)];
        }
        for (int t = 1; t < positions; t++) {
            for (int s = 0; s < labels; s++) {
                double a = alpha[(t - 1) * labels + s];
                if (s > 0) {
                    a = logAdd(a, alpha[(t - 1) * labels + s - 1]);
                }
                if (skips(target, s)) {
                    a = logAdd(a, alpha[(t - 1) * labels + s - 2]);
                }
                alpha[t * labels + s] = a + logProbs[t * width + label(target, s)];
            }
        }
        int last = positions - 1;
        beta[last * labels + labels - 1] = logProbs[last * width + label(target, labels - 1)];
        if (labels > 1) {
            beta[last * labels + labels - 2] = logProbs[last * width + label(target, labels - 2)];
        }
        for (int t = last - 1; t >= 0; t--) {
            for (int s = 0; s < labels; s++) {
                double b = beta[(t + 1) * labels + s];
                if (s + 1 < labels) {
                    b = logAdd(b, beta[(t + 1) * labels + s + 1]);
                }
                if (s + 2 < labels && skips(target, s + 2)) {
                    b = logAdd(b, beta[(t + 1) * labels + s + 2]);
                }
                beta[t * labels + s] = b + logProbs[t * width + label(target, s)];
            }
        }
        double logP = alpha[last * labels + labels - 1];
        if (labels > 1) {
            logP = logAdd(logP, alpha[last * labels + labels - 2]);
        }
        if (logP == NEG) {
            return Double.POSITIVE_INFINITY;
        }
        if (gradient != null) {
            double[] occupancy = new double[width];
            for (int t = 0; t < positions; t++) {
                java.util.Arrays.fill(occupancy, NEG);
                for (int s = 0; s < labels; s++) {
                    int k = label(target, s);
                    // alpha and beta both hold the emission at t: divide it out once.
                    occupancy[k] = logAdd(occupancy[k], alpha[t * labels + s] + beta[t * labels + s]
                            - logProbs[t * width + k]);
                }
                int row = offset + t * width;
                for (int k = 0; k < width; k++) {
                    // d(-log p)/d logit = softmax - the share of alignments through symbol k at t
                    double share = Math.exp(occupancy[k] - logP);
                    gradient[row + k] += (float) (scale * (Math.exp(logProbs[t * width + k]) - share));
                }
            }
        }
        return -logP;
    }

    /** The symbol of extended label {@code s}: blank (0) at even {@code s}, the target's symbols between. */
    private static int label(int[] target, int s) {
        return s % 2 == 0 ? 0 : target[s / 2];
    }

    /** Whether an alignment may jump from label {@code s - 2} to {@code s}: a symbol unlike the one before it. */
    private static boolean skips(int[] target, int s) {
        return s % 2 == 1 && s >= 2 && target[s / 2] != target[s / 2 - 1];
    }

    private static double logAdd(double a, double b) {
        if (a == NEG) {
            return b;
        }
        if (b == NEG) {
            return a;
        }
        double max = Math.max(a, b);
        return max + Math.log(Math.exp(a - max) + Math.exp(b - max));
    }
}
