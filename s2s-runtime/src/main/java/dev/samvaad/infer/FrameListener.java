package dev.samvaad.infer;

/**
 * Receives each frame as soon as generation has decided it, so audio can be synthesised before
 * the whole answer exists. Called on the generating thread, in frame order.
 */
@FunctionalInterface
public interface FrameListener {

    /**
     * A frame was chosen.
     *
     * @param index 0-based index of the frame in the answer
     * @param codes the frame's Q codes, each in {@code [0, K)}; the listener may keep this array
     */
    void onFrame(int index, int[] codes);

    /** {@return a listener that ignores every frame} */
    static FrameListener none() {
        return (index, codes) -> { };
    }
}
