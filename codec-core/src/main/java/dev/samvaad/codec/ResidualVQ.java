package dev.samvaad.codec;

import dev.samvaad.tensor.FloatKernels;
import java.util.Arrays;
import java.util.Objects;

/**
 * A residual vector quantiser: {@code Q} codebooks ({@link #stages() stages}) of {@code K}
 * entries ({@link #size() size}) of dimension {@code D} ({@link #dim() dim}).
 *
 * <p>A vector is encoded greedily: stage 0 picks the entry nearest (squared Euclidean distance)
 * to the vector, and each later stage the entry nearest to what the earlier stages left over.
 * Decoding the first {@code q} codes sums their entries, so every extra stage refines the
 * approximation and a decoder may stop at any {@code q}.
 *
 * <p>Instances are immutable and thread-safe. Build one with {@link #of(float[][][])} or train one
 * with {@link RvqTrainer}.
 */
public final class ResidualVQ {

    private static final FloatKernels KERNELS = FloatKernels.best();

    private final int size;
    private final int dim;
    /** {@code entries[s][k * dim + d]}: coordinate {@code d} of entry {@code k} of stage {@code s}. */
    private final float[][] entries;
    private final RvqSearch[] searches;

    private ResidualVQ(float[][] entries, int size, int dim) {
        this.size = size;
        this.dim = dim;
        this.entries = entries;
        this.searches = new RvqSearch[entries.length];
        for (int s = 0; s < entries.length; s++) {
            searches[s] = new RvqSearch(entries[s], size, dim);
        }
    }

    /**
     * Builds a quantiser from {@code codebooks[stage][entry][coordinate]}; the arrays are copied.
     *
     * @param codebooks the entries of every stage, {@code [Q][K][D]}
     * @return the quantiser
     * @throws IllegalArgumentException if there is no stage, the stages differ in size or
     *     dimension, a stage is empty or ragged, or a value is not finite
     */
    public static ResidualVQ of(float[][][] codebooks) {
        if (codebooks == null || codebooks.length == 0) {
            throw new IllegalArgumentException("codebooks must hold at least one stage");
        }
        int size = -1;
        int dim = -1;
        float[][] entries = new float[codebooks.length][];
        for (int s = 0; s < codebooks.length; s++) {
            float[][] stage = codebooks[s];
            int stageDim = RvqVectors.requireFiniteMatrix(stage, "codebooks[" + s + "]");
            if (s > 0 && (stage.length != size || stageDim != dim)) {
                throw new IllegalArgumentException("codebooks[" + s + "] is " + stage.length + " x "
                        + stageDim + ", codebooks[0] is " + size + " x " + dim);
            }
            size = stage.length;
            dim = stageDim;
            entries[s] = new float[RvqVectors.flatLength(size, dim, "codebooks[" + s + "]")];
            for (int k = 0; k < size; k++) {
                System.arraycopy(stage[k], 0, entries[s], k * dim, dim);
            }
        }
        return new ResidualVQ(entries, size, dim);
    }

    /** Wraps trained row-major codebooks without copying; the caller hands them over. */
    static ResidualVQ ofTrusted(float[][] entries, int size, int dim) {
        return new ResidualVQ(entries, size, dim);
    }

    /** {@return a copy of the codebooks as {@code [stage][entry][coordinate]}} */
    public float[][][] codebooks() {
        float[][][] copy = new float[entries.length][size][dim];
        for (int s = 0; s < entries.length; s++) {
            for (int k = 0; k < size; k++) {
                System.arraycopy(entries[s], k * dim, copy[s][k], 0, dim);
            }
        }
        return copy;
    }

    /** {@return the number of stages {@code Q}: codes per encoded vector} */
    public int stages() {
        return entries.length;
    }

    /** {@return the number of entries {@code K} per stage: codes lie in {@code [0, K)}} */
    public int size() {
        return size;
    }

    /** {@return the dimension {@code D} of the vectors} */
    public int dim() {
        return dim;
    }

    /**
     * Encodes {@code x} into {@link #stages()} codes.
     *
     * @param x the vector, {@link #dim()} values
     * @return its codes, one per stage
     * @throws IllegalArgumentException if {@code x.length != dim()}
     */
    public int[] encode(float[] x) {
        int[] codes = new int[stages()];
        encode(x, codes, new float[scratchSize()]);
        return codes;
    }

