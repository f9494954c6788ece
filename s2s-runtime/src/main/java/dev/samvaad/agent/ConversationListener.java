package dev.samvaad.agent;

/**
 * What a {@link ConversationSession} tells its user. Turns are numbered from 1 per session; the
 * reply of turn {@code n} answers the user's turn {@code n}.
 *
 * <p>{@link #onSpeechStart}, {@link #onSpeechEnd} and {@link #onBargeIn} are called on the thread
 * that pushes audio; {@link #onAudio}, {@link #onReply} and {@link #onError} on the thread that
 * generates the reply (the same one with a synchronous session). Time spent in {@link #onAudio}
 * (e.g. a blocking write to a speaker) delays the rest of the reply but is not counted as
 * processing time in the real-time factor.
 */
public interface ConversationListener {

    /**
     * Reply audio, as soon as the codec decoder produced it.
     *
     * @param turn the turn the reply answers
     * @param pcm  the next samples of the reply, mono at the session's output rate
     */
    default void onAudio(int turn, float[] pcm) {}

    /**
     * The user started speaking (after the minimum speech length).
     *
     * @param turn the user's turn now starting
     */
    default void onSpeechStart(int turn) {}

    /**
     * The user's turn ended.
     *
     * @param turn          the turn that ended
     * @param questionCodes what the model will answer, {@code [Q][T]}
     */
    default void onSpeechEnd(int turn, int[][] questionCodes) {}

    /**
     * The user spoke during the reply of {@code turn}, which is being stopped: a player should drop
     * the audio it still holds. The reply then ends with {@link ReplyOutcome#BARGED_IN}.
     *
     * @param turn the turn whose reply is being stopped
     */
    default void onBargeIn(int turn) {}

    /**
     * A reply ended, however it ended.
     *
     * @param report the turn's codes, outcome and timings
     */
    default void onReply(TurnReport report) {}

    /**
     * The reply of {@code turn} failed; {@link #onReply} follows with {@link ReplyOutcome#FAILED}.
     *
     * @param turn  the turn whose reply failed
     * @param error what went wrong
     */
    default void onError(int turn, RuntimeException error) {}
}
