package dev.samvaad.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.nd4j.autodiff.samediff.serde.FlatBuffersMapper;
import org.nd4j.graph.FlatArray;
import org.nd4j.graph.FlatGraph;
import org.nd4j.graph.FlatNode;
import org.nd4j.graph.FlatVariable;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A plausibility check of a SameDiff {@code model.sd} (a FlatBuffers {@link FlatGraph}) before
 * SameDiff reads it. SameDiff sizes its lists from the vector lengths stored in the file, so a
 * damaged or hostile file declaring two billion variables makes it allocate gigabytes (found by
 * fuzzing, see RELIABILITY.md). Every vector a FlatBuffer holds takes at least one byte per
 * element, so no length may exceed the file's size; that is checked here for the graph, every
 * variable and array and every node. It does not prove the file valid: SameDiff may still refuse
 * it, which {@link ModelCheckpoint#load} reports.
 */
final class FlatGraphCheck {
    /** ND4J's own limit on an array's rank. */
    private static final int MAX_RANK = 32;

    private FlatGraphCheck() {}

    /** @return null when the lengths are plausible, else what is wrong */
    static String problem(byte[] bytes) {
        int size = bytes.length;
        if (size < 8) {
            return "is " + size + " bytes, too short for a SameDiff graph";
        }
        ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int root = bb.getInt(0);
        if (root < 4 || root > size - 4) {
            return "is not a SameDiff graph (its root offset " + root + " lies outside the file's " + size + " bytes)";
        }
        FlatGraph g = FlatGraph.getRootAsFlatGraph(bb);
        String p = lengths(size, "graph", g.variablesLength(), g.nodesLength(), g.outputsLength(), g.placeholdersLength(),
                g.lossVariablesLength(), g.updaterStateLength());
        for (int i = 0; p == null && i < g.variablesLength(); i++) {
            FlatVariable v = g.variables(i);
            p = lengths(size, "variable " + i, v.shapeLength(), v.controlDepsLength(), v.controlDepForOpLength(),
                    v.controlDepsForVarLength());
            FlatArray a = p == null ? v.ndarray() : null;
            if (a != null) {
                p = array("array of variable " + i, a, size);
            }
        }
        for (int i = 0; p == null && i < g.nodesLength(); i++) {
            FlatNode n = g.nodes(i);
            p = lengths(size, "node " + i, n.propertiesLength(), n.inputLength(), n.inputPairedLength(), n.outputLength(),
                    n.extraParamsLength(), n.extraIntegerLength(), n.extraBoolsLength(), n.dimensionsLength(),
                    n.outputNamesLength(), n.outputTypesLength(), n.controlDepsLength(), n.varControlDepsLength(),
                    n.controlDepForLength(), n.extraTypesLength(), n.extraStringsLength());
            FlatArray s = p == null ? n.scalar() : null;
            if (s != null) {
                p = array("scalar of node " + i, s, size);
            }
        }
        return p;
    }

    /**
     * An array's shape information ({@code [rank, dims.., strides.., extras, ews, order]}) must be
     * consistent and its data must hold every element the dimensions and strides reach: ND4J's
     * native code copies the array by them without checking (a file that lies here crashed the
     * JVM with SIGSEGV in libnd4jcpu, found by fuzzing).
     */
    private static String array(String where, FlatArray a, int size) {
        String p = lengths(size, where, a.shapeLength(), a.bufferLength());
        if (p != null) {
            return p;
        }
        int n = a.shapeLength();
        long rank = n == 0 ? -1 : a.shape(0);
        if (rank < 0 || rank > MAX_RANK || n != 2 * rank + 4) {
            return "is damaged: the " + where + " has shape information of " + n + " values for rank " + rank;
        }
        DataType type;
        try {
            type = FlatBuffersMapper.getDataTypeFromByte(a.dtype());
        } catch (RuntimeException e) {
            type = null;
        }
        if (type == null || !(type.isNumerical() || type == DataType.BOOL) || type.width() <= 0) {
            return "is damaged: the " + where + " has data type " + (type == null ? "code " + a.dtype() : type)
                    + ", which a model does not use";
        }
        long lastOffset = 0;
        boolean empty = false;
        try {
            for (int axis = 0; axis < rank; axis++) {
                long dim = a.shape(1 + axis);
                long stride = a.shape(1 + (int) rank + axis);
                if (dim < 0 || stride < 0) {
                    return "is damaged: the " + where + " has a negative dimension or stride";
                }
                empty |= dim == 0;
                lastOffset = Math.addExact(lastOffset, Math.multiplyExact(Math.max(0, dim - 1), stride));
            }
            long needed = empty ? 0 : Math.multiplyExact(Math.addExact(lastOffset, 1), type.width());
            if (needed > a.bufferLength()) {
                return "is damaged: the " + where + " needs " + needed + " bytes of data but holds " + a.bufferLength();
            }
        } catch (ArithmeticException e) {
            return "is damaged: the " + where + " has dimensions and strides that overflow";
        }
        return null;
    }

    private static String lengths(int size, String where, int... lengths) {
        for (int length : lengths) {
            if (length < 0 || length > size) {
                return "is damaged: the " + where + " declares a list of " + length + " entries in a file of " + size
                        + " bytes";
            }
        }
        return null;
    }
}
