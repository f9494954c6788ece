package dev.samvaad.io;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WordsTest {
    @Test
    void oneIsSingularEveryOtherCountPlural() {
        assertThat(Words.count(1, "turn")).isEqualTo("1 turn");
        assertThat(Words.count(0, "turn")).isEqualTo("0 turns");
        assertThat(Words.count(2, "train pair")).isEqualTo("2 train pairs");
        assertThat(Words.count(-1, "step")).isEqualTo("-1 steps");
    }
}
