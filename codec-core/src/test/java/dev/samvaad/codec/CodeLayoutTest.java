package dev.samvaad.codec;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CodeLayoutTest {

    @Test
    void theSpecialsComeAfterTheCodes() {
        CodeLayout layout = new CodeLayout(2, 16);
        assertThat(layout.pad()).isEqualTo(16);
        assertThat(layout.bos()).isEqualTo(17);
        assertThat(layout.eos()).isEqualTo(18);
        assertThat(layout.vocabulary()).isEqualTo(19);
        assertThat(new CodeLayout(6, 1024).vocabulary()).isEqualTo(1027);
        assertThat(new CodeLayout(1, Integer.MAX_VALUE - CodeLayout.SPECIALS).vocabulary()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void refusesALayoutWithoutCodesOrWhoseSpecialsOverflow() {
        assertThatThrownBy(() -> new CodeLayout(0, 16)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("codebooks must be at least 1, got 0");
        assertThatThrownBy(() -> new CodeLayout(2, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("codebook size must be in [1, ").hasMessageEndingWith("got 0");
        assertThatThrownBy(() -> new CodeLayout(2, Integer.MAX_VALUE - 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("codebook size");
    }

    @Test
    void aCodecsLayoutIsItsCodebooksAndTheirSize() {
        assertThat(CodeLayout.of(CodecCheckpointHostileInputTest.tinyCodec())).isEqualTo(new CodeLayout(2, 4));
    }

    @Test
    void theSameLayoutPassesAndAnotherIsNamedFromBothSides() {
        CodeLayout model = new CodeLayout(2, 8);
        model.requireSame(new CodeLayout(2, 8), "the model reads", "the data has");
        assertThatThrownBy(() -> model.requireSame(new CodeLayout(3, 8), "the model reads", "the data has"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the model reads 2 codebooks of 8 codes, the data has 3 of 8");
        assertThatThrownBy(() -> model.requireSame(new CodeLayout(2, 16), "the model reads", "the codec abc has"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the model reads 2 codebooks of 8 codes, the codec abc has 2 of 16");
    }

    @Test
    void everyValidRectangleOfCodesPassesAndReportsItsFrames() {
        SplittableRandom rng = new SplittableRandom(11);
        for (int trial = 0; trial < 500; trial++) {
            CodeLayout layout = new CodeLayout(1 + rng.nextInt(8), 1 + rng.nextInt(1024));
            int frames = rng.nextInt(20);
            int[][] codes = codes(layout, frames, rng);
            assertThat(layout.requireCodes("codes", codes)).as("%s, %d frames", layout, frames).isEqualTo(frames);
            assertThat(CodeLayout.requireRectangle("codes", codes)).isEqualTo(frames);
        }
    }

    @Test
    void aCodeOutsideTheCodebookIsRefusedWhereItIs() {
        SplittableRandom rng = new SplittableRandom(12);
        for (int trial = 0; trial < 500; trial++) {
            CodeLayout layout = new CodeLayout(1 + rng.nextInt(8), 1 + rng.nextInt(1024));
            int[][] codes = codes(layout, 1 + rng.nextInt(20), rng);
            int q = rng.nextInt(codes.length);
            int t = rng.nextInt(codes[q].length);
            int bad = rng.nextBoolean() ? -1 - rng.nextInt(5) : layout.codebookSize() + rng.nextInt(5);
            codes[q][t] = bad;
            assertThatThrownBy(() -> layout.requireCodes("input of p", codes)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("input of p: code " + bad + " at codebook " + q + ", frame " + t + " is outside [0, "
                            + layout.codebookSize() + ")");
            assertThat(CodeLayout.requireRectangle("codes", codes)).as("the range is not the rectangle's business")
                    .isEqualTo(codes[0].length);
        }
    }

    @Test
    void raggedCodesAreRefusedNamingTheCodebookThatDiffers() {
        SplittableRandom rng = new SplittableRandom(13);
        for (int trial = 0; trial < 500; trial++) {
            CodeLayout layout = new CodeLayout(2 + rng.nextInt(7), 1 + rng.nextInt(1024));
            int frames = rng.nextInt(20);
            int[][] codes = codes(layout, frames, rng);
            int q = 1 + rng.nextInt(codes.length - 1);
            int other = frames == 0 || rng.nextBoolean() ? frames + 1 + rng.nextInt(3) : rng.nextInt(frames);
            codes[q] = new int[other];
            String expected = "sourceCodes: codebook " + q + " has " + other + (other == 1 ? " frame" : " frames")
                    + ", codebook 0 has " + frames;
            assertThatThrownBy(() -> layout.requireCodes("sourceCodes", codes))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage(expected);
            assertThatThrownBy(() -> CodeLayout.requireRectangle("sourceCodes", codes))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage(expected);
        }
    }

    @Test
    void otherThanQCodebooksAreRefusedBeforeTheirContents() {
        SplittableRandom rng = new SplittableRandom(14);
        for (int trial = 0; trial < 200; trial++) {
            CodeLayout layout = new CodeLayout(1 + rng.nextInt(8), 1 + rng.nextInt(1024));
            int count = rng.nextInt(10);
            if (count == layout.codebooks()) {
                continue;
            }
            int[][] codes = new int[count][]; // null rows: the count is reported first
            assertThatThrownBy(() -> layout.requireCodes("target of b", codes))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("target of b: " + count + (count == 1 ? " codebook" : " codebooks") + ", expected "
                            + layout.codebooks());
        }
    }

    @Test
    void nullsAndEmptyCodesAreRefusedByName() {
        CodeLayout layout = new CodeLayout(2, 4);
        assertThatThrownBy(() -> layout.requireCodes("sourceCodes", null))
                .isInstanceOf(NullPointerException.class).hasMessage("sourceCodes");
        assertThatThrownBy(() -> CodeLayout.requireRectangle("input of a", null))
                .isInstanceOf(NullPointerException.class).hasMessage("input of a");
        assertThatThrownBy(() -> layout.requireCodes("codes", new int[][] {{1, 2}, null}))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("codes: codebook 1 is null");
        assertThatThrownBy(() -> CodeLayout.requireRectangle("codes", new int[][] {null, {1}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("codes: codebook 0 is null");
        assertThatThrownBy(() -> CodeLayout.requireRectangle("input of f", new int[0][]))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("input of f: no codebooks");
    }

    private static int[][] codes(CodeLayout layout, int frames, SplittableRandom rng) {
        int[][] codes = new int[layout.codebooks()][frames];
        for (int[] row : codes) {
            for (int t = 0; t < frames; t++) {
                // The edges of the range as often as the middle.
                int pick = rng.nextInt(4);
                row[t] = pick == 0 ? 0 : pick == 1 ? layout.codebookSize() - 1 : rng.nextInt(layout.codebookSize());
            }
        }
        return codes;
    }
}
