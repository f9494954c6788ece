package dev.samvaad.audio;

/** Equal rates: every output is its input sample, untouched, so the result is an exact copy. */
final class PassThroughFilter implements PolyphaseFilter {

    @Override
    public int taps() {
        return 1;
    }

    @Override
    public int leadingTaps() {
        return 0;
    }

    @Override
    public float apply(float[] samples, int first, int phase) {
        return samples[first];
    }
}
