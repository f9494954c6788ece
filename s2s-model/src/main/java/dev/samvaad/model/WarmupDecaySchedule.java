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

    /** The highest learning rate, reached at the end of the warm-up. */
    @JsonProperty
    private final double peak;
    /** Steps of linear warm-up. */
    @JsonProperty
    private final int warmupSteps;
    /** The step after which the rate is zero, minus one. */
    @JsonProperty
    private final int totalSteps;

    /**
     * A schedule; ND4J's JSON reads it back through this constructor.
     *
     * @param peak        the highest learning rate, positive
     * @param warmupSteps steps of linear warm-up, {@code >= 0}
     * @param totalSteps  the rate reaches zero at {@code totalSteps + 1}, {@code >= 1}
     * @throws IllegalArgumentException if a value is out of range
     */
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
