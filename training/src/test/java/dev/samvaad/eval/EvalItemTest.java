package dev.samvaad.eval;

import dev.samvaad.dataset.Split;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EvalItemTest {
    private static final float[] AUDIO = {0.1f};

    @Test
    void codesMustBeARectangleOfAtLeastOneCodebook() {
        EvalItem item = new EvalItem("a", Split.VAL, new int[][] {{1, 2}, {3, 4}}, new int[][] {{5}, {6}}, AUDIO, "yes");
        assertThat(item.answerFrames()).isEqualTo(1);

        assertThatThrownBy(() -> new EvalItem("b", Split.VAL, new int[0][], new int[][] {{5}}, AUDIO, "yes"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("question codes of item b: no codebooks");
        assertThatThrownBy(() -> new EvalItem("c", Split.VAL, new int[][] {{1}}, new int[][] {{5, 6}, {7}}, AUDIO, "yes"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("answer codes of item c: codebook 1 has 1 frame, codebook 0 has 2");
        assertThatThrownBy(() -> new EvalItem("d", Split.VAL, null, new int[][] {{5}}, AUDIO, "yes"))
                .isInstanceOf(NullPointerException.class).hasMessage("question codes of item d");
        assertThatThrownBy(() -> new EvalItem("e", Split.VAL, new int[][] {{1}}, new int[][] {{5}}, new float[0], "yes"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reference answer audio is empty");
    }
}
