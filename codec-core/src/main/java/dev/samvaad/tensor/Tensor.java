package dev.samvaad.tensor;

import java.util.Arrays;

/**
 * A dense float32 tensor in row-major order.
 *
 * <p>Operations in {@link TensorOps} never modify their inputs and return new tensors, so a tensor
 * behaves as a value. {@link #data()} exposes the backing array without a copy for zero-copy
 * interop; treat it as read-only unless you created the tensor yourself with {@link #wrap}.
 */
public final class Tensor {
    private final int[] shape;
    private final float[] data;

    private Tensor(float[] data, int[] shape) {
        this.shape = shape;
        this.data = data;
    }

    /** A tensor of zeros. */
    public static Tensor zeros(int... shape) {
        int[] dims = checkedShape(shape);
        return new Tensor(new float[sizeOf(dims)], dims);
    }

    /** A tensor holding a copy of {@code data}. */
    public static Tensor of(float[] data, int... shape) {
        return wrap(data.clone(), shape);
    }

    /** A tensor over {@code data} itself (no copy): later writes to the array show through. */
    public static Tensor wrap(float[] data, int... shape) {
        int[] dims = checkedShape(shape);
        if (sizeOf(dims) != data.length) {
            throw new ShapeException("shape " + Arrays.toString(dims) + " needs " + sizeOf(dims)
                    + " values but the array holds " + data.length);
        }
        return new Tensor(data, dims);
    }

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** The size of one axis; negative axes count from the end ({@code -1} is the last). */
    public int dim(int axis) {
        int a = axis < 0 ? shape.length + axis : axis;
        if (a < 0 || a >= shape.length) {
            throw new ShapeException("axis " + axis + " out of range for shape " + Arrays.toString(shape));
        }
        return shape[a];
    }

    /** The number of elements. */
    public int size() {
        return data.length;
    }

    /** The element at a full index. */
    public float get(int... index) {
        if (index.length != shape.length) {
            throw new ShapeException("index of rank " + index.length + " for shape " + Arrays.toString(shape));
        }
        int flat = 0;
        for (int i = 0; i < shape.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i]) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index)
                        + " out of bounds for shape " + Arrays.toString(shape));
            }
            flat = flat * shape[i] + index[i];
        }
        return data[flat];
    }

    /** The backing array (no copy). */
    public float[] data() {
        return data;
    }

    /** A copy of the values. */
    public float[] toArray() {
        return data.clone();
    }

    /** The same values under another shape of equal size (shares the backing array). */
    public Tensor reshape(int... newShape) {
        return wrap(data, newShape);
    }

    /** Product of all axes but the last: the number of rows an op over the last axis visits. */
    int rows() {
        return shape.length == 0 ? 1 : data.length / Math.max(1, shape[shape.length - 1]);
    }

    /** Size of the last axis (1 for a scalar). */
    int lastDim() {
        return shape.length == 0 ? 1 : shape[shape.length - 1];
    }

    boolean sameShape(Tensor other) {
        return Arrays.equals(shape, other.shape);
    }

    @Override
    public String toString() {
        int shown = Math.min(6, data.length);
        StringBuilder sb = new StringBuilder("Tensor").append(Arrays.toString(shape)).append('[');
        for (int i = 0; i < shown; i++) {
            sb.append(i == 0 ? "" : ", ").append(data[i]);
        }
        return sb.append(data.length > shown ? ", ...]" : "]").toString();
    }

    private static int[] checkedShape(int[] shape) {
        for (int d : shape) {
            if (d < 0) {
                throw new ShapeException("negative dimension in shape " + Arrays.toString(shape));
            }
        }
        sizeOf(shape);
        return shape.clone();
    }

    private static int sizeOf(int[] shape) {
        long size = 1;
        for (int d : shape) {
            size *= d;
            if (size > Integer.MAX_VALUE - 8) {
                throw new ShapeException("shape " + Arrays.toString(shape) + " is too large for one array");
            }
        }
        return (int) size;
    }
}
