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

    /** Greedy decoding with the default frame limit. */
    public static GenerationOptions greedy() {
        return builder().build();
    }

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

        public Builder temperature(float temperature) {
            this.temperature = temperature;
            return this;
        }

        public Builder topK(int topK) {
            this.topK = topK;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder maxFrames(int maxFrames) {
            this.maxFrames = maxFrames;
            return this;
        }

        public GenerationOptions build() {
            return new GenerationOptions(temperature, topK, seed, maxFrames);
        }
    }
}
