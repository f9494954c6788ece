package dev.samvaad.model;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.samediff.internal.SessionMemMgr;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
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
 * <p>Buffers are pooled by data type and size class (sizes rounded up to eighths of a power of
 * two, {@link #sizeClass}), and each array is a fresh view of the shape asked for over a pooled
 * buffer at least that large: nearly every batch has new lengths, and pooled by exact shape a step
 * found almost none of its arrays free and allocated them afresh (15.8 GB over the 40 steps of a
 * {@code --size small} epoch), so glibc's heap fragmented and the resident set crept up batch by
 * batch (issue 16). A buffer given back during the step ({@link #release}) is reused at once, as
 * SameDiff's cache does, unless a view shares it, in which case it waits for the end of the step.
 * When a step needs a size the pool has no free buffer of, free buffers left from earlier steps
 * are freed first (least recently used size first), so the arena holds about the largest step's
 * bytes, not that plus the step's new buffers. Not thread-safe: one arena per session, and
 * SameDiff keeps one session per thread.
 */
final class StepArena implements SessionMemMgr {
    /**
     * A buffer may serve an array up to this many size classes smaller than its own (2 classes:
     * at most about a quarter of it unused), so a batch a little shorter than the last reuses its
     * buffers.
     */
    private static final int CLASSES_UP = 2;
    /** Free buffers by key (data type and size class), least recently used key first. */
    private final LinkedHashMap<String, ArrayDeque<DataBuffer>> free = new LinkedHashMap<>(64, 0.75f, true);
    private final Set<INDArray> inUse = Collections.newSetFromMap(new IdentityHashMap<>());
    /**
     * The arrays handed out this step, in order: the end of the step gives back those still in
     * use in this order, not in the identity set's (which follows identity hash codes, different
     * in every run), so the pool's least-recently-used order, and with it which buffers are freed,
     * is the same from run to run.
     */
    private final java.util.List<INDArray> handedOut = new java.util.ArrayList<>();
    /** The buffers this step has used (an array's buffer serves several views in a step: counted once). */
    private final Set<DataBuffer> touched = Collections.newSetFromMap(new IdentityHashMap<>());
    /**
     * The buffers this step has given back: they stay for its later ops (freeing them made steps
     * allocate more), while free buffers left over from earlier steps may be freed for this one.
     */
    private final Set<DataBuffer> returnedThisStep = Collections.newSetFromMap(new IdentityHashMap<>());
    private long freeBytes, inUseBytes, largestStepBytes, lastStepBytes, peakBytes, allocatedBytes;

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
        long bytes = bytes(dataType, shape);
        if (bytes == 0) {
            return Nd4j.createUninitializedDetached(dataType, order, shape); // no buffer to pool
        }
        long size = sizeClass(bytes);
        DataBuffer pooled = null;
        long bufferSize = size;
        for (int up = 0; up <= CLASSES_UP && pooled == null; up++, bufferSize = nextSizeClass(bufferSize)) {
            String key = key(dataType, bufferSize);
            ArrayDeque<DataBuffer> pool = free.get(key);
            pooled = pool == null ? null : pool.pollLast();
        }
        INDArray array;
        if (pooled == null) {
            // A size the pool has no free buffer of: free buffers left from earlier steps, least
            // recently used size first, so that what the arena holds stays within the
            // largest step's bytes (a batch of new lengths then reuses the memory of old ones
            // instead of adding to it; buffers this step gave back stay for its later ops).
            if (largestStepBytes > 0) {
                evictFree(pooledBytes() + size - largestStepBytes, returnedThisStep);
            }
            DataBuffer buffer = Nd4j.getDataBufferFactory().create(dataType, size / dataType.width(), false);
            array = view(buffer, order, shape);
            allocatedBytes += size;
        } else {
            freeBytes -= capacity(pooled);
            // A fresh view (with a fresh id: the session never releases an id twice) over the
            // pooled buffer, whose contents are whatever the last array left: as an uninitialised
            // allocation, every op writes its whole output.
            array = view(pooled, order, shape);
        }
        inUse.add(array);
        handedOut.add(array);
        inUseBytes += capacity(array.data());
        touched.add(array.data());
        peakBytes = Math.max(peakBytes, pooledBytes());
        return array;
    }

    private static INDArray view(DataBuffer buffer, char order, long[] shape) {
        return Nd4j.create(buffer, shape, Nd4j.getStrides(shape, order), 0, order);
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
        inUseBytes -= capacity(array.data());
        giveBack(array);
        returnedThisStep.add(array.data());
    }

    /**
     * The step is over and none of its arrays is read again: every one of them goes back to the
     * pool. Batches of other lengths need buffers of other sizes, so the pool keeps at most as
     * many free bytes as the largest step has used, freeing the buffers of the size classes used
     * least recently first.
     */
    void endStep() {
        long stepBytes = 0;
        for (DataBuffer buffer : touched) {
            stepBytes += capacity(buffer);
        }
        touched.clear();
        lastStepBytes = stepBytes;
        largestStepBytes = Math.max(largestStepBytes, stepBytes);
        for (INDArray array : handedOut) {
            if (inUse.contains(array)) {
                giveBack(array);
            }
        }
        handedOut.clear();
        inUse.clear();
        inUseBytes = 0;
        returnedThisStep.clear();
        evictFree(freeBytes - largestStepBytes, returnedThisStep);
    }

    /**
     * Frees at least {@code bytes} of free buffers (as many as there are) not in {@code keep},
     * least recently used keys first and, within a key, the longest free first (the buffers this
     * step gave back come last in their key's queue).
     */
    private void evictFree(long bytes, Set<DataBuffer> keep) {
        long target = freeBytes - bytes;
        Iterator<Map.Entry<String, ArrayDeque<DataBuffer>>> keys = free.entrySet().iterator();
        while (freeBytes > target && keys.hasNext()) {
            Map.Entry<String, ArrayDeque<DataBuffer>> entry = keys.next();
            ArrayDeque<DataBuffer> pool = entry.getValue();
            while (freeBytes > target && !pool.isEmpty() && !keep.contains(pool.peekFirst())) {
                DataBuffer buffer = pool.pollFirst();
                freeBytes -= capacity(buffer);
                buffer.close();
            }
            if (pool.isEmpty()) {
                keys.remove();
            }
        }
    }

    /**
     * Frees every free buffer: the training step and the forward passes (validation) each have an
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

    /** {@return the bytes of all the buffers this arena has allocated rather than reused, since it was made} */
    long allocatedBytes() {
        return allocatedBytes;
    }

    /** {@return the bytes of the arrays the last step used} */
    long lastStepBytes() {
        return lastStepBytes;
    }

    /** {@return the most bytes of arrays one step has used} */
    long largestStepBytes() {
        return largestStepBytes;
    }

    /**
     * {@return the bytes of the size class that {@code bytes} falls in}: {@code bytes} rounded up
     * to an eighth of the power of two below it (at most 12.5% more), and to 64 bytes below 512
     */
    static long sizeClass(long bytes) {
        if (bytes <= 512) {
            return Math.max(64, (bytes + 63) / 64 * 64);
        }
        long step = Long.highestOneBit(bytes) / 8;
        return (bytes + step - 1) / step * step;
    }

    /** {@return the size class after {@code sizeClass}} */
    static long nextSizeClass(long sizeClass) {
        return sizeClass(sizeClass + 1);
    }

    private void giveBack(INDArray array) {
        DataBuffer buffer = array.data();
        free.computeIfAbsent(key(array.dataType(), capacity(buffer)), k -> new ArrayDeque<>()).addLast(buffer);
        freeBytes += capacity(buffer);
    }

    /** {@return the bytes of a buffer (its size class), which may exceed those of the array viewing it} */
    private static long capacity(DataBuffer buffer) {
        return buffer.length() * buffer.getElementSize();
    }

    private static long bytes(DataType dataType, long[] shape) {
        long length = 1;
        for (long dim : shape) {
            length *= dim;
        }
        return length * dataType.width();
    }

    private static String key(DataType dataType, long sizeClass) {
        return dataType.name() + sizeClass;
    }

    @Override
    public void close() {
        for (ArrayDeque<DataBuffer> pool : free.values()) {
            for (DataBuffer buffer : pool) {
                buffer.close();
            }
        }
        free.clear();
        inUse.clear();
        handedOut.clear();
        touched.clear();
        returnedThisStep.clear();
        freeBytes = 0;
        inUseBytes = 0;
    }
}
