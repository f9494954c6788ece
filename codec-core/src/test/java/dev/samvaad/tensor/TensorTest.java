package dev.samvaad.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TensorTest {

    @Test
    void shapeErrorsSayWhatDoesNotFit() {
        assertThatThrownBy(() -> Tensor.wrap(new float[5], 2, 3))
                .isInstanceOf(ShapeException.class).hasMessageContaining("needs 6 values");
        assertThatThrownBy(() -> Tensor.zeros(2, -1)).isInstanceOf(ShapeException.class);
        assertThatThrownBy(() -> Tensor.zeros(1 << 16, 1 << 16)).isInstanceOf(ShapeException.class)
                .hasMessageContaining("too large");
    }

    @Test
    void elementsAreRowMajorAndOfCopiesAreNotShared() {
        float[] data = {1, 2, 3, 4, 5, 6};
        Tensor copy = Tensor.of(data, 2, 3);
        Tensor shared = Tensor.wrap(data, 3, 2);
        data[5] = 60;

        assertThat(copy.get(1, 2)).isEqualTo(6f);
        assertThat(shared.get(2, 1)).isEqualTo(60f);
        assertThat(shared.reshape(6).get(5)).isEqualTo(60f);
        assertThat(copy.dim(-1)).isEqualTo(3);
        assertThatThrownBy(() -> copy.get(2, 0)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
