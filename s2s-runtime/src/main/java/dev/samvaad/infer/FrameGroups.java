package dev.samvaad.infer;

/**
 * Grouped code modelling: G codec frames of Q codes are one model step of {@code G * Q} token
 * streams, stream {@code g * Q + q} being codebook {@code q} of the step's frame {@code g} (VALL-E
 * 2's grouped codes, Tacotron's reduction factor). Fewer steps make each decision count more in
 * the loss and make generation G times shorter.
 *
 * <p>The training batches in steps are {@code dev.samvaad.model.StepBatches}'s. A model with G = 1
 * sees exactly the frame layout.
 */
public final class FrameGroups {
    private FrameGroups() {}

    /**
     * The steps of a source: {@code [Q][T]} frames as {@code [G*Q][ceil(T/G)]}, the last step's
     * missing frames filled with PAD.
     *
     * @param c     the model's shape
     * @param codes {@code [Q][T]} codes
     * @return {@code [G*Q][ceil(T/G)]} tokens
     */
    public static int[][] source(ModelConfig c, int[][] codes) {
        int g = c.frameGroup(), q = c.codebooks(), frames = codes[0].length;
        int steps = (frames + g - 1) / g;
        int[][] out = new int[c.streams()][steps];
        for (int s = 0; s < steps; s++) {
            for (int slot = 0; slot < g; slot++) {
                int t = s * g + slot;
                for (int k = 0; k < q; k++) {
                    out[slot * q + k][s] = t < frames ? codes[k][t] : c.layout().pad();
                }
            }
        }
        return out;
    }

    /**
     * The step that holds the first {@code frames} frames: {@code ceil(frames / G)}.
     *
     * @param c      the model's shape
     * @param frames a number of frames
     * @return the number of steps
     */
    public static int steps(ModelConfig c, int frames) {
        return (frames + c.frameGroup() - 1) / c.frameGroup();
    }
}
