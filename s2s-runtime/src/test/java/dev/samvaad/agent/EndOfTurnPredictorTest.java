package dev.samvaad.agent;

import dev.samvaad.codec.CodecTrainer;
import dev.samvaad.codec.RvqCodec;
import dev.samvaad.io.CheckpointException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.samvaad.agent.AgentFixtures.codec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The predictor's checkpoint: versioned, checksummed, bound to its codec; and its arithmetic. */
class EndOfTurnPredictorTest {

    @TempDir
    Path dir;

    /** A predictor with random weights and a hidden layer, for the given codec. */
    static EndOfTurnPredictor random(RvqCodec codec, long seed, int hidden) {
        SplittableRandom rng = new SplittableRandom(seed);
        int f = TurnFeatures.SIZE;
        float[] mean = new float[f];
        float[] scale = new float[f];
        float[] w1 = new float[hidden * f];
        float[] b1 = new float[hidden];
        float[] w2 = new float[hidden == 0 ? f : hidden];
        for (int i = 0; i < f; i++) {
            mean[i] = (float) rng.nextGaussian();
            scale[i] = (float) (0.5 + rng.nextDouble());
        }
        for (float[] a : new float[][] {w1, b1, w2}) {
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) (0.3 * rng.nextGaussian());
            }
        }
        EndOfTurnPredictor.Config config = new EndOfTurnPredictor.Config(codec.fingerprint(), TurnFeatures.VERSION, f,
                hidden, 0.7, 100, Map.of("seed", Long.toString(seed)));
        return new EndOfTurnPredictor(codec, config, mean, scale, w1, b1, w2, 0.25f);
    }

    private static float[] features(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[TurnFeatures.SIZE];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        return x;
    }

    @Test
    void aSavedPredictorLoadsBackWithTheSameWeightsAndAnswers() {
        EndOfTurnPredictor p = random(codec(), 3, 8);
        Path file = dir.resolve("eot.smvd");
        p.save(file);
        EndOfTurnPredictor back = EndOfTurnPredictor.load(file, codec());
        assertThat(back).isEqualTo(p);
        assertThat(back.config()).isEqualTo(p.config());
        for (int i = 0; i < 5; i++) {
            float[] x = features(i);
            assertThat(back.probability(x)).isEqualTo(p.probability(x)).isBetween(0.0, 1.0);
        }
        // A different predictor gives different answers: the test above can fail.
        assertThat(random(codec(), 4, 8).probability(features(0))).isNotEqualTo(p.probability(features(0)));
    }

    @Test
    void aPredictorWrittenWithTheSnakeCaseKeysOfEarlierBuildsLoadsTheSame() throws IOException {
        EndOfTurnPredictor p = random(codec(), 3, 8);
        Path file = dir.resolve("eot.smvd");
        p.save(file);
        dev.samvaad.io.Checkpoint cp = dev.samvaad.io.CheckpointFile.read(file);
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        Map<String, Object> snake = new java.util.LinkedHashMap<>();
        json.readValue(cp.configJson(), Map.class).forEach((k, v) -> snake.put(dev.samvaad.io.JsonKeys.snakeCase((String) k), v));
        assertThat(snake).containsKeys("codec_fingerprint", "feature_size", "min_silence_ms");
        Path old = dir.resolve("old.smvd");
        dev.samvaad.io.CheckpointFile.write(old, new dev.samvaad.io.Checkpoint(cp.kind(), cp.kindVersion(),
                json.writeValueAsString(snake), cp.arrays()));
        EndOfTurnPredictor back = EndOfTurnPredictor.load(old, codec());
        assertThat(back.config()).isEqualTo(p.config());
        assertThat(back).isEqualTo(p);
    }

    @Test
    void theProbabilityIsTheNetworkWrittenOut() {
        // No hidden layer: a logistic regression over the standardised features.
        EndOfTurnPredictor p = random(codec(), 5, 0);
        float[][] w = p.weights();
        float[] x = features(9);
        double logit = w[5][0];
        for (int i = 0; i < x.length; i++) {
            logit += w[4][i] * (x[i] - w[0][i]) / w[1][i];
        }
        assertThat(p.probability(x)).isCloseTo(1 / (1 + Math.exp(-logit)), org.assertj.core.api.Assertions.within(1e-6));
        assertThatThrownBy(() -> p.probability(new float[3])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected " + TurnFeatures.SIZE + " features, got 3");
    }

    @Test
    void aDamagedFileIsRefusedNamingIt() throws IOException {
        Path file = dir.resolve("eot.smvd");
        random(codec(), 3, 4).save(file);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(file, bytes);
        assertThatThrownBy(() -> EndOfTurnPredictor.load(file, codec())).isInstanceOf(CheckpointException.class)
                .hasMessageStartingWith(file.toString()).hasMessageContaining("checksum");
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 3));
        assertThatThrownBy(() -> EndOfTurnPredictor.load(file, codec())).isInstanceOf(CheckpointException.class)
                .hasMessageStartingWith(file.toString());
        assertThatThrownBy(() -> EndOfTurnPredictor.load(dir.resolve("missing.smvd"), codec()))
                .isInstanceOf(CheckpointException.class).hasMessageContaining("missing.smvd");
    }

    @Test
    void aPredictorForAnotherCodecIsRefusedNamingTheFileAndBothCodecs() {
        Path file = dir.resolve("eot.smvd");
        random(codec(), 3, 4).save(file);
        RvqCodec other = CodecTrainer.trainOnSignals(List.of(AgentFixtures.tone(200, 0.8, 0.3, 16_000, 9),
                AgentFixtures.tone(330, 0.8, 0.3, 16_000, 10)), CodecTrainer.Options.defaults().withCodebooks(2, 16)
                .withIterations(2).withSeed(2));
        assertThat(other.fingerprint()).isNotEqualTo(codec().fingerprint());
        assertThatThrownBy(() -> EndOfTurnPredictor.load(file, other)).isInstanceOf(CheckpointException.class)
                .hasMessageStartingWith(file.toString())
                .hasMessageContaining(codec().fingerprint(), other.fingerprint(), "train-turns");
        // The agent refuses one too.
        assertThatThrownBy(() -> new ConversationAgent(other, AgentFixtures.model(1, 0), AgentOptions.defaults(), null,
                random(codec(), 3, 4))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(codec().fingerprint());
    }

    @Test
    void aCheckpointOfAnotherKindIsRefusedNamingTheFile() {
        Path file = dir.resolve("codec.smvd");
        codec().save(file);
        assertThatThrownBy(() -> EndOfTurnPredictor.load(file, codec())).isInstanceOf(CheckpointException.class)
                .hasMessageStartingWith(file.toString()).hasMessageContaining("end-of-turn");
    }

    @Test
    void weightsThatCannotMakeAPredictorAreRefused() {
        int f = TurnFeatures.SIZE;
        EndOfTurnPredictor.Config config = new EndOfTurnPredictor.Config(codec().fingerprint(), TurnFeatures.VERSION, f,
                0, 0.5, 100, null);
        float[] ones = new float[f];
        java.util.Arrays.fill(ones, 1);
        float[] nan = ones.clone();
        nan[3] = Float.NaN;
        assertThatThrownBy(() -> new EndOfTurnPredictor(codec(), config, new float[f], ones, new float[0], new float[0],
                nan, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("w2");
        assertThatThrownBy(() -> new EndOfTurnPredictor(codec(), config, new float[f], new float[f], new float[0],
                new float[0], ones, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("feature_scale");
        EndOfTurnPredictor.Config other = new EndOfTurnPredictor.Config(codec().fingerprint(), "some-other-features/9",
                f, 0, 0.5, 100, null);
        assertThatThrownBy(() -> new EndOfTurnPredictor(codec(), other, new float[f], ones, new float[0], new float[0],
                ones, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("some-other-features/9");
    }
}
