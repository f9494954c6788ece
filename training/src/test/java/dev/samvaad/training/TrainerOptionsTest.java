package dev.samvaad.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each out-of-range setting of {@link Trainer.Options} is refused by a message that names it alone. */
class TrainerOptionsTest {

    static Stream<Arguments> badSettings() {
        return Stream.of(
                bad(() -> options(-1, 16, 3e-3, 50, 20, 1.0, 0.3, 15, 10f, 0, 1.25, 0, 4), "epochs must be >= 1, got -1"),
                bad(() -> options(20, 0, 3e-3, 50, 20, 1.0, 0.3, 15, 10f, 0, 1.25, 0, 4), "batchSize must be >= 1, got 0"),
                bad(() -> options(20, 16, 0, 50, 20, 1.0, 0.3, 15, 10f, 0, 1.25, 0, 4),
                        "learningRate must be > 0 and finite, got 0.0"),
                bad(() -> options(20, 16, Double.NaN, 50, 20, 1.0, 0.3, 15, 10f, 0, 1.25, 0, 4),
                        "learningRate must be > 0 and finite, got NaN"),
                bad(() -> options(20, 16, 3e-3, -5, 20, 1.0, 0.3, 15, 10f, 0, 1.25, 0, 4), "warmupSteps must be >= 0, got -5"),
                bad(() -> options(20, 16, 3e-3, 50, 0, 1.0, 0.3, 15, 10f, 0, 1.25, 0, 4),
                        "checkpointEvery must be >= 1, got 0"),
                bad(() -> options(20, 16, 3e-3, 50, 20, -1, 0.3, 15, 10f, 0, 1.25, 0, 4),
                        "maxGradientNorm must be > 0, got -1.0"),
                bad(() -> options(20, 16, 3e-3, 50, 20, 1.0, 1, 15, 10f, 0, 1.25, 0, 4),
                        "decoderDropout must be in [0, 1), got 1.0"),
                bad(() -> options(20, 16, 3e-3, 50, 20, 1.0, 0.3, -2, 10f, 0, 1.25, 0, 4), "onsetFrames must be >= 0, got -2"),
                bad(() -> options(20, 16, 3e-3, 50, 20, 1.0, 0.3, 15, 0.5f, 0, 1.25, 0, 4),
                        "onsetWeight must be finite and >= 1, got 0.5"),
                bad(() -> options(20, 16, 3e-3, 50, 20, 1.0, 0.3, 15, Float.POSITIVE_INFINITY, 0, 1.25, 0, 4),
                        "onsetWeight must be finite and >= 1, got Infinity"),
                bad(() -> options(20, 16, 3e-3, 50, 20, 1.0, 0.3, 15, 10f, -0.1, 1.25, 0, 4),
                        "sourceDropout must be in [0, 1), got -0.1"),
                bad(() -> options(20, 16, 3e-3, 50, 20, 1.0, 0.3, 15, 10f, 0, 0.5, 0, 4), "sourceTempo must be in [1, 2], got 0.5"),
                bad(() -> options(20, 16, 3e-3, 50, 20, 1.0, 0.3, 15, 10f, 0, 1.25, 4, 4), "sourcePitch must be in [0, 3], got 4.0"),
                bad(() -> options(20, 16, 3e-3, 50, 20, 1.0, 0.3, 15, 10f, 0, 1.25, 0, -1),
                        "textOnsetTokens must be >= 0, got -1"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badSettings")
    void aBadSettingIsNamedAloneWithTheValueGiven(Supplier<Trainer.Options> options, String message) {
        assertThatThrownBy(options::get).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void theDefaultsOfTheTrainCommandAreAccepted() {
        Trainer.Options options = options(20, 16, 3e-3, 50, 20, 1.0, 0.3, 15, 10f, 0, 1.25, 0, 4);
        assertThat(options.epochs()).isEqualTo(20);
        assertThat(options.maxGradientNorm()).isEqualTo(1.0);
        // No clipping is a valid clipping norm.
        assertThat(options(1, 1, 1e-3, 0, 1, Double.POSITIVE_INFINITY, 0, 0, 1f, 0, 1, 0, 0).maxGradientNorm()).isInfinite();
    }

    private static Arguments bad(Supplier<Trainer.Options> options, String message) {
        return Arguments.of(options, message);
    }

    private static Trainer.Options options(int epochs, int batchSize, double learningRate, int warmupSteps,
            int checkpointEvery, double maxGradientNorm, double decoderDropout, int onsetFrames, float onsetWeight,
            double sourceDropout, double sourceTempo, double sourcePitch, int textOnsetTokens) {
        return new Trainer.Options(epochs, batchSize, learningRate, warmupSteps, 1, checkpointEvery, maxGradientNorm,
                decoderDropout, onsetFrames, onsetWeight, sourceDropout, true, sourceTempo, sourcePitch, textOnsetTokens);
    }
}
