/**
 * The pure-Java float32 core that the fast decoder runs on: {@link dev.samvaad.tensor.TensorOps}
 * (linear layer, layer norm, GELU, softmax and argmax over array slices),
 * {@link dev.samvaad.tensor.Positions} (the sinusoidal position table shared with the SameDiff
 * graph), {@link dev.samvaad.tensor.Sampler} (seeded top-k / temperature sampling), the innermost
 * loops, {@link dev.samvaad.tensor.FloatKernels}, and {@link dev.samvaad.tensor.Tensor}, a shaped
 * array as checkpoints store it.
 *
 * <p>The kernels use the Vector API when the JVM was started with
 * {@code --add-modules jdk.incubator.vector} and plain loops otherwise, chosen at run time; the
 * system property {@code samvaad.kernels=scalar} forces the plain loops.
 */
package dev.samvaad.tensor;
