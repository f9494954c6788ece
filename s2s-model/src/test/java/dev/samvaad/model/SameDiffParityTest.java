package dev.samvaad.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.samvaad.tensor.TensorOps;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The ND4J backend chosen by the build loads, and a SameDiff graph built from the layers the
 * transformer uses gives what the pure-Java tensor core gives: the fast decoder relies on that.
 */
class SameDiffParityTest {
    private static final int ROWS = 5;
    private static final int IN = 19;
    private static final int OUT = 23;

    @Test
    void backendOfThisBuildLoads() {
        // -Pcuda swaps the backend; the default build (and CI) must run on the CPU one.
        String backend = Nd4j.getBackend().getClass().getSimpleName();
        assertThat(backend).isIn("CpuBackend", "JCublasBackend");
        assertThat(Nd4j.create(new float[] {1, 2, 3}).sumNumber().floatValue()).isEqualTo(6f);
    }

    @Test
    void linearLayerNormSoftmaxMatchTensorCore() {
        SplittableRandom rng = new SplittableRandom(17);
        float[] x = random(rng, ROWS * IN), w = random(rng, IN * OUT), b = random(rng, OUT);
        float[] gamma = random(rng, OUT), beta = random(rng, OUT);

        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("x", DataType.FLOAT, -1, IN);
        SDVariable linear = in.mmul(sd.constant("w", Nd4j.create(w, new long[] {IN, OUT}, 'c')))
                .add(sd.constant("b", Nd4j.create(b, new long[] {OUT}, 'c')));
        SDVariable norm = sd.nn().layerNorm("norm", linear, sd.constant("g", Nd4j.create(gamma, new long[] {OUT}, 'c')),
                sd.constant("beta", Nd4j.create(beta, new long[] {OUT}, 'c')), false, 1);
        sd.nn().softmax("probs", norm, 1);
        Map<String, INDArray> out = sd.output(Map.of("x", Nd4j.create(x, new long[] {ROWS, IN}, 'c')), "norm", "probs");

        // The tensor core's linear layer takes W transposed, [OUT][IN], as the decoder stores it.
        float[] wt = new float[OUT * IN];
        for (int i = 0; i < IN; i++) {
            for (int o = 0; o < OUT; o++) {
                wt[o * IN + i] = w[i * OUT + o];
            }
        }
        TensorOps ops = TensorOps.create();
        float[] refNorm = new float[ROWS * OUT];
        float[] refProbs = new float[ROWS * OUT];
        for (int r = 0; r < ROWS; r++) {
            ops.linear(wt, b, IN, x, r * IN, refNorm, r * OUT);
            // ND4J's layer norm has no epsilon argument; its kernel uses 1e-5, so 1e-5 here too.
            TensorOps.layerNorm(refNorm, r * OUT, gamma, beta, 1e-5f, refNorm, r * OUT);
        }
        System.arraycopy(refNorm, 0, refProbs, 0, refNorm.length);
        for (int r = 0; r < ROWS; r++) {
            TensorOps.softmaxInPlace(refProbs, r * OUT, OUT);
        }

        assertThat(out.get("norm").dup('c').data().asFloat()).containsExactly(refNorm, within(1e-4f));
        assertThat(out.get("probs").dup('c').data().asFloat()).containsExactly(refProbs, within(1e-5f));
    }

    private static float[] random(SplittableRandom rng, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return a;
    }
}
