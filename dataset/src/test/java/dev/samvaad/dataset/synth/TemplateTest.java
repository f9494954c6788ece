package dev.samvaad.dataset.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateTest {

    @Test
    void fillsSlotsAndArithmetic() {
        Template t = Template.parse("{a} కు {b} కలిపితే {a+b}, తేడా {a-b}, గుణిస్తే {a * b}, {n*n}");
        assertThat(t.slotNames()).containsExactlyInAnyOrder("a", "b", "n");
        assertThat(t.fill(Map.of("a", "7", "b", "5", "n", "3"))).isEqualTo("7 కు 5 కలిపితే 12, తేడా 2, గుణిస్తే 35, 9");
    }

    @Test
    void negativeResultsUseTheCorpusWord() {
        Template t = Template.parse("{a-b}");
        assertThat(t.fill(Map.of("a", "3", "b", "10"))).isEqualTo("-7");
        assertThat(t.fill(Map.of("a", "3", "b", "10"), "మైనస్")).isEqualTo("మైనస్ 7");
        assertThat(t.fill(Map.of("a", "10", "b", "3"), "మైనస్")).isEqualTo("7");
    }

    @Test
    void textWithoutPlaceholdersIsUnchanged() {
        assertThat(Template.parse("నమస్కారం!").fill(Map.of())).isEqualTo("నమస్కారం!");
    }

    @Test
    void malformedTemplatesAreRefusedWithTheText() {
        assertThatThrownBy(() -> Template.parse("{a/b}")).hasMessageContaining("{a/b}");
        assertThatThrownBy(() -> Template.parse("x {a")).hasMessageContaining("unbalanced");
        assertThatThrownBy(() -> Template.parse("x } y")).hasMessageContaining("unbalanced");
        assertThatThrownBy(() -> Template.parse("{a+b}").fill(Map.of("a", "1", "b", "two")))
                .hasMessageContaining("not an integer");
        assertThatThrownBy(() -> Template.parse("{name}").fill(Map.of())).hasMessageContaining("no value for {name}");
    }
}