    /**
     * Encodes {@code x} into the first {@link #stages()} slots of {@code codesOut} without
     * allocating, for hot loops. Codes for non-finite input are unspecified.
     *
     * @param x        the vector, {@link #dim()} values (not changed)
     * @param codesOut receives the codes, at least {@link #stages()} slots
     * @param scratch working space of at least {@link #scratchSize()} floats; overwritten
     * @throws IllegalArgumentException if {@code x.length != dim()} or a buffer is too short
     */
    public void encode(float[] x, int[] codesOut, float[] scratch) {
        requireLength("x", x, dim);
        if (codesOut.length < stages()) {
            throw new IllegalArgumentException(
                    "codesOut has " + codesOut.length + " slots, need " + stages());
        }
        if (scratch.length < scratchSize()) {
            throw new IllegalArgumentException("scratch has " + scratch.length + " floats, need " + scratchSize());
        }
        // scratch = [residual (dim) | scores (size)]
        System.arraycopy(x, 0, scratch, 0, dim);
        for (int s = 0; s < entries.length; s++) {
            int code = searches[s].nearest(scratch, 0, scratch, dim);
            codesOut[s] = code;
            KERNELS.axpy(-1f, entries[s], code * dim, scratch, 0, dim);
        }
    }

    /** {@return the floats of working space {@link #encode(float[], int[], float[])} needs} */
    public int scratchSize() {
        return dim + size;
    }

    /**
     * Returns the sum of the entries chosen by the first {@code stagesUsed} codes.
     *
     * @param codes      one code per stage (at least {@code stagesUsed})
     * @param stagesUsed in {@code [0, stages()]}; 0 gives the zero vector
     * @return the decoded vector, {@link #dim()} values
     * @throws IllegalArgumentException if {@code stagesUsed} is out of range, {@code codes} is
     *     shorter than it, or a code used is outside {@code [0, size())}
     */
    public float[] decode(int[] codes, int stagesUsed) {
        float[] out = new float[dim];
        decode(codes, stagesUsed, out);
        return out;
    }

    /**
     * Writes into {@code out} the sum of the entries chosen by the first {@code stagesUsed} codes.
     * Nothing is written when an argument is rejected.
     *
     * @param codes      one code per stage (at least {@code stagesUsed})
     * @param stagesUsed in {@code [0, stages()]}; 0 gives the zero vector
     * @param out        receives the decoded vector, {@link #dim()} values
     * @throws IllegalArgumentException as {@link #decode(int[], int)}, or if
     *     {@code out.length != dim()}
     */
    public void decode(int[] codes, int stagesUsed, float[] out) {
        Objects.requireNonNull(codes, "codes");
        requireLength("out", out, dim);
        if (stagesUsed < 0 || stagesUsed > stages()) {
            throw new IllegalArgumentException(
                    "stagesUsed must be in [0, " + stages() + "], got " + stagesUsed);
        }
        if (codes.length < stagesUsed) {
            throw new IllegalArgumentException(
                    "codes has " + codes.length + " values, stagesUsed is " + stagesUsed);
        }
        for (int s = 0; s < stagesUsed; s++) {
            if (codes[s] < 0 || codes[s] >= size) {
                throw new IllegalArgumentException("code " + codes[s] + " at stage " + s
                        + " is out of range [0, " + size + ")");
            }
        }
        Arrays.fill(out, 0f);
        for (int s = 0; s < stagesUsed; s++) {
            KERNELS.axpy(1f, entries[s], codes[s] * dim, out, 0, dim);
        }
    }

    /**
     * Returns, for {@code q = 1 .. stages()}, the mean over {@code data}'s vectors of the squared
     * Euclidean distance between a vector and its decoding from the first {@code q} codes.
     *
     * @param data vectors of {@link #dim()} values
     * @return the mean squared error for each number of stages used, {@code [Q]}
     * @throws IllegalArgumentException if {@code data} is empty or a row's length is not
     *     {@link #dim()}
     */
    public double[] quantisationError(float[][] data) {
        Objects.requireNonNull(data, "data");
        if (data.length == 0) {
            throw new IllegalArgumentException("data has no rows");
        }
        double[] sums = new double[stages()];
        int[] codes = new int[stages()];
        float[] scratch = new float[scratchSize()];
        float[] decoded = new float[dim];
        for (float[] x : data) {
            encode(x, codes, scratch);
            Arrays.fill(decoded, 0f);
            for (int s = 0; s < stages(); s++) {
                KERNELS.axpy(1f, entries[s], codes[s] * dim, decoded, 0, dim);
                sums[s] += RvqVectors.squaredDistance(x, 0, decoded, 0, dim);
            }
        }
        for (int s = 0; s < sums.length; s++) {
            sums[s] /= data.length;
        }
        return sums;
    }

    private static void requireLength(String name, float[] vector, int expected) {
        Objects.requireNonNull(vector, name);
        if (vector.length != expected) {
            throw new IllegalArgumentException(
                    name + " has length " + vector.length + ", expected dim " + expected);
        }
    }

    @Override
    public String toString() {
        return "ResidualVQ[stages=" + stages() + ", size=" + size + ", dim=" + dim + "]";
    }
}
