package dev.samvaad.tensor;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD kernels on the Vector API. Loaded reflectively by {@link KernelSelection} only when the
 * incubator module is in the boot layer.
 */
final class VectorKernels implements FloatKernels {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;
    private static final int DOUBLE_LANES = DOUBLES.length();
    /** 0, 1, 2, ... per lane (built once: {@code addIndex} is not intrinsified on every JDK). */
    private static final DoubleVector LANE_INDEX = DoubleVector.zero(DOUBLES).addIndex(1);

    VectorKernels() {}

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int length) {
        // Two accumulators hide the FMA latency on long rows.
        FloatVector acc0 = FloatVector.zero(SPECIES);
        FloatVector acc1 = FloatVector.zero(SPECIES);
        int i = 0;
        for (; i + 2 * LANES <= length; i += 2 * LANES) {
            acc0 = FloatVector.fromArray(SPECIES, a, aOff + i)
                    .fma(FloatVector.fromArray(SPECIES, b, bOff + i), acc0);
            acc1 = FloatVector.fromArray(SPECIES, a, aOff + i + LANES)
                    .fma(FloatVector.fromArray(SPECIES, b, bOff + i + LANES), acc1);
        }
        for (; i + LANES <= length; i += LANES) {
            acc0 = FloatVector.fromArray(SPECIES, a, aOff + i)
                    .fma(FloatVector.fromArray(SPECIES, b, bOff + i), acc0);
        }
        float sum = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        for (; i < length; i++) {
            sum += a[aOff + i] * b[bOff + i];
        }
        return sum;
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int length) {
        FloatVector a = FloatVector.broadcast(SPECIES, alpha);
        int i = 0;
        for (; i + LANES <= length; i += LANES) {
            FloatVector.fromArray(SPECIES, x, xOff + i)
                    .fma(a, FloatVector.fromArray(SPECIES, y, yOff + i))
                    .intoArray(y, yOff + i);
        }
        for (; i < length; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    /**
     * Vectorised over samples: the lanes hold {@code lanes} consecutive samples of one harmonic,
     * turned by {@code e^{j k lanes omega}} per vector step, so each harmonic's dependency chain
     * is {@code lanes} times shorter. Harmonic {@code k}'s first lanes,
     * {@code e^{j k (phi + n omega)}} for {@code n < lanes}, are the previous harmonic's times
     * {@code e^{j (phi + n omega)}}: one complex vector product a harmonic.
     */
    @Override
    public void addHarmonics(double pc, double ps, double wc, double ws, double[] from, double[] to, int count,
            double[] acc, int length) {
        int lanes = DOUBLE_LANES;
        double[] laneC = new double[lanes], laneS = new double[lanes];
        double c = pc, s = ps, jumpC = 1, jumpS = 0;
        for (int n = 0; n < lanes; n++) {
            laneC[n] = c;
            laneS[n] = s;
            double t = c * wc - s * ws;
            s = s * wc + c * ws;
            c = t;
            t = jumpC * wc - jumpS * ws;
            jumpS = jumpS * wc + jumpC * ws;
            jumpC = t;
        }
        // e^{j (phi + n omega)} per lane, and e^{j lanes omega}
        DoubleVector baseC = DoubleVector.fromArray(DOUBLES, laneC, 0), baseS = DoubleVector.fromArray(DOUBLES, laneS, 0);
        DoubleVector startC = DoubleVector.broadcast(DOUBLES, 1), startS = DoubleVector.zero(DOUBLES);
        DoubleVector index = LANE_INDEX;
        double rc = 1, rs = 0; // e^{j k lanes omega}
        int whole = length - length % lanes;
        for (int i = 0; i < count; i++) {
            DoubleVector t = startC.mul(baseC).sub(startS.mul(baseS));
            startS = startS.mul(baseC).add(startC.mul(baseS));
            startC = t;
            double nr = rc * jumpC - rs * jumpS;
            rs = rs * jumpC + rc * jumpS;
            rc = nr;
            if (!(from[i] > 0 || to[i] > 0)) {
                continue;
            }
            DoubleVector vc = startC, vs = startS;
            double step = (to[i] - from[i]) / length;
            DoubleVector amp = index.mul(step).add(from[i]);
            DoubleVector ampStep = DoubleVector.broadcast(DOUBLES, step * lanes);
            DoubleVector turnC = DoubleVector.broadcast(DOUBLES, rc);
            DoubleVector turnS = DoubleVector.broadcast(DOUBLES, rs);
            DoubleVector turnMinusS = DoubleVector.broadcast(DOUBLES, -rs);
            int n = 0;
            for (; n < whole; n += lanes) {
                vc.fma(amp, DoubleVector.fromArray(DOUBLES, acc, n)).intoArray(acc, n);
                DoubleVector nc = vc.fma(turnC, vs.mul(turnMinusS));
                vs = vs.fma(turnC, vc.mul(turnS));
                vc = nc;
                amp = amp.add(ampStep);
            }
            if (n < length) {
                vc.intoArray(laneC, 0);
                double a = from[i] + n * step;
                for (int k = 0; n < length; n++, k++) {
                    acc[n] += (a + k * step) * laneC[k];
                }
            }
        }
    }

    @Override
    public String name() {
        return "vector-" + SPECIES.vectorBitSize();
    }
}
