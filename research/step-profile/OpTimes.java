package dev.samvaad.bench;
import org.nd4j.autodiff.listeners.*;
import org.nd4j.autodiff.samediff.*;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import dev.samvaad.model.*;
import java.util.*;
public class OpTimes {
  static final Map<String, long[]> byType = new TreeMap<>();
  static long t0; static boolean on;
  static class L extends BaseListener {
    public boolean isActive(Operation o) { return true; }
    public void preOpExecution(SameDiff sd, At at, SameDiffOp op, OpContext ctx) { t0 = System.nanoTime(); }
    public void opExecution(SameDiff sd, At at, MultiDataSet b, SameDiffOp op, OpContext ctx, INDArray[] out) {
      if (!on) return;
      long dt = System.nanoTime() - t0;
      long n = 0; for (INDArray a : out) if (a != null) n += a.length();
      String k = op.getOp().opName() + (n > 1_000_000 ? " (>1M)" : "");
      long[] v = byType.computeIfAbsent(k, x -> new long[2]); v[0] += dt; v[1]++;
    }
  }
  public static void main(String[] a) throws Exception {
    Nd4j.getEnvironment().setMaxMasterThreads(1); Nd4j.getEnvironment().setMaxThreads(1); Nd4j.factory().blas().setMaxThreads(1);
    ModelConfig config = "default".equals(System.getProperty("size")) ? ModelFixtures.PREVIOUS_DEFAULT : ModelFixtures.PREVIOUS_TINY;
    S2sModel model = S2sModel.create(config, 1, 1e-3);
    TokenBatch batch = ModelFixtures.batch(new SplittableRandom(2), config, 16, 150, 150);
    for (int i = 0; i < 30; i++) model.trainStep(batch, 1.0);
    java.lang.reflect.Field f = S2sModel.class.getDeclaredField("sd"); f.setAccessible(true);
    SameDiff sd = (SameDiff) f.get(model);
    SameDiff grad = sd.getFunction("grad");
    grad.setListeners(new L());
    for (int i = 0; i < 5; i++) model.trainStep(batch, 1.0);
    on = true; int n = 20; long s0 = System.nanoTime();
    for (int i = 0; i < n; i++) model.trainStep(batch, 1.0);
    double stepMs = (System.nanoTime() - s0) / 1e6 / n;
    long total = 0; for (long[] v : byType.values()) total += v[0];
    System.out.printf("step %.1f ms; inside ops %.1f ms; outside (bookkeeping, updater, Java) %.1f ms%n", stepMs, total / 1e6 / n, stepMs - total / 1e6 / n);
    byType.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue()[0], x.getValue()[0])).limit(30)
      .forEach(e -> System.out.printf("  %-40s %7.2f ms  %4d calls/step%n", e.getKey(), e.getValue()[0] / 1e6 / n, e.getValue()[1] / n));
  }
}
