package dev.samvaad.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/** The pairs a task (or, added up, a job) could not make: all counted, the first few listed. */
final class Failures implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Failures listed with their reasons; the rest are counted. */
    static final int MAX_LISTED = 1000;

    private int count;
    private final List<PairFailure> listed = new ArrayList<>();

    void add(PairFailure failure) {
        count++;
        if (listed.size() < MAX_LISTED) {
            listed.add(failure);
        }
    }

    void addAll(Failures other) {
        count += other.count - other.listed.size();
        other.listed.forEach(this::add);
    }

    int count() {
        return count;
    }

    List<PairFailure> listed() {
        return List.copyOf(listed);
    }

    /** {@code "failed: N"} and the listed failures, a line each, for a result's console lines. */
    static String lines(int failed, List<PairFailure> listed) {
        StringBuilder out = new StringBuilder(String.format("failed: %d", failed));
        for (PairFailure f : listed) {
            out.append(System.lineSeparator()).append("  ").append(f);
        }
        if (failed > listed.size()) {
            out.append(String.format("%n  ... and %d more", failed - listed.size()));
        }
        return out.toString();
    }
}
