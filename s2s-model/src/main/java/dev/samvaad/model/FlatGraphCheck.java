package dev.samvaad.model;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.nd4j.graph.FlatArray;
import org.nd4j.graph.FlatGraph;
import org.nd4j.graph.FlatNode;
import org.nd4j.graph.FlatVariable;

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
                p = lengths(size, "array of variable " + i, a.shapeLength(), a.bufferLength());
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
                p = lengths(size, "scalar of node " + i, s.shapeLength(), s.bufferLength());
            }
        }
        return p;
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
