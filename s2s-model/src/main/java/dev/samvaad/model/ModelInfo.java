package dev.samvaad.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What model.json records besides the hyperparameters.
 *
 * @param task             {@code "conversation"} or {@code "reconstruction"}
 * @param codecFingerprint the codec whose codes the model reads and writes
 * @param step             optimiser steps taken
 * @param metrics          latest validation metrics (e.g. loss, accuracy), may be empty
 * @param trainer          the trainer's resume state (epoch, batch, ...), may be empty
 */
public record ModelInfo(String task, String codecFingerprint, long step, Map<String, Double> metrics,
        Map<String, Object> trainer) {
    /**
     * Copies the maps; {@code null} maps become empty.
     *
     * @param task             {@code "conversation"} or {@code "reconstruction"}
     * @param codecFingerprint the codec whose codes the model reads and writes
     * @param step             optimiser steps taken
     * @param metrics          latest validation metrics, or {@code null}
     * @param trainer          the trainer's resume state, or {@code null}
     * @throws IllegalArgumentException if the task or the fingerprint is blank
     */
    public ModelInfo {
        if (task == null || task.isBlank() || codecFingerprint == null || codecFingerprint.isBlank()) {
            throw new IllegalArgumentException("a model needs a task and a codec fingerprint");
        }
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
        trainer = trainer == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(trainer));
    }

    /**
     * A record without trainer state.
     *
     * @param task             {@code "conversation"} or {@code "reconstruction"}
     * @param codecFingerprint the codec whose codes the model reads and writes
     * @param step             optimiser steps taken
     * @param metrics          latest validation metrics, or {@code null}
     */
    public ModelInfo(String task, String codecFingerprint, long step, Map<String, Double> metrics) {
        this(task, codecFingerprint, step, metrics, Map.of());
    }
}
