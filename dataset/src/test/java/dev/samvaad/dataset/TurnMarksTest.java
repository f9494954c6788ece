package dev.samvaad.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The turn-taking marks of meta.json: read, written, checked. */
class TurnMarksTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static PairMeta meta(Object turn) {
        Map<String, Object> generator = new LinkedHashMap<>();
        generator.put("seed", 1);
        if (turn != null) {
            generator.put(TurnMarks.KEY, turn);
        }
        return new PairMeta("q", "a", "i", "v", Split.TEST_VOICE, Map.of(), generator);
    }

    @Test
    void marksWrittenToMetaJsonReadBackTheSame() throws Exception {
        TurnMarks marks = new TurnMarks(0.4, 2.9, 2.95, List.of(new TurnMarks.Pause(1.2, 1.7), new TurnMarks.Pause(2.0, 2.2)),
                List.of("a,", "b,", "c"));
        // Through a real meta.json round trip, as the generator writes it and the corpus reads it.
        String text = JSON.writeValueAsString(meta(marks.toJson()));
        TurnMarks back = TurnMarks.of(JSON.readValue(text, PairMeta.class)).orElseThrow();
        assertThat(back).isEqualTo(marks);
        assertThat(back.longestPauseMs()).isCloseTo(500, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(text).contains("\"speechEndS\":2.9", "\"pausesS\":[[1.2,1.7],[2.0,2.2]]");
        // A pair without them has none; older marks without a tail end get the speech end.
        assertThat(TurnMarks.of(meta(null))).isEmpty();
        Map<String, Object> old = new LinkedHashMap<>(marks.toJson());
        old.remove("tailEndS");
        assertThat(TurnMarks.of(meta(old)).orElseThrow().tailEndSeconds()).isEqualTo(2.9);
        // Marks written in the snake_case keys of earlier builds read the same.
        Map<String, Object> snake = new LinkedHashMap<>();
        marks.toJson().forEach((k, v) -> snake.put(dev.samvaad.io.JsonKeys.snakeCase(k), v));
        assertThat(snake).containsKey("speech_end_s");
        assertThat(TurnMarks.of(meta(snake)).orElseThrow()).isEqualTo(marks);
    }

    @Test
    void marksOutOfOrderAreRefusedSayingWhatIsWrong() {
        assertThatThrownBy(() -> new TurnMarks(1.0, 0.5, null, null, null)).hasMessageContaining("speech must end after it starts");
        assertThatThrownBy(() -> new TurnMarks(0.1, 2.0, null, List.of(new TurnMarks.Pause(1.5, 2.5)), null))
                .hasMessageContaining("is not inside the speech");
        assertThatThrownBy(() -> new TurnMarks(0.1, 2.0, 1.9, null, null)).hasMessageContaining("faint decay");
        assertThatThrownBy(() -> new TurnMarks.Pause(1.0, 1.0)).hasMessageContaining("must end after it starts");
        Map<String, Object> broken = new LinkedHashMap<>();
        broken.put("speechStartS", 0.1);
        broken.put("speechEndS", 2.0);
        broken.put("pausesS", List.of(List.of(1.0)));
        assertThatThrownBy(() -> TurnMarks.of(meta(broken))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("generator.turn is malformed");
    }
}
