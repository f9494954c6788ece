package dev.samvaad.tensor;

/** Plain-loop kernels: the fallback when the Vector API module is absent. */
final class ScalarKernels implements FloatKernels {
    static final ScalarKernels INSTANCE = new ScalarKernels();

    private ScalarKernels() {}

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int length) {
        // Four independent sums let the CPU overlap the adds; JIT will not reorder float adds itself.
        float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
        int i = 0;
        for (; i + 3 < length; i += 4) {
            s0 += a[aOff + i] * b[bOff + i];
            s1 += a[aOff + i + 1] * b[bOff + i + 1];
            s2 += a[aOff + i + 2] * b[bOff + i + 2];
            s3 += a[aOff + i + 3] * b[bOff + i + 3];
        }
        for (; i < length; i++) {
            s0 += a[aOff + i] * b[bOff + i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int length) {
        for (int i = 0; i < length; i++) {
            y[yOff + i] += alpha * x[xOff + i];
        }
    }

    @Override
    public void addHarmonics(double pc, double ps, double wc, double ws, double[] from, double[] to, int count,
            double[] acc, int length) {
        double sc = 1, ss = 0; // e^{j k phi}
        double rc = 1, rs = 0; // e^{j k omega}
        for (int i = 0; i < count; i++) {
            double t = sc * pc - ss * ps;
            ss = ss * pc + sc * ps;
            sc = t;
            t = rc * wc - rs * ws;
            rs = rs * wc + rc * ws;
            rc = t;
            if (!(from[i] > 0 || to[i] > 0)) {
                continue;
            }
            double c = sc, s = ss;
            double amp = from[i], step = (to[i] - from[i]) / length;
            for (int n = 0; n < length; n++) {
                acc[n] += amp * c;
                double nc = c * rc - s * rs;
                s = s * rc + c * rs;
                c = nc;
                amp += step;
            }
        }
    }

    @Override
    public String name() {
        return "scalar";
    }
}
