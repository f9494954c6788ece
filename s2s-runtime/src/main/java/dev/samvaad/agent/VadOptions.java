package dev.samvaad.agent;

/**
 * How the agent's energy voice activity detector tells speech from silence.
 *
 * <p>A frame is voiced when its energy reaches {@code max(thresholdDb, noise floor + marginDb)};
 * the noise floor is the quietest frame of the last {@code noiseWindowMs}, so a steady fan or
 * hum raises the bar instead of counting as speech.
 *
 * @param frameMs        analysis frame, ms
 * @param thresholdDb    lowest frame energy that counts as speech, dB relative to full scale
 *                       (a full-scale sine is -3 dBFS)
 * @param marginDb       how far above the noise floor speech must be, dB
 * @param initialNoiseDb noise floor assumed before any audio is heard, dBFS; a quiet room
 * @param noiseWindowMs  how long the noise floor remembers a quiet frame; {@code 0} turns the
 *                       adaptive floor off (only {@code thresholdDb} counts)
 * @param hangoverMs     silence that ends a turn: the user may pause this long mid-sentence
 * @param minSpeechMs    voiced audio needed before a turn starts, so clicks and coughs do not
 *                       start one
 */
public record VadOptions(int frameMs, double thresholdDb, double marginDb, double initialNoiseDb,
                         int noiseWindowMs, int hangoverMs, int minSpeechMs) {

    /**
     * Checks the options.
     *
     * @param frameMs        analysis frame, ms, 5..100
     * @param thresholdDb    lowest frame energy that counts as speech, dBFS
     * @param marginDb       how far above the noise floor speech must be, dB, {@code >= 0}
     * @param initialNoiseDb noise floor assumed before any audio is heard, dBFS
     * @param noiseWindowMs  how long the noise floor remembers a quiet frame, {@code >= 0}
     * @param hangoverMs     silence that ends a turn, at least one frame
     * @param minSpeechMs    voiced audio needed before a turn starts, at least one frame
     * @throws IllegalArgumentException naming the bad option
     */
    public VadOptions {
        if (frameMs < 5 || frameMs > 100) {
            throw new IllegalArgumentException("frameMs must be 5..100, got " + frameMs);
        }
        if (!Double.isFinite(thresholdDb) || !Double.isFinite(marginDb) || marginDb < 0
                || !Double.isFinite(initialNoiseDb)) {
            throw new IllegalArgumentException("thresholdDb, initialNoiseDb must be finite and marginDb >= 0, got "
                    + thresholdDb + ", " + initialNoiseDb + ", " + marginDb);
        }
        if (noiseWindowMs < 0) {
            throw new IllegalArgumentException("noiseWindowMs must be >= 0 (0 = no adaptive floor), got " + noiseWindowMs);
        }
        if (hangoverMs < frameMs || minSpeechMs < frameMs) {
            throw new IllegalArgumentException("hangoverMs and minSpeechMs must be at least one frame (" + frameMs
                    + " ms), got " + hangoverMs + " and " + minSpeechMs);
        }
    }

    /** {@return 20 ms frames, -45 dBFS, 10 dB over a 3 s noise floor, 300 ms hangover, 120 ms minimum speech} */
    public static VadOptions defaults() {
        return builder().build();
    }

    /** {@return a builder holding the defaults} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return a builder holding these options} */
    public Builder toBuilder() {
        return new Builder().frameMs(frameMs).thresholdDb(thresholdDb).marginDb(marginDb)
                .initialNoiseDb(initialNoiseDb).noiseWindowMs(noiseWindowMs).hangoverMs(hangoverMs)
                .minSpeechMs(minSpeechMs);
    }

    /** Builder; starts at {@link #defaults()}. */
    public static final class Builder {
        private int frameMs = 20;
        private double thresholdDb = -45;
        private double marginDb = 10;
        private double initialNoiseDb = -60;
        private int noiseWindowMs = 3000;
        private int hangoverMs = 300;
        private int minSpeechMs = 120;

        private Builder() {}

        /**
         * Sets {@link VadOptions#frameMs() frameMs}.
         *
         * @param v the value
         * @return this builder
         */
        public Builder frameMs(int v) {
            frameMs = v;
            return this;
        }

        /**
         * Sets {@link VadOptions#thresholdDb() thresholdDb}.
         *
         * @param v the value
         * @return this builder
         */
        public Builder thresholdDb(double v) {
            thresholdDb = v;
            return this;
        }

        /**
         * Sets {@link VadOptions#marginDb() marginDb}.
         *
         * @param v the value
         * @return this builder
         */
        public Builder marginDb(double v) {
            marginDb = v;
            return this;
        }

        /**
         * Sets {@link VadOptions#initialNoiseDb() initialNoiseDb}.
         *
         * @param v the value
         * @return this builder
         */
        public Builder initialNoiseDb(double v) {
            initialNoiseDb = v;
            return this;
        }

        /**
         * Sets {@link VadOptions#noiseWindowMs() noiseWindowMs}.
         *
         * @param v the value
         * @return this builder
         */
        public Builder noiseWindowMs(int v) {
            noiseWindowMs = v;
            return this;
        }

        /**
         * Sets {@link VadOptions#hangoverMs() hangoverMs}.
         *
         * @param v the value
         * @return this builder
         */
        public Builder hangoverMs(int v) {
            hangoverMs = v;
            return this;
        }

        /**
         * Sets {@link VadOptions#minSpeechMs() minSpeechMs}.
         *
         * @param v the value
         * @return this builder
         */
        public Builder minSpeechMs(int v) {
            minSpeechMs = v;
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options
         * @throws IllegalArgumentException naming the bad option
         */
        public VadOptions build() {
            return new VadOptions(frameMs, thresholdDb, marginDb, initialNoiseDb, noiseWindowMs, hangoverMs, minSpeechMs);
        }
    }
}
