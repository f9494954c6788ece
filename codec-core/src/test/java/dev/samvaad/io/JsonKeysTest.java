package dev.samvaad.io;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonKeysTest {
    @Test
    void snakeCaseKeysOfEarlierBuildsBecomeCamelCaseAndBack() {
        for (String[] pair : new String[][] {{"codec_fingerprint", "codecFingerprint"}, {"best_val_loss", "bestValLoss"},
                {"first_audio_p50_ms", "firstAudioP50Ms"}, {"num_pairs", "numPairs"}, {"x_realtime", "xRealtime"},
                {"median_s", "medianS"}, {"rtf_p95", "rtfP95"}}) {
            assertThat(JsonKeys.camelCase(pair[0])).isEqualTo(pair[1]);
            assertThat(JsonKeys.snakeCase(pair[1])).isEqualTo(pair[0]);
        }
        assertThat(JsonKeys.camelCase("step")).isEqualTo("step");
        assertThat(JsonKeys.camelCase("codebookSize")).isEqualTo("codebookSize");
        assertThat(JsonKeys.snakeCase("step")).isEqualTo("step");
    }

    @Test
    void mapKeysAreConvertedInOrderAndTheCamelCaseSpellingWinsWhenBothArePresent() {
        Map<String, Object> old = new LinkedHashMap<>();
        old.put("epoch", 2);
        old.put("best_val_loss", 1.5);
        old.put("bestValLoss", 1.25);
        old.put("best_val_retrieval", 0.5);

        assertThat(JsonKeys.camelCaseKeys(old)).containsExactly(Map.entry("epoch", 2), Map.entry("bestValLoss", 1.25),
                Map.entry("bestValRetrieval", 0.5));
        assertThat(JsonKeys.camelCaseKeys(null)).isEmpty();
    }

    @Test
    void aFieldIsFoundUnderEitherSpelling() throws Exception {
        JsonNode old = new ObjectMapper().readTree("{\"codec_fingerprint\": \"codec-a\", \"step\": 3}");
        JsonNode now = new ObjectMapper().readTree("{\"codecFingerprint\": \"codec-b\", \"codec_fingerprint\": \"x\"}");

        assertThat(JsonKeys.path(old, "codecFingerprint").asText()).isEqualTo("codec-a");
        assertThat(JsonKeys.path(now, "codecFingerprint").asText()).isEqualTo("codec-b");
        assertThat(JsonKeys.path(old, "step").asInt()).isEqualTo(3);
        assertThat(JsonKeys.path(old, "missingKey").isMissingNode()).isTrue();
    }
}
