package dev.samvaad.model;

/**
 * Loss and per-codebook accuracy on a batch.
 *
 * @param loss    masked mean cross-entropy (nats per token)
 * @param correct per codebook: labelled frames whose argmax is the label
 * @param counted per codebook: labelled frames
 */
public record BatchMetrics(double loss, long[] correct, long[] counted) {

    /**
     * The accuracy of one codebook.
     *
     * @param q the codebook
     * @return its share of labelled frames predicted right, 0 when none were labelled
     */
    public double accuracy(int q) {
        return counted[q] == 0 ? 0 : (double) correct[q] / counted[q];
    }

    /** {@return the accuracy over every codebook, 0 when nothing was labelled} */
    public double accuracy() {
        long c = 0, n = 0;
        for (int q = 0; q < correct.length; q++) {
            c += correct[q];
            n += counted[q];
        }
        return n == 0 ? 0 : (double) c / n;
    }
}
