package dev.samvaad.training;

import java.nio.file.Path;

/**
 * What a {@link Trainer} run reports as it goes, so that a program embedding the trainer gets the
 * figures (progress, losses, validation, checkpoints) without parsing its log or its metrics CSV:
 *
 * <pre>{@code
 * trainer.run(Trainer.Start.NEW, null, new TrainingListener() {
 *     public void onEpoch(TrainingListener.Epoch e) {
 *         System.out.printf("epoch %d: validation loss %.3f%n", e.epoch(), e.validationLoss());
 *     }
 * });
 * }</pre>
 *
 * <p>Every method has an empty default; the trainer calls them on its own thread, in order, and
 * waits for each to return. An exception thrown by a method stops the run as any failure does:
 * the last checkpoint stays loadable and the run can be resumed.
 */
public interface TrainingListener {
    /** A listener that does nothing. */
    TrainingListener NONE = new TrainingListener() {};

    /**
     * After every optimiser step.
     *
     * @param step the step's figures
     */
    default void onStep(Step step) {}

    /**
     * After a checkpoint folder ({@code best/} or {@code last/}) was written.
     *
     * @param checkpoint what was written
     */
    default void onCheckpoint(CheckpointSaved checkpoint) {}

    /**
     * At the end of every epoch, once validation ran, the checkpoints were written and
     * {@code curves.png} was redrawn.
     *
     * @param epoch the epoch's figures
     */
    default void onEpoch(Epoch epoch) {}

    /**
     * One optimiser step.
     *
     * @param step            steps taken so far in the run, this one included (1 for the first)
     * @param totalSteps      steps the run takes in all
     * @param epoch           the epoch it belongs to, from 1
     * @param epochs          epochs the run takes in all
     * @param loss            the batch's training loss
     * @param learningRate    the learning rate the step used
     * @param gradientNorm    the global L2 norm of the gradients, before clipping
     * @param tokensPerSecond codes learned per second since the run (or its resumption) started
     */
    record Step(long step, long totalSteps, int epoch, int epochs, double loss, double learningRate,
            double gradientNorm, double tokensPerSecond) {}

    /**
     * A checkpoint written.
     *
     * @param kind   {@code BEST} for {@code best/}, {@code LAST} for the rolling {@code last/}
     * @param folder the checkpoint folder
     * @param step   the model's step
     */
    record CheckpointSaved(Kind kind, Path folder, long step) {
        /** Which of a run's two checkpoints. */
        public enum Kind {
            /** {@code best/}: the best model by validation so far. */
            BEST,
            /** {@code last/}: the rolling checkpoint a resumed run continues from. */
            LAST
        }
    }

    /**
     * One epoch, done.
     *
     * @param epoch               the epoch, from 1
     * @param epochs              epochs the run takes in all
     * @param step                steps taken so far in the run
     * @param trainLoss           the mean training loss of the epoch's steps (of those taken since a
     *                            resumption, when the run was resumed within the epoch)
     * @param validationLoss      the loss on the {@code val} split, {@code NaN} without one
     * @param validationAccuracy  the teacher-forced code accuracy on {@code val}, {@code NaN} without one
     * @param validationRetrieval free-running validation retrieval, {@code NaN} when not measured
     *                            (no codebooks known, or {@code best/} chosen by loss)
     * @param best                whether this epoch's model became {@code best/}
     * @param curves              the {@code curves.png} redrawn with the metrics so far
     */
    record Epoch(int epoch, int epochs, long step, double trainLoss, double validationLoss,
            double validationAccuracy, double validationRetrieval, boolean best, Path curves) {}
}
