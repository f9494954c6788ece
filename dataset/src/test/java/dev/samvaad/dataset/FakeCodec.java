package dev.samvaad.dataset;

import dev.samvaad.codec.AudioCodec;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in codec for tests: 2 codebooks of 16 codes at 16 kHz, 160 samples a frame, codes
 * from each frame's energy and sum, so different audio gives different codes. Counts encodes.
 */
class FakeCodec implements AudioCodec {
    static final int RATE = 16_000;
    static final int HOP = 160;
    static final int K = 16;

    private final String fingerprint;
    private final AtomicInteger encodes = new AtomicInteger();

    FakeCodec(String fingerprint) {
        this.fingerprint = fingerprint;
    }

    int encodes() {
        return encodes.get();
    }

    @Override
    public int sampleRate() {
        return RATE;
    }

    @Override
    public int hopSize() {
        return HOP;
    }

    @Override
    public int codebooks() {
        return 2;
    }

    @Override
    public int codebookSize() {
        return K;
    }

    @Override
    public String fingerprint() {
        return fingerprint;
    }

    @Override
    public double algorithmicLatencyMs() {
        return 10;
    }

    @Override
    public int[][] encode(float[] pcm) {
        encodes.incrementAndGet();
        int frames = (pcm.length + HOP - 1) / HOP;
        int[][] codes = new int[2][frames];
        for (int t = 0; t < frames; t++) {
            double energy = 0;
            double sum = 0;
            for (int i = t * HOP; i < Math.min(pcm.length, (t + 1) * HOP); i++) {
                energy += pcm[i] * pcm[i];
                sum += pcm[i];
            }
            codes[0][t] = (int) Math.min(K - 1, Math.sqrt(energy / HOP) * 40);
            codes[1][t] = Math.floorMod((int) Math.round(sum * 100), K);
        }
        return codes;
    }

    @Override
    public float[] decode(int[][] codes, int codebooksUsed) {
        throw new UnsupportedOperationException("encode-only test codec");
    }

    @Override
    public Encoder newEncoder() {
        throw new UnsupportedOperationException("encode-only test codec");
    }

    @Override
    public Decoder newDecoder(int codebooksUsed) {
        throw new UnsupportedOperationException("encode-only test codec");
    }
}
