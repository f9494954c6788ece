package dev.samvaad.audio;

import java.util.Arrays;
import java.util.Objects;

/**
 * Band-limited sample-rate conversion between any two positive integer rates.
 *
 * <p>The rate ratio is reduced to {@code L / M = toRate / fromRate}; output sample {@code n} is
 * the input signal evaluated at input time {@code n * M / L}, so the output has no delay: a sine in
 * gives the same sine, in phase, out. Each output is a dot product of the neighbouring inputs with
 * one phase of a polyphase Kaiser-windowed sinc low-pass whose stop band starts at the lower of the
 * two Nyquist frequencies (pass band to 0.9 of it, about 80 dB designed stop-band attenuation).
 * Input outside the signal is taken as zeros.
 *
 * <p>Instances are immutable and thread-safe; they hold the coefficient table ({@code L} phases
 * of taps), so build one per rate pair and reuse it. Where that table would pass 2^20 coefficients
 * (e.g. 44100 -> 44101 Hz, {@code L = 44101}) the kernel for each output's phase is computed as it
 * is needed instead: the same response, several times slower. Streaming state lives in
 * {@link Stream}, one per audio stream.
 */
public final class Resampler {

    private final int fromRate;
    private final int toRate;
    private final int upFactor;
    private final int downFactor;
    private final PolyphaseFilter filter;

    private Resampler(int fromRate, int toRate) {
        int divisor = greatestCommonDivisor(fromRate, toRate);
        this.fromRate = fromRate;
        this.toRate = toRate;
        this.upFactor = toRate / divisor;
        this.downFactor = fromRate / divisor;
        this.filter = PolyphaseFilter.forRatio(upFactor, downFactor);
    }

    /**
     * Builds a resampler from {@code fromRate} to {@code toRate} samples per second.
     *
     * @param fromRate input sample rate, Hz
     * @param toRate   output sample rate, Hz
     * @return a resampler holding the filter for that ratio; immutable and thread-safe
     * @throws IllegalArgumentException if either rate is not positive
     */
    public static Resampler of(int fromRate, int toRate) {
        requirePositive("fromRate", fromRate);
        requirePositive("toRate", toRate);
        return new Resampler(fromRate, toRate);
    }

    /**
     * One-off conversion of a whole signal. Builds the filter on every call; keep a
     * {@link #of(int, int) Resampler} when converting more than once.
     *
     * @param input    the whole signal
     * @param fromRate its sample rate, Hz
     * @param toRate   the sample rate wanted, Hz
     * @return the signal at {@code toRate}
     * @throws IllegalArgumentException if either rate is not positive
     */
    public static float[] resample(float[] input, int fromRate, int toRate) {
        return of(fromRate, toRate).resample(input);
    }

