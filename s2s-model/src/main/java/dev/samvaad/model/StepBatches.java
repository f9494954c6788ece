package dev.samvaad.model;

import dev.samvaad.infer.FrameGroups;
import dev.samvaad.infer.ModelConfig;
import java.util.Arrays;

/**
 * Training batches in model steps ({@link FrameGroups}): G codec frames are one step. The answer's
 * layout per step: the labels are the answer's frames, then one EOS frame, then EOS frames to the
 * end of that step's group; the decoder input is a BOS step and then each label step but the last.
 */
public final class StepBatches {
    private StepBatches() {}

    /**
     * The step batch of a frame batch: sources grouped as by {@link FrameGroups#source} (a step is real when
     * its first frame is), answers as in the class comment. The label mask of a step is that of
     * its first frame. With G = 1 this is {@code frames} itself.
     *
     * @param c      the model's shape
     * @param frames a batch in frames: decoder input BOS then the answer, labels the answer then
     *               EOS, label mask 1 on the answer and its EOS
     * @return the batch in steps
     */
    public static TokenBatch grouped(ModelConfig c, TokenBatch frames) {
        int g = c.frameGroup();
        if (g == 1) {
            return frames;
        }
        int b = frames.size(), q = c.codebooks();
        int srcSteps = (frames.sourceFrames() + g - 1) / g;
        int tgtSteps = (frames.targetFrames() + g - 1) / g;
        int[][][] src = new int[b][][];
        float[][] srcMask = new float[b][srcSteps];
        int[][][] dec = new int[b][c.streams()][tgtSteps];
        int[][][] labels = new int[b][c.streams()][tgtSteps];
        float[][] labelMask = new float[b][tgtSteps];
        for (int r = 0; r < b; r++) {
            src[r] = padSteps(FrameGroups.source(c, frames.encoderInput()[r]), srcSteps, c.layout().pad());
            for (int s = 0; s < srcSteps; s++) {
                srcMask[r][s] = frames.encoderMask()[r][s * g];
            }
            int answerPlusEos = 0;
            for (float m : frames.labelMask()[r]) {
                answerPlusEos += m > 0 ? 1 : 0;
            }
            int steps = (answerPlusEos + g - 1) / g;
            for (int[] row : dec[r]) {
                Arrays.fill(row, c.layout().pad());
            }
            for (int[] row : labels[r]) {
                Arrays.fill(row, c.layout().pad());
            }
            for (int s = 0; s < steps; s++) {
                labelMask[r][s] = frames.labelMask()[r][s * g];
                for (int slot = 0; slot < g; slot++) {
                    int t = s * g + slot;
                    for (int k = 0; k < q; k++) {
                        int token = t < answerPlusEos ? frames.labels()[r][k][t] : c.layout().eos();
                        labels[r][slot * q + k][s] = token;
                        // The decoder input of step s is label step s - 1 (filled one iteration before).
                        dec[r][slot * q + k][s] = s == 0 ? c.layout().bos() : labels[r][slot * q + k][s - 1];
                    }
                }
            }
        }
        return new TokenBatch(src, srcMask, dec, labels, labelMask, frames.textInput(), frames.textLabels(),
                frames.textMask(), frames.intentLabels(), frames.questionSymbols());
    }

    private static int[][] padSteps(int[][] streams, int steps, int pad) {
        int[][] out = new int[streams.length][];
        for (int i = 0; i < streams.length; i++) {
            out[i] = Arrays.copyOf(streams[i], steps);
            Arrays.fill(out[i], streams[i].length, steps, pad);
        }
        return out;
    }
}
