package dev.samvaad.agent;

import dev.samvaad.infer.GenerationOptions;
import java.util.Objects;

/**
 * How a {@link ConversationAgent} listens and answers.
 *
 * @param vad             how the end of the user's turn is found
 * @param generation      how the model picks codes (greedy by default, so answers are repeatable);
 *                        its {@code maxFrames}, when set, limits replies as well as {@code maxReplySeconds}
 * @param maxReplySeconds the longest reply; longer ones are cut (outcome {@link ReplyOutcome#LENGTH_CAPPED})
 * @param prerollMs       audio before the first voiced frame that is kept as part of the question,
 *                        so a soft onset is not lost
 * @param bargeIn         whether user speech during a reply stops it; turn it off where the
 *                        microphone hears the speaker and there is no echo cancellation
 * @param endOfTurn       when an agent with an end-of-turn predictor ends the user's turn (without
 *                        one, {@code vad}'s hangover does)
 */
public record AgentOptions(VadOptions vad, GenerationOptions generation, double maxReplySeconds, int prerollMs,
                           boolean bargeIn, EndOfTurnOptions endOfTurn) {

    /**
     * Checks the options.
     *
     * @param vad             how the end of the user's turn is found
     * @param generation      how the model picks codes
     * @param maxReplySeconds the longest reply, positive and finite
     * @param prerollMs       audio kept before the first voiced frame, ms, {@code >= 0}
     * @param bargeIn         whether user speech during a reply stops it
     * @param endOfTurn       when an agent with a predictor ends the user's turn
     * @throws IllegalArgumentException naming the bad option
     */
    public AgentOptions {
        Objects.requireNonNull(vad, "vad");
        Objects.requireNonNull(endOfTurn, "endOfTurn");
        Objects.requireNonNull(generation, "generation");
        if (!(maxReplySeconds > 0) || Double.isInfinite(maxReplySeconds)) {
            throw new IllegalArgumentException("maxReplySeconds must be positive and finite, got " + maxReplySeconds);
        }
        if (prerollMs < 0) {
            throw new IllegalArgumentException("prerollMs must be >= 0, got " + prerollMs);
        }
    }

    /**
     * {@return default VAD, greedy decoding, replies of at most 20 s, 300 ms pre-roll, barge-in on,
     * the predictor's own end-of-turn settings}
     */
    public static AgentOptions defaults() {
        return builder().build();
    }

    /** {@return a builder holding the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder holding these options} */
    public Builder toBuilder() {
        return new Builder().vad(vad).generation(generation).maxReplySeconds(maxReplySeconds).prerollMs(prerollMs)
                .bargeIn(bargeIn).endOfTurn(endOfTurn);
    }

    /** Builder; starts at {@link #defaults()}. */
    public static final class Builder {
        private VadOptions vad = VadOptions.defaults();
        private GenerationOptions generation = GenerationOptions.greedy();
        private double maxReplySeconds = 20;
        private int prerollMs = 300;
        private boolean bargeIn = true;
        private EndOfTurnOptions endOfTurn = EndOfTurnOptions.defaults();

        private Builder() {}

        /**
         * Sets {@link AgentOptions#endOfTurn() endOfTurn}.
         *
         * @param e the value
         * @return this builder
         */
        public Builder endOfTurn(EndOfTurnOptions e) {
            endOfTurn = e;
            return this;
        }

        /**
         * Sets {@link AgentOptions#vad() vad}.
         *
         * @param v the value
         * @return this builder
         */
        public Builder vad(VadOptions v) {
            vad = v;
            return this;
        }

        /**
         * Sets {@link AgentOptions#generation() generation}.
         *
         * @param g the value
         * @return this builder
         */
        public Builder generation(GenerationOptions g) {
            generation = g;
            return this;
        }

        /**
         * Sets {@link AgentOptions#maxReplySeconds() maxReplySeconds}.
         *
         * @param s the value
         * @return this builder
         */
        public Builder maxReplySeconds(double s) {
            maxReplySeconds = s;
            return this;
        }

        /**
         * Sets {@link AgentOptions#prerollMs() prerollMs}.
         *
         * @param ms the value
         * @return this builder
         */
        public Builder prerollMs(int ms) {
            prerollMs = ms;
            return this;
        }

        /**
         * Sets {@link AgentOptions#bargeIn() bargeIn}.
         *
         * @param on the value
         * @return this builder
         */
        public Builder bargeIn(boolean on) {
            bargeIn = on;
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options
         * @throws IllegalArgumentException naming the bad option
         */
        public AgentOptions build() {
            return new AgentOptions(vad, generation, maxReplySeconds, prerollMs, bargeIn, endOfTurn);
        }
    }
}
