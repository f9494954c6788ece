package dev.samvaad.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Any chunking of the input gives exactly the batch output. */
class ResamplerStreamTest {

    private static final int INPUT_LENGTH = 3000;

    @ParameterizedTest(name = "{0} -> {1} Hz")
    @CsvSource({
        "48000, 16000", "44100, 16000", "22050, 16000", "16000, 8000", "8000, 16000",
        "16000, 24000", "16000, 44100", "44100, 48000", "44100, 44101", "16000, 16000",
    })
    void randomChunkingEqualsBatch(int fromRate, int toRate) {
        Resampler resampler = Resampler.of(fromRate, toRate);
        Random random = new Random(31L * fromRate + toRate);
        float[] input = noise(random, INPUT_LENGTH);
        float[] expected = resampler.resample(input);

        for (int trial = 0; trial < 4; trial++) {
            float[] streamed = streamInRandomChunks(resampler, input, random);

            assertThat(streamed).hasSize(resampler.outputLength(input.length));
            assertThat(streamed).containsExactly(expected);
        }
    }

    @Test
    void singleChunkLargerThanTheFilterEqualsBatch() {
        Resampler resampler = Resampler.of(48000, 16000);
        float[] input = noise(new Random(7), INPUT_LENGTH);
        Resampler.Stream stream = resampler.stream();

        float[] streamed = concat(stream.process(input), stream.flush());

        assertThat(streamed).containsExactly(resampler.resample(input));
    }

    @Test
    void offsetAndLengthSelectTheChunk() {
        Resampler resampler = Resampler.of(16000, 24000);
        float[] input = noise(new Random(11), INPUT_LENGTH);
        float[] padded = new float[INPUT_LENGTH + 20];
        System.arraycopy(input, 0, padded, 10, INPUT_LENGTH);
        Resampler.Stream stream = resampler.stream();

        float[] streamed = concat(stream.process(padded, 10, INPUT_LENGTH), stream.flush());

        assertThat(streamed).containsExactly(resampler.resample(input));
        assertThatThrownBy(() -> resampler.stream().process(padded, 15, INPUT_LENGTH + 10))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void flushedStreamRejectsFurtherUse() {
        Resampler.Stream stream = Resampler.of(48000, 16000).stream();
        stream.process(new float[100]);
        stream.flush();

        assertThatThrownBy(() -> stream.process(new float[10]))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("flushed");
        assertThatThrownBy(stream::flush).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void emptyStreamFlushesNothing() {
        Resampler.Stream stream = Resampler.of(44100, 16000).stream();

        assertThat(stream.process(new float[0])).isEmpty();
        assertThat(stream.flush()).isEmpty();
    }

    /** Chunk sizes mix empty, single-sample, typical and larger-than-input chunks. */
    private static float[] streamInRandomChunks(Resampler resampler, float[] input, Random random) {
        Resampler.Stream stream = resampler.stream();
        float[] output = new float[0];
        int position = 0;
        while (position < input.length) {
            int wanted = switch (random.nextInt(5)) {
                case 0 -> 0;
                case 1 -> 1;
                case 2 -> 2 + random.nextInt(40);
                case 3 -> 41 + random.nextInt(700);
                default -> input.length + 1;
            };
            int size = Math.min(wanted, input.length - position);
            output = concat(output, stream.process(input, position, size));
            position += size;
        }
        return concat(output, stream.flush());
    }

    private static float[] noise(Random random, int length) {
        float[] signal = new float[length];
        for (int i = 0; i < length; i++) {
            signal[i] = random.nextFloat() * 2f - 1f;
        }
        return signal;
    }

    private static float[] concat(float[] first, float[] second) {
        float[] joined = new float[first.length + second.length];
        System.arraycopy(first, 0, joined, 0, first.length);
        System.arraycopy(second, 0, joined, first.length, second.length);
        return joined;
    }
}
