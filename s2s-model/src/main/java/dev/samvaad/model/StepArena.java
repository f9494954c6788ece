package dev.samvaad.model;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.samediff.internal.SessionMemMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.BaseNDArray;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The array allocator of the training step's SameDiff session: every array an op writes comes
 * from a pool, and at the end of the step every array of the step goes back to it, so a step
 * whose batch has the shapes of an earlier one allocates no native memory at all.
 *
 * <p>Why: SameDiff's own cache ({@code ArrayCacheMemoryMgr}) takes back only the arrays whose
 * last reader it has seen run; in the gradient function about 450 MB of arrays a step (the
 * default model, batch 16) are never handed back, so each step allocates them afresh, ND4J zeroes
 * each new buffer, the kernel faults in each page, and the garbage collector frees them, seconds
 * later, in bursts (issue 16: 64% of a step in page clearing and {@code memset}). Here the step
 * itself says when it is over ({@link #endStep()}), after which nothing of it is read again.
 *
 * <p>Arrays are pooled by data type, order and shape; an array given back during the step
 * ({@link #release}) is reused at once, as SameDiff's cache does, unless its buffer is shared
 * with a view, in which case it waits for the end of the step. Batches of other lengths need
 * other shapes; when an array of a shape the pool has none of is needed, free arrays of other
 * shapes, which this step has not asked for, are freed first (least recently used first), so the
 * arena holds about the largest step's bytes, not that plus the step's new arrays. Not
 * thread-safe: one arena per session, and SameDiff keeps one session per thread.
 */
final class StepArena implements SessionMemMgr {
    /** Free arrays by key, least recently used key first. */
    private final LinkedHashMap<String, ArrayDeque<INDArray>> free = new LinkedHashMap<>(64, 0.75f, true);
    private final Set<INDArray> inUse = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<INDArray> touched = Collections.newSetFromMap(new IdentityHashMap<>());
    /** The shapes this step has asked for: their free arrays are the step's own, to be reused. */
    private final Set<String> keysThisStep = new HashSet<>();
    private long freeBytes, inUseBytes, largestStepBytes, lastStepBytes, peakBytes;

    @Override
    public INDArray allocate(boolean detached, DataType dataType, long... shape) {
        return take(dataType, 'c', shape);
    }

    @Override
    public INDArray allocate(boolean detached, LongShapeDescriptor descriptor) {
        if (descriptor.isEmpty()) {
            return Nd4j.create(descriptor); // no buffer to pool
        }
        return take(descriptor.dataType(), descriptor.getOrder(), descriptor.getShape());
    }

    private INDArray take(DataType dataType, char order, long[] shape) {
        String key = key(dataType, order, shape);
        keysThisStep.add(key);
        ArrayDeque<INDArray> pool = free.get(key);
        INDArray array = pool == null ? null : pool.pollLast();
        if (array == null) {
            // A shape the pool has no free array of: free arrays of shapes this step has not asked
            // for, least recently used first, so that what the arena holds stays within the
            // largest step's bytes (a batch of new lengths then reuses the memory of old ones
            // instead of adding to it; arrays this step gave back stay for its later ops).
            if (largestStepBytes > 0) {
                evictFree(pooledBytes() + bytes(dataType, shape) - largestStepBytes, keysThisStep);
            }
            array = Nd4j.createUninitializedDetached(dataType, order, shape);
        } else {
            freeBytes -= bytes(array);
            // The session remembers the ids it has released and never releases one twice; a
            // reused array needs a fresh id to be released again (as SameDiff's own cache does).
            ((BaseNDArray) array).assignNewId();
        }
        inUse.add(array);
        inUseBytes += bytes(array);
        touched.add(array);
        peakBytes = Math.max(peakBytes, pooledBytes());
        return array;
    }

    @Override
    public INDArray ulike(INDArray array) {
        return take(array.dataType(), array.ordering(), array.shape());
    }

    @Override
    public INDArray dup(INDArray array) {
        INDArray copy = ulike(array);
        if (!array.isEmpty()) {
            copy.assign(array);
        }
        return copy;
    }

    /**
     * An array the session no longer reads. Arrays this arena did not hand out (placeholders,
     * variables) and arrays whose buffer a view still shares are left alone until the step ends.
     */
    @Override
    public void release(INDArray array) {
        if (!inUse.contains(array) || array.data() == null
                || Nd4j.getExecutioner().useCount(array.data()) > 1) {
            return;
        }
        inUse.remove(array);
        inUseBytes -= bytes(array);
        giveBack(array);
    }

    /**
     * The step is over and none of its arrays is read again: every one of them goes back to the
     * pool. Batches of other lengths need arrays of other shapes, so the pool keeps at most as
     * many free bytes as the largest step has used, freeing the arrays of the shapes used least
     * recently first.
     */
    void endStep() {
        long stepBytes = 0;
        for (INDArray array : touched) {
            stepBytes += bytes(array);
        }
        touched.clear();
        lastStepBytes = stepBytes;
        largestStepBytes = Math.max(largestStepBytes, stepBytes);
        for (INDArray array : inUse) {
            giveBack(array);
        }
        inUse.clear();
        inUseBytes = 0;
        keysThisStep.clear();
        evictFree(freeBytes - largestStepBytes, keysThisStep);
    }

    /**
     * Frees at least {@code bytes} of free arrays (as many as there are) of shapes not in
     * {@code keep}, least recently used shapes first.
     */
    private void evictFree(long bytes, Set<String> keep) {
        long target = freeBytes - bytes;
        Iterator<Map.Entry<String, ArrayDeque<INDArray>>> keys = free.entrySet().iterator();
        while (freeBytes > target && keys.hasNext()) {
            Map.Entry<String, ArrayDeque<INDArray>> entry = keys.next();
            if (keep.contains(entry.getKey())) {
                continue;
            }
            ArrayDeque<INDArray> pool = entry.getValue();
            while (freeBytes > target && !pool.isEmpty()) {
                INDArray array = pool.pollFirst();
                freeBytes -= bytes(array);
                if (array.closeable()) {
                    array.close();
                }
            }
            if (pool.isEmpty()) {
                keys.remove();
            }
        }
    }

    /**
     * Frees every free array: the training step and the forward passes (validation) each have an
     * arena, and the one not running need not hold a step's worth of idle memory meanwhile.
     */
    void trim() {
        evictFree(freeBytes, Set.of());
    }

    /** {@return the bytes of all arrays this arena holds, free or in use} */
    long pooledBytes() {
        return freeBytes + inUseBytes;
    }

    /** {@return the most bytes this arena has held at once, free and in use} */
    long peakBytes() {
        return peakBytes;
    }

    /** {@return the bytes of the arrays the last step used} */
    long lastStepBytes() {
        return lastStepBytes;
    }

    /** {@return the most bytes of arrays one step has used} */
    long largestStepBytes() {
        return largestStepBytes;
    }

    private void giveBack(INDArray array) {
        free.computeIfAbsent(key(array.dataType(), array.ordering(), array.shape()), k -> new ArrayDeque<>())
                .addLast(array);
        freeBytes += bytes(array);
    }

    private static long bytes(INDArray array) {
        return array.length() * array.dataType().width();
    }

    private static long bytes(DataType dataType, long[] shape) {
        long length = 1;
        for (long dim : shape) {
            length *= dim;
        }
        return length * dataType.width();
    }

    private static String key(DataType dataType, char order, long[] shape) {
        return dataType.name() + order + Arrays.toString(shape);
    }

    @Override
    public void close() {
        for (ArrayDeque<INDArray> pool : free.values()) {
            for (INDArray array : pool) {
                if (array.closeable()) {
                    array.close();
                }
            }
        }
        free.clear();
        inUse.clear();
        touched.clear();
        keysThisStep.clear();
        freeBytes = 0;
        inUseBytes = 0;
    }
}
