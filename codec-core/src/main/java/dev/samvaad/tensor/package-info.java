/**
 * The pure-Java float32 tensor core that the fast decoder runs on: {@link dev.samvaad.tensor.Tensor}
 * (dense, row-major), {@link dev.samvaad.tensor.TensorOps} (matmul, matvec, elementwise ops,
 * softmax, layer norm, GELU, SiLU, gather, argmax), {@link dev.samvaad.tensor.Sampler} (seeded
 * top-k / temperature sampling) and the innermost loops, {@link dev.samvaad.tensor.FloatKernels}.
 *
 * <p>The kernels use the Vector API when the JVM was started with
 * {@code --add-modules jdk.incubator.vector} and plain loops otherwise, chosen at run time; the
 * system property {@code samvaad.kernels=scalar} forces the plain loops.
 */
package dev.samvaad.tensor;
