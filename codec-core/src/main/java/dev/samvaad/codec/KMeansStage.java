package dev.samvaad.codec;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Trains one codebook with k-means: k-means++ seeding, then Lloyd iterations (assignment, mean
 * update), with dead entries restarted after every assignment.
 *
 * <p>Everything except the assignment itself runs sequentially in vector order, so the result is
 * the same whatever pool the assignment is split across.
 */
final class KMeansStage {

    /**
     * A trained codebook and the final assignment of the training vectors to it.
     *
     * @param codebook   {@code size * dim} floats, row-major
     * @param codes      the nearest entry of each training vector
     * @param iterations Lloyd iterations run (fewer than asked when the tolerance stopped it)
     * @param mse        mean over vectors of the squared distance to the nearest entry
     * @param restarts   entries re-seeded because no vector was assigned to them
     */
    record Result(float[] codebook, int[] codes, int iterations, double mse, int restarts) {}

    private final float[] data;
    private final int count;
    private final int dim;
    private final int size;
    private final KMeansAssignment assignment;
    private final SplittableRandom random;
    private final int[] codes;
    private final float[] errors;
    private final int[] usage;
    private float[] codebook;
    private int restarts;

    private KMeansStage(float[] data, int count, int dim, int size, KMeansAssignment assignment,
            SplittableRandom random) {
        this.data = data;
        this.count = count;
        this.dim = dim;
        this.size = size;
        this.assignment = assignment;
        this.random = random;
        this.codes = new int[count];
        this.errors = new float[count];
        this.usage = new int[size];
    }

    /**
     * Trains {@code size} entries on the {@code count} vectors of {@code data} ({@code count >= size}).
     *
     * @param assignment  the assignment step over the same data
     * @param tolerance   stop once an iteration improves the MSE by less than this fraction
     */
    static Result train(float[] data, int count, int dim, int size, int iterations, double tolerance,
            KMeansAssignment assignment, SplittableRandom random) {
        KMeansStage stage = new KMeansStage(data, count, dim, size, assignment, random);
        return stage.run(iterations, tolerance);
    }

    private Result run(int maxIterations, double tolerance) {
        codebook = KMeansPlusPlus.seed(data, count, dim, size, random);
        double previousMse = Double.NaN;
        int iterations = 0;
        while (iterations < maxIterations) {
            double mse = assignAndRestartDeadEntries();
            updateMeans();
            iterations++;
            // NaN on the first pass compares false: there is no improvement to judge yet.
            if (previousMse - mse <= tolerance * previousMse) {
                break;
            }
            previousMse = mse;
        }
        // One more assignment: the error and codes of the codebook actually returned.
        double mse = assignAndRestartDeadEntries();
        return new Result(codebook, codes, iterations, mse, restarts);
    }

    /** Assigns every vector to its nearest entry, restarts unused entries, returns the MSE. */
    private double assignAndRestartDeadEntries() {
        assignment.assign(codebook, size, codes, errors);
        countUsage();
        restartDeadEntries();
        double sum = 0;
        for (int n = 0; n < count; n++) {
            sum += errors[n];
        }
        return sum / count;
    }

    private void countUsage() {
        Arrays.fill(usage, 0);
        for (int n = 0; n < count; n++) {
            usage[codes[n]]++;
        }
    }

    /**
     * Moves each entry no vector uses onto a vector drawn in proportion to its squared error, and
     * hands it every vector now closer to it. That can empty another entry, so scan until none is
     * empty. It ends: each restart gives a vector of positive error a zero error, and errors only
     * fall. If every vector is already matched exactly (fewer distinct vectors than entries), the
     * leftover entries stay unused.
     */
    private void restartDeadEntries() {
        boolean restarted = true;
        while (restarted) {
            restarted = false;
            for (int entry = 0; entry < size; entry++) {
                if (usage[entry] == 0) {
                    if (!restart(entry)) {
                        return;
                    }
                    restarted = true;
                }
            }
        }
    }

    private boolean restart(int entry) {
        int chosen = KMeansSampling.drawProportional(errors, count, random);
        if (chosen < 0) {
            return false;
        }
        int entryOffset = entry * dim;
        System.arraycopy(data, chosen * dim, codebook, entryOffset, dim);
        for (int n = 0; n < count; n++) {
            float distance = RvqVectors.squaredDistance(data, n * dim, codebook, entryOffset, dim);
            if (distance < errors[n]) {
                usage[codes[n]]--;
                usage[entry]++;
                codes[n] = entry;
                errors[n] = distance;
            }
        }
        restarts++;
        return true;
    }

    /** Moves every used entry to the mean of its vectors, summed in vector order (determinism). */
    private void updateMeans() {
        double[] sums = new double[size * dim];
        for (int n = 0; n < count; n++) {
            int sumOffset = codes[n] * dim;
            int dataOffset = n * dim;
            for (int d = 0; d < dim; d++) {
                sums[sumOffset + d] += data[dataOffset + d];
            }
        }
        for (int k = 0; k < size; k++) {
            if (usage[k] > 0) {
                for (int d = 0; d < dim; d++) {
                    codebook[k * dim + d] = (float) (sums[k * dim + d] / usage[k]);
                }
            }
        }
    }
}
