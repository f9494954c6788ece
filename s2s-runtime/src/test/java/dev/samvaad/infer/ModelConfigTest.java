package dev.samvaad.infer;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * model.json's "config" object and weights.smvd's "model" object are a {@link ModelConfig} as
     * Jackson writes it: a method added to the record must not add a property to files already written.
     */
    @Test
    void jacksonWritesTheRecordComponentsOnly() throws Exception {
        ModelConfig config = new ModelConfig(2, 16, 8, 2, 1, 1, 16, 32, 2, true, List.of("a", "b"), true,
                List.of("greet", "bye"), 4, true, true, List.of("x"), true, true);
        assertThat(JSON.writeValueAsString(config)).isEqualTo(
                "{\"codebooks\":2,\"codebookSize\":16,\"dModel\":8,\"heads\":2,\"encoderLayers\":1,\"decoderLayers\":1,"
                + "\"ffDim\":16,\"maxFrames\":32,\"frameGroup\":2,\"sourceNorm\":true,\"textSymbols\":[\"a\",\"b\"],\"summary\":true,"
                + "\"intents\":[\"greet\",\"bye\"],\"sourceFeatures\":4,\"maxPool\":true,\"intentSummary\":true,"
                + "\"questionSymbols\":[\"x\"],\"bagIntent\":true,\"codesReadTextOnly\":true}");
    }

    @Test
    void theTokensOfEachCodebookAreThoseOfItsCodeLayout() {
        ModelConfig config = new ModelConfig(3, 16, 8, 2, 1, 1, 16, 32);
        assertThat(config.layout()).isEqualTo(new dev.samvaad.codec.CodeLayout(3, 16));
        assertThat(List.of(config.layout().pad(), config.layout().bos(), config.layout().eos(), config.layout().vocabulary())).containsExactly(16, 17, 18, 19);
        assertThatThrownBy(() -> new ModelConfig(1, Integer.MAX_VALUE - 2, 8, 2, 1, 1, 16, 32))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("codebook size");
    }
}
