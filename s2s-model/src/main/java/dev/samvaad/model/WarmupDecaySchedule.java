package dev.samvaad.model;

import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Learning rate rising linearly from near zero to {@code peak} over {@code warmupSteps}, then
 * falling linearly to zero at {@code totalSteps} + 1. Serialised with the SameDiff model (ND4J's
 * own RampSchedule cannot be read back in 1.0.0-M2.1), so a resumed run keeps its schedule.
 */
public final class WarmupDecaySchedule implements ISchedule {
    private static final long serialVersionUID = 1L;

    @JsonProperty
    private final double peak;
    @JsonProperty
    private final int warmupSteps;
    @JsonProperty
    private final int totalSteps;

    public WarmupDecaySchedule(@JsonProperty("peak") double peak, @JsonProperty("warmupSteps") int warmupSteps,
            @JsonProperty("totalSteps") int totalSteps) {
        if (!(peak > 0) || warmupSteps < 0 || totalSteps < 1) {
            throw new IllegalArgumentException("learning rate schedule needs peak > 0, warm-up >= 0, total >= 1; got "
                    + peak + ", " + warmupSteps + ", " + totalSteps);
        }
        this.peak = peak;
        this.warmupSteps = warmupSteps;
        this.totalSteps = totalSteps;
    }

    @Override
    public double valueAt(int iteration, int epoch) {
        if (iteration < warmupSteps) {
            return peak * (iteration + 1) / (warmupSteps + 1);
        }
        double remaining = (double) (totalSteps + 1 - iteration) / (totalSteps + 1 - warmupSteps);
        return peak * Math.max(0, Math.min(1, remaining));
    }

    @Override
    public ISchedule clone() {
        return new WarmupDecaySchedule(peak, warmupSteps, totalSteps);
    }
}
