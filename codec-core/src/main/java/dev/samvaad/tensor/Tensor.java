package dev.samvaad.tensor;

import java.util.Arrays;

/**
 * A dense float32 array with a shape, in row-major order: what checkpoints store.
 *
 * <p>{@link #data()} exposes the backing array without a copy for zero-copy interop; treat it as
 * read-only unless you created the tensor yourself with {@link #wrap}.
 */
public final class Tensor {
    private final int[] shape;
    private final float[] data;

    private Tensor(float[] data, int[] shape) {
        this.shape = shape;
        this.data = data;
    }

    /**
     * A tensor of zeros.
     *
     * @param shape the size of each axis; none for a scalar
     * @return a new tensor
     * @throws ShapeException if an axis is negative or the size overflows an {@code int}
     */
    public static Tensor zeros(int... shape) {
        int[] dims = checkedShape(shape);
        return new Tensor(new float[sizeOf(dims)], dims);
    }

    /**
     * A tensor holding a copy of {@code data}.
     *
     * @param data  the values, row-major
     * @param shape the size of each axis
     * @return a new tensor
     * @throws ShapeException if the shape does not hold {@code data.length} values
     */
    public static Tensor of(float[] data, int... shape) {
        return wrap(data.clone(), shape);
    }

    /**
     * A tensor over {@code data} itself (no copy): later writes to the array show through.
     *
     * @param data  the values, row-major
     * @param shape the size of each axis
     * @return a tensor sharing {@code data}
     * @throws ShapeException if the shape does not hold {@code data.length} values
     */
    public static Tensor wrap(float[] data, int... shape) {
        int[] dims = checkedShape(shape);
        if (sizeOf(dims) != data.length) {
            throw new ShapeException("shape " + Arrays.toString(dims) + " needs " + sizeOf(dims)
                    + " values but the array holds " + data.length);
        }
        return new Tensor(data, dims);
    }

    /** {@return a copy of the shape} */
    public int[] shape() {
        return shape.clone();
    }

    /** {@return the number of axes} */
    public int rank() {
        return shape.length;
    }

    /**
     * The size of one axis.
     *
     * @param axis the axis; negative axes count from the end ({@code -1} is the last)
     * @return its size
     * @throws ShapeException if the axis is out of range
     */
    public int dim(int axis) {
        int a = axis < 0 ? shape.length + axis : axis;
        if (a < 0 || a >= shape.length) {
            throw new ShapeException("axis " + axis + " out of range for shape " + Arrays.toString(shape));
        }
        return shape[a];
    }

    /** {@return the number of elements} */
    public int size() {
        return data.length;
    }

    /**
     * One element.
     *
     * @param index one index per axis
     * @return the element there
     * @throws ShapeException if the index has the wrong rank
     * @throws IndexOutOfBoundsException if an index is out of range
     */
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

    /** {@return the backing array (no copy)} */
    public float[] data() {
        return data;
    }

    /** {@return a copy of the values, row-major} */
    public float[] toArray() {
        return data.clone();
    }

    /**
     * The same values under another shape of equal size.
     *
     * @param newShape the size of each axis
     * @return a tensor sharing this one's backing array
     * @throws ShapeException if the sizes differ
     */
    public Tensor reshape(int... newShape) {
        return wrap(data, newShape);
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
