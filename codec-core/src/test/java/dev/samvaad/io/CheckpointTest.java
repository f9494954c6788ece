package dev.samvaad.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.samvaad.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CheckpointTest {

    @Test
    void arraysAreAnUnmodifiableCopyInTheGivenOrder() {
        Map<String, Tensor> given = new LinkedHashMap<>();
        given.put("b", Tensor.wrap(new float[] {1f}, 1));
        given.put("a", Tensor.wrap(new float[] {2f, 3f}, 2));
        Checkpoint checkpoint = new Checkpoint("rvq-codec", 1, "{}", given);

        given.put("c", Tensor.zeros(1));

        assertThat(checkpoint.arrays().keySet()).containsExactly("b", "a");
        assertThatThrownBy(() -> checkpoint.arrays().put("c", Tensor.zeros(1)))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(checkpoint.array("a").data()).containsExactly(2f, 3f);
    }

    @Test
    void missingArrayNamesTheArraysPresent() {
        Checkpoint checkpoint = CheckpointFileTest.sample(new Random(5));

        assertThatThrownBy(() -> checkpoint.array("codebook"))
                .isExactlyInstanceOf(CheckpointException.class)
                .hasMessage("no array 'codebook' in this 'rvq-codec' checkpoint; it holds"
                        + " 'scale', 'bias', 'weights', 'codebooks', 'empty'")
                .satisfies(e -> assertThat(((CheckpointException) e).file()).isNull());
        assertThatThrownBy(() -> new Checkpoint("k", 1, "{}", Map.of()).array("x"))
                .hasMessageEndingWith("it holds no arrays");
    }

    @Test
    void refusesContentsNoFileCouldHold() {
        Map<String, Tensor> one = Map.of("w", Tensor.zeros(2));
        assertRefused(() -> new Checkpoint("", 1, "{}", one), "kind is empty");
        assertRefused(() -> new Checkpoint("k", -1, "{}", one), "kind version -1 is negative");
        assertRefused(() -> new Checkpoint("k", 1, "[]", one), "config is not a JSON object but a JSON array");
        assertRefused(() -> new Checkpoint("k", 1, "\"text\"", one), "config is not a JSON object but a JSON string");
        assertRefused(() -> new Checkpoint("k", 1, "{", one), "config is not a JSON object");
        assertRefused(() -> new Checkpoint("k", 1, "{}}", one), "config is not a JSON object");
        assertRefused(() -> new Checkpoint("k", 1, " ", one), "config is not a JSON object but empty");
        assertRefused(() -> new Checkpoint("k", 1, "{}", Map.of("", Tensor.zeros(1))), "array name is empty");
        assertRefused(() -> new Checkpoint("k", 1, "{}", Map.of("deep", Tensor.zeros(1, 1, 1, 1, 1, 1, 1, 1, 1))),
                "array 'deep' has rank 9; at most 8 is supported");
        assertThat(new Checkpoint("k", 0, "{}", Map.of("deep", Tensor.zeros(1, 1, 1, 1, 1, 1, 1, 1))).array("deep")
                .rank()).isEqualTo(8);
    }

    @Test
    void equalityComparesValueBits() {
        Checkpoint a = CheckpointFileTest.sample(new Random(9));
        Checkpoint b = CheckpointFileTest.sample(new Random(9));
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(CheckpointFileTest.sample(new Random(10)));

        Checkpoint zero = new Checkpoint("k", 1, "{}", Map.of("v", Tensor.wrap(new float[] {0f}, 1)));
        Checkpoint negativeZero = new Checkpoint("k", 1, "{}", Map.of("v", Tensor.wrap(new float[] {-0f}, 1)));
        assertThat(zero).isNotEqualTo(negativeZero);
        assertThat(zero.fingerprint()).isNotEqualTo(negativeZero.fingerprint());
    }

    @Test
    void toStringShowsKindAndShapes() {
        assertThat(CheckpointFileTest.sample(new Random(1)))
                .hasToString("Checkpoint[rvq-codec v1, scale[], bias[5], weights[4, 3], codebooks[2, 3, 4], empty[3, 0, 2]]");
    }

    private static void assertRefused(Runnable construction, String message) {
        assertThatThrownBy(construction::run).isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
