package dev.samvaad.agent;

import java.util.Objects;

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
 * @see #builder()
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

    /** {@return a builder for a report, every field set by name} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds a {@link TurnReport} by naming each field. Codes and the two enums must be set; the
     * rates must be positive; {@code firstAudioMs}, {@code rtf} and {@code endProbability} are
     * {@code NaN} until set, other numbers 0.
     */
    public static final class Builder {
        private int turn;
        private ReplyOutcome outcome;
        private int[][] questionCodes;
        private long questionStartSample;
        private long questionEndSample;
        private int codecRate;
        private double hangoverMs;
        private int[][] replyCodes;
        private long replySamples;
        private int outputRate;
        private double queueMs;
        private double encodeMs;
        private double firstAudioMs = Double.NaN;
        private double totalMs;
        private double computeMs;
        private double rtf = Double.NaN;
        private TurnEnd endOfTurn;
        private double endProbability = Double.NaN;
        private long endOfTurnSample;

        private Builder() {}

        /**
         * Sets {@link TurnReport#turn() turn}.
         *
         * @param value the 1-based turn number
         * @return this builder
         */
        public Builder turn(int value) {
            turn = value;
            return this;
        }

        /**
         * Sets {@link TurnReport#outcome() outcome}.
         *
         * @param value how the reply ended
         * @return this builder
         */
        public Builder outcome(ReplyOutcome value) {
            outcome = value;
            return this;
        }

        /**
         * Sets {@link TurnReport#questionCodes() questionCodes}.
         *
         * @param value the codes the model answered, {@code [Q][T]}
         * @return this builder
         */
        public Builder questionCodes(int[][] value) {
            questionCodes = value;
            return this;
        }

        /**
         * Sets {@link TurnReport#questionStartSample() questionStartSample}.
         *
         * @param value where the question starts, samples at the codec's rate
         * @return this builder
         */
        public Builder questionStartSample(long value) {
            questionStartSample = value;
            return this;
        }

        /**
         * Sets {@link TurnReport#questionEndSample() questionEndSample}.
         *
         * @param value where the question ends (exclusive), samples at the codec's rate
         * @return this builder
         */
        public Builder questionEndSample(long value) {
            questionEndSample = value;
            return this;
        }

        /**
         * Sets {@link TurnReport#codecRate() codecRate}.
         *
         * @param value the codec's sample rate
         * @return this builder
         */
        public Builder codecRate(int value) {
            codecRate = value;
            return this;
        }

        /**
         * Sets {@link TurnReport#hangoverMs() hangoverMs}.
         *
         * @param value the silence the agent waited for, ms
         * @return this builder
         */
        public Builder hangoverMs(double value) {
            hangoverMs = value;
            return this;
        }

        /**
         * Sets {@link TurnReport#replyCodes() replyCodes}.
         *
         * @param value the reply's codes, {@code [Q][T]}
         * @return this builder
         */
        public Builder replyCodes(int[][] value) {
            replyCodes = value;
            return this;
        }

        /**
         * Sets {@link TurnReport#replySamples() replySamples}.
         *
         * @param value reply audio samples delivered
         * @return this builder
         */
        public Builder replySamples(long value) {
            replySamples = value;
            return this;
        }

        /**
         * Sets {@link TurnReport#outputRate() outputRate}.
         *
         * @param value the sample rate of the reply audio
         * @return this builder
         */
        public Builder outputRate(int value) {
            outputRate = value;
            return this;
        }

        /**
         * Sets {@link TurnReport#queueMs() queueMs}.
         *
         * @param value end of speech -> the reply's worker started, ms
         * @return this builder
         */
        public Builder queueMs(double value) {
            queueMs = value;
            return this;
        }

        /**
         * Sets {@link TurnReport#encodeMs() encodeMs}.
         *
         * @param value the encoder's time over the question, ms
         * @return this builder
         */
        public Builder encodeMs(double value) {
            encodeMs = value;
            return this;
        }

        /**
         * Sets {@link TurnReport#firstAudioMs() firstAudioMs}.
         *
         * @param value end of speech -> first reply audio, ms; {@code NaN} without audio
         * @return this builder
         */
        public Builder firstAudioMs(double value) {
            firstAudioMs = value;
            return this;
        }

        /**
         * Sets {@link TurnReport#totalMs() totalMs}.
         *
         * @param value end of speech -> the reply ended, ms
         * @return this builder
         */
        public Builder totalMs(double value) {
            totalMs = value;
            return this;
        }

        /**
         * Sets {@link TurnReport#computeMs() computeMs}.
         *
         * @param value time spent producing the reply, ms
         * @return this builder
         */
        public Builder computeMs(double value) {
            computeMs = value;
            return this;
        }

        /**
         * Sets {@link TurnReport#rtf() rtf}.
         *
         * @param value the real-time factor; {@code NaN} without audio
         * @return this builder
         */
        public Builder rtf(double value) {
            rtf = value;
            return this;
        }

        /**
         * Sets {@link TurnReport#endOfTurn() endOfTurn}.
         *
         * @param value what ended the user's turn
         * @return this builder
         */
        public Builder endOfTurn(TurnEnd value) {
            endOfTurn = value;
            return this;
        }

        /**
         * Sets {@link TurnReport#endProbability() endProbability}.
         *
         * @param value the predictor's probability when it ended the turn, else {@code NaN}
         * @return this builder
         */
        public Builder endProbability(double value) {
            endProbability = value;
            return this;
        }

        /**
         * Sets {@link TurnReport#endOfTurnSample() endOfTurnSample}.
         *
         * @param value where the turn was ended, samples at the codec's rate
         * @return this builder
         */
        public Builder endOfTurnSample(long value) {
            endOfTurnSample = value;
            return this;
        }

        /**
         * Builds the report.
         *
         * @return the report
         * @throws NullPointerException naming a field that is not set: the codes, {@code outcome} or {@code endOfTurn}
         * @throws IllegalArgumentException if a rate is not positive
         */
        public TurnReport build() {
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(endOfTurn, "endOfTurn");
            Objects.requireNonNull(questionCodes, "questionCodes");
            Objects.requireNonNull(replyCodes, "replyCodes");
            if (codecRate <= 0 || outputRate <= 0) {
                throw new IllegalArgumentException("rates must be positive, got codecRate " + codecRate
                        + " and outputRate " + outputRate);
            }
            return new TurnReport(turn, outcome, questionCodes, questionStartSample, questionEndSample, codecRate,
                    hangoverMs, replyCodes, replySamples, outputRate, queueMs, encodeMs, firstAudioMs, totalMs,
                    computeMs, rtf, endOfTurn, endProbability, endOfTurnSample);
        }
    }
}
