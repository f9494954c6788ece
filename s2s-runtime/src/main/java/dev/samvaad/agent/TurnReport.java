package dev.samvaad.agent;

/**
 * One turn of a conversation: the user's question, the reply, and how long the reply took.
 *
 * <p>All times are measured from the <b>end of speech</b>: the moment the agent decided the user's
 * turn was over (after the silence it waited for, which is audio time, given as {@code hangoverMs},
 * and not counted in these latencies; {@link #perceivedLatencyMs()} adds it).
 *
 * @param turn                1-based turn number within the session
 * @param outcome             how the reply ended
 * @param questionCodes       the codes the model answered, {@code [Q][T]}
 * @param questionStartSample where the question starts in the session's audio, in samples at the codec's rate
 *                            (pre-roll included)
 * @param questionEndSample   where it ends (exclusive), same units
 * @param codecRate           the codec's sample rate
 * @param hangoverMs          audio time from the end of the last voiced frame to the end-of-speech decision:
 *                            the silence the agent waited for
 * @param replyCodes          the reply's codes, {@code [Q][T]}
 * @param replySamples        reply audio samples delivered
 * @param outputRate          sample rate of the reply audio
 * @param queueMs             end of speech -> the reply's worker started
 * @param encodeMs            the model's encoder over the question (with the cross-attention cache)
 * @param firstAudioMs        end of speech -> first reply audio handed to the listener; {@code NaN} without audio
 * @param totalMs             end of speech -> the reply ended
 * @param computeMs           time spent producing the reply, without the time inside the listener
 * @param rtf                 real-time factor: {@code computeMs} / duration of the reply audio; {@code NaN} without audio
 * @param endOfTurn           what ended the user's turn
 * @param endProbability      the predictor's probability that the user had finished, when it ended
 *                            the turn ({@link TurnEnd#PREDICTED}); else {@code NaN}
 * @param endOfTurnSample     where in the session's audio the turn was ended: the end of the frame
 *                            on which it was decided, samples at the codec's rate
 */
public record TurnReport(int turn, ReplyOutcome outcome, int[][] questionCodes, long questionStartSample,
                         long questionEndSample, int codecRate, double hangoverMs, int[][] replyCodes,
                         long replySamples, int outputRate, double queueMs, double encodeMs, double firstAudioMs,
                         double totalMs, double computeMs, double rtf, TurnEnd endOfTurn, double endProbability,
                         long endOfTurnSample) {

    /** {@return the question's length in codec frames} */
    public int questionFrames() {
        return questionCodes.length == 0 ? 0 : questionCodes[0].length;
    }

    /** {@return the reply's length in codec frames} */
    public int replyFrames() {
        return replyCodes.length == 0 ? 0 : replyCodes[0].length;
    }

    /** {@return the duration of the question audio (pre-roll included), seconds} */
    public double questionSeconds() {
        return (double) (questionEndSample - questionStartSample) / codecRate;
    }

    /**
     * {@return where the user's last voiced frame ended, seconds into the session's audio: the end
     * of turn less the silence waited}
     */
    public double lastVoicedSeconds() {
        return (double) endOfTurnSample / codecRate - hangoverMs / 1000;
    }

    /** {@return the duration of the reply audio delivered, seconds} */
    public double replySeconds() {
        return (double) replySamples / outputRate;
    }

    /**
     * {@return the latency the user perceives: from the end of their last voiced frame to the first
     * reply audio, the silence the agent waited for included ({@code hangoverMs + firstAudioMs});
     * {@code NaN} without audio}
     */
    public double perceivedLatencyMs() {
        return hangoverMs + firstAudioMs;
    }

    /** {@return whether any reply audio was delivered (then {@code firstAudioMs} and {@code rtf} are numbers)} */
    public boolean hasAudio() {
        return replySamples > 0;
    }
}
