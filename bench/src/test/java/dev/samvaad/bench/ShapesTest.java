package dev.samvaad.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ShapesTest {

    @Test
    void parsesShapes() {
        assertThat(Shapes.parse("6162x128", 2)).containsExactly(6162, 128);
        assertThat(Shapes.parse("150x128x512", 3)).containsExactly(150, 128, 512);
    }

    @Test
    void refusesWrongRankAndBadSizes() {
        assertThatThrownBy(() -> Shapes.parse("128", 2)).hasMessageContaining("2 sizes");
        assertThatThrownBy(() -> Shapes.parse("0x4", 2)).hasMessageContaining("'0'");
        assertThatThrownBy(() -> Shapes.parse("ax4", 2)).hasMessageContaining("'a'");
    }
}
