package dev.samvaad.infer;

/**
 * How {@link FastDecoder.Session#generate} picks codes.
 *
 * @param temperature {@code 0} for greedy decoding; otherwise logits are divided by it before sampling
 * @param topK        sample only among the {@code topK} most likely tokens of each codebook; {@code 0} for all
 * @param seed        codebook {@code q} samples from a stream seeded with {@code seed + q}
 * @param maxFrames   most frames to generate; {@code 0} picks
 *                    {@code min(config.maxFrames - 1, 2 * sourceFrames + 20)}
 */
public record GenerationOptions(float temperature, int topK, long seed, int maxFrames) {

    /**
     * Checks the options.
     *
     * @param temperature {@code 0} for greedy decoding, else finite and positive
     * @param topK        {@code 0} for all tokens, else the number kept
     * @param seed        seed of codebook 0's sampler
     * @param maxFrames   most frames to generate, {@code 0} for the default
     * @throws IllegalArgumentException naming the bad option
     */
    public GenerationOptions {
        if (!(temperature >= 0f) || Float.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be finite and >= 0, got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("topK must be >= 0 (0 = all), got " + topK);
        }
        if (maxFrames < 0) {
            throw new IllegalArgumentException("maxFrames must be >= 0 (0 = default), got " + maxFrames);
        }
    }

    /** {@return greedy decoding with the default frame limit} */
    public static GenerationOptions greedy() {
        return builder().build();
    }

    /** {@return a builder: greedy, all tokens, seed 0, default frame limit} */
    public static Builder builder() {
        return new Builder();
    }

    /** Builder; starts greedy, all tokens, seed 0, default frame limit. */
    public static final class Builder {
        private float temperature;
        private int topK;
        private long seed;
        private int maxFrames;

        private Builder() {}

        /**
         * Sets {@link GenerationOptions#temperature() temperature}.
         *
         * @param temperature the value
         * @return this builder
         */
        public Builder temperature(float temperature) {
            this.temperature = temperature;
            return this;
        }

        /**
         * Sets {@link GenerationOptions#topK() topK}.
         *
         * @param topK the value
         * @return this builder
         */
        public Builder topK(int topK) {
            this.topK = topK;
            return this;
        }

        /**
         * Sets {@link GenerationOptions#seed() seed}.
         *
         * @param seed the value
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Sets {@link GenerationOptions#maxFrames() maxFrames}.
         *
         * @param maxFrames the value
         * @return this builder
         */
        public Builder maxFrames(int maxFrames) {
            this.maxFrames = maxFrames;
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options
         * @throws IllegalArgumentException naming the bad option
         */
        public GenerationOptions build() {
            return new GenerationOptions(temperature, topK, seed, maxFrames);
        }
    }
}