    /**
     * Converts a whole signal; the result has {@link #outputLength(int) outputLength(input.length)}
     * samples and equals what a {@link #stream()} yields for the same input, however it is chunked.
     * With equal rates the result is a copy of the input.
     *
     * @param input the whole signal at {@link #fromRate()}
     * @return the signal at {@link #toRate()}
     */
    public float[] resample(float[] input) {
        Objects.requireNonNull(input, "input");
        // Going through a stream keeps batch and streaming output bit-identical by construction.
        Stream stream = stream();
        float[] head = stream.process(input);
        float[] tail = stream.flush();
        float[] output = Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, output, head.length, tail.length);
        return output;
    }

    /** {@return a new stream: feed it chunks of one signal, then flush it} */
    public Stream stream() {
        return new Stream(this);
    }

    /** {@return the input sample rate, in samples per second} */
    public int fromRate() {
        return fromRate;
    }

    /** {@return the output sample rate, in samples per second} */
    public int toRate() {
        return toRate;
    }

    /**
     * Number of output samples for {@code inputLength} input samples:
     * {@code ceil(inputLength * toRate / fromRate)}.
     *
     * @param inputLength input samples
     * @return output samples
     * @throws IllegalArgumentException if {@code inputLength} is negative or the result does not fit
     *     in an {@code int}
     */
    public int outputLength(int inputLength) {
        if (inputLength < 0) {
            throw new IllegalArgumentException("inputLength must not be negative, got " + inputLength);
        }
        long length = outputLength((long) inputLength);
        if (length > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("inputLength " + inputLength + " at " + fromRate
                    + " Hz gives " + length + " samples at " + toRate + " Hz, more than an array holds");
        }
        return (int) length;
    }

    /** Input samples each output sample is computed from; the filter's length. */
    int tapsPerPhase() {
        return filter.taps();
    }

    private long outputLength(long inputLength) {
        // Split so that no intermediate product overflows even for very long streams.
        long whole = inputLength / downFactor * upFactor;
        long remainder = inputLength % downFactor * upFactor;
        return whole + (remainder + downFactor - 1) / downFactor;
    }

    private static void requirePositive(String name, int rate) {
        if (rate <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + rate);
        }
    }

    private static int greatestCommonDivisor(int a, int b) {
        while (b != 0) {
            int rest = a % b;
            a = b;
            b = rest;
        }
        return a;
    }

    /**
     * Converts one audio stream delivered in chunks of any size. Each {@link #process} call returns
     * the output samples that the input so far fully determines; {@link #flush()} returns the rest,
     * treating the input as followed by zeros, and ends the stream. The concatenated outputs equal
     * {@link Resampler#resample(float[])} of the concatenated input, bit for bit.
     *
     * <p>Mutable and not thread-safe: use one per stream.
     */
    public static final class Stream {

        private final Resampler resampler;
        private final PolyphaseFilter filter;
        private final int stepWhole;
        private final int stepRemainder;

        /** Input not yet consumed; {@code buffer[0]} is input sample {@code bufferStart}. */
        private float[] buffer;
        private int buffered;
        private long bufferStart;
        private long inputCount;

        private long nextOutput;
        /** The input sample at or just before the next output's position, and how far past it. */
        private long nextBase;
        private long nextPhase;
        private boolean finished;

        private Stream(Resampler resampler) {
            this.resampler = resampler;
            this.filter = resampler.filter;
            this.stepWhole = resampler.downFactor / resampler.upFactor;
            this.stepRemainder = resampler.downFactor % resampler.upFactor;
            // The first outputs reach back before the signal start, where the input is zero.
            this.buffered = filter.leadingTaps();
            this.buffer = new float[Math.max(2 * filter.taps(), 64)];
            this.bufferStart = -buffered;
        }

        /**
         * Feeds a whole chunk; see {@link #process(float[], int, int)}.
         *
         * @param chunk input samples, following those fed before
         * @return the output samples now fully determined (possibly none)
         */
        public float[] process(float[] chunk) {
            Objects.requireNonNull(chunk, "chunk");
            return process(chunk, 0, chunk.length);
        }

        /**
         * Feeds {@code chunk[offset .. offset + length)} and returns the output samples that are
         * now fully determined (possibly none).
         *
         * @param chunk  input samples, following those fed before
         * @param offset index of the first sample to feed
         * @param length number of samples to feed
         * @return the new output samples
         * @throws IllegalStateException if the stream was flushed
         * @throws IndexOutOfBoundsException if the range lies outside {@code chunk}
         */
        public float[] process(float[] chunk, int offset, int length) {
            requireNotFinished();
            Objects.checkFromIndexSize(offset, length, chunk.length);
            ensureCapacity(length);
            System.arraycopy(chunk, offset, buffer, buffered, length);
            buffered += length;
            inputCount += length;
            // Output n needs inputs up to floor(n*M/L) + trailingTaps, all of which must have arrived.
            long determinedInput = inputCount - filter.trailingTaps();
            return drainUntil(determinedInput > 0 ? resampler.outputLength(determinedInput) : 0);
        }

        /**
         * Returns the remaining output samples, with the input treated as followed by zeros, and
         * ends the stream.
         *
         * @return the last output samples
         * @throws IllegalStateException if the stream was already flushed
         */
        public float[] flush() {
            requireNotFinished();
            finished = true;
            int padding = filter.trailingTaps();
            ensureCapacity(padding);
            Arrays.fill(buffer, buffered, buffered + padding, 0f);
            buffered += padding;
            return drainUntil(resampler.outputLength(inputCount));
        }

        private float[] drainUntil(long endOutput) {
            float[] output = new float[Math.toIntExact(Math.max(0, endOutput - nextOutput))];
            for (int i = 0; i < output.length; i++) {
                int first = (int) (nextBase - filter.leadingTaps() - bufferStart);
                output[i] = filter.apply(buffer, first, (int) nextPhase);
                advance();
            }
            discardConsumedInput();
            return output;
        }

        private void advance() {
            // Incremental n*M/L avoids the overflow n*M would reach on long streams.
            nextOutput++;
            nextBase += stepWhole;
            nextPhase += stepRemainder;
            if (nextPhase >= resampler.upFactor) {
                nextPhase -= resampler.upFactor;
                nextBase++;
            }
        }

        private void discardConsumedInput() {
            long unneeded = nextBase - filter.leadingTaps() - bufferStart;
            int drop = (int) Math.max(0, Math.min(unneeded, buffered));
            System.arraycopy(buffer, drop, buffer, 0, buffered - drop);
            buffered -= drop;
            bufferStart += drop;
        }

        private void ensureCapacity(int extra) {
            int needed = Math.addExact(buffered, extra);
            if (needed > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(needed, 2 * buffer.length));
            }
        }

        private void requireNotFinished() {
            if (finished) {
                throw new IllegalStateException("stream already flushed");
            }
        }
    }
}
