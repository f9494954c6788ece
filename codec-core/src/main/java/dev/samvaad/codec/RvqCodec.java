package dev.samvaad.codec;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Samvaad's codec: vocoder features (band envelope, pitch, periodicity; see {@link VocoderConfig})
 * per 20 ms frame, normalised and quantised by a trained residual vector quantiser with {@code Q}
 * codebooks of {@code K} entries. Decoding sums the chosen entries of the first {@code q}
 * codebooks and resynthesises speech from the features. Immutable and thread-safe.
 */
public final class RvqCodec implements AudioCodec {
    private final VocoderConfig vocoder;
    private final FeatureScaling scaling;
    private final ResidualVQ rvq;
    private final String fingerprint;

    RvqCodec(VocoderConfig vocoder, FeatureScaling scaling, ResidualVQ rvq) {
        this.vocoder = Objects.requireNonNull(vocoder);
        this.scaling = Objects.requireNonNull(scaling);
        this.rvq = Objects.requireNonNull(rvq);
        if (rvq.dim() != vocoder.featureSize() || scaling.size() != vocoder.featureSize()) {
            throw new CodecException("codebooks of dimension " + rvq.dim() + " and scaling of " + scaling.size()
                    + " do not fit " + vocoder.featureSize() + " vocoder features");
        }
        this.fingerprint = CodecFiles.fingerprint(this);
    }

    /**
     * Loads a codec checkpoint file, as written by {@link #save}.
     *
     * @param file the checkpoint
     * @return the codec
     * @throws dev.samvaad.io.CheckpointException naming the file when it is missing, damaged
     *     (CRC mismatch, truncated) or not a codec checkpoint
     * @throws CodecException naming the file when its settings cannot make a codec
     */
    public static RvqCodec load(java.nio.file.Path file) {
        return CodecFiles.read(file);
    }

    /**
     * Saves this codec as one checkpoint file, atomically (versioned header, JSON settings,
     * float32 codebooks, CRC32).
     *
     * @param file the file to create or replace
     */
    public void save(java.nio.file.Path file) {
        CodecFiles.write(file, this);
    }

    VocoderConfig vocoder() {
        return vocoder;
    }

    FeatureScaling scaling() {
        return scaling;
    }

    ResidualVQ quantizer() {
        return rvq;
    }

    @Override
    public int sampleRate() {
        return vocoder.sampleRate();
    }

    @Override
    public int hopSize() {
        return vocoder.hop();
    }

    @Override
    public int codebooks() {
        return rvq.stages();
    }

    @Override
    public int codebookSize() {
        return rvq.size();
    }

    /**
     * A copy of the codebook entries, {@code [codebook][code][coordinate]}, in the quantiser's
     * (scaled vocoder feature) space: the sum over codebooks of a frame's entries is that frame's
     * quantised features. A model over the codes can start its code embeddings from these (see
     * {@code dev.samvaad.model.CodeEmbeddings}).
     *
     * @return the entries, {@code [Q][K][D]}; a fresh copy
     */
    public float[][][] codeVectors() {
        return rvq.codebooks();
    }

    /** {@return the coordinate of {@link #codeVectors()} that holds the (scaled) log pitch} */
    public int logF0Coordinate() {
        return vocoder.logF0Index();
    }

    /** {@return the coordinate of {@link #codeVectors()} that holds the (scaled) periodicity; the band energies come first} */
    public int periodicityCoordinate() {
        return vocoder.periodicityIndex();
    }

    /**
     * The vocoder features a frame of codes stands for, in their own units: per band the natural
     * log of its mean power, then the natural log of f0 in Hz, then the periodicity (0..1). The
     * sum of the frame's {@link #codeVectors()} entries, undone from the quantiser's scaling.
     *
     * @param scaled the sum of a frame's codebook entries, {@code [D]}; overwritten with the result
     * @return {@code scaled}, now in vocoder units
     */
    public float[] unscale(float[] scaled) {
        if (scaled.length != vocoder.featureSize()) {
            throw new IllegalArgumentException("a frame has " + vocoder.featureSize() + " features, got " + scaled.length);
        }
        scaling.denormalise(scaled);
        return scaled;
    }

    @Override
    public String fingerprint() {
        return fingerprint;
    }

    /** Half a frame of analysis look-ahead, the frame itself, and half a frame of interpolation. */
    @Override
    public double algorithmicLatencyMs() {
        return 2.0 * hopSize() * 1000 / sampleRate();
    }

    @Override
    public int[][] encode(float[] pcm) {
        Encoder encoder = newEncoder();
        return concat(encoder.push(pcm), encoder.finish());
    }

    @Override
    public float[] decode(int[][] codes, int codebooksUsed) {
        checkCodebooksUsed(codebooksUsed);
        if (codes.length < codebooksUsed) {
            throw new CodecException("codes hold " + codes.length + " codebooks, " + codebooksUsed + " asked for");
        }
        int frames;
        try {
            // Only the codebooks used must be this codec's codes; any after them are not read.
            frames = new CodeLayout(codebooksUsed, codebookSize()).requireCodes("codes",
                    codes.length == codebooksUsed ? codes : Arrays.copyOf(codes, codebooksUsed));
        } catch (IllegalArgumentException e) {
            throw new CodecException(e.getMessage(), e);
        }
        Decoder decoder = newDecoder(codebooksUsed);
        float[] out = new float[frames * hopSize()];
        int filled = 0;
        int[] frame = new int[codebooksUsed];
        for (int t = 0; t < frames; t++) {
            for (int q = 0; q < codebooksUsed; q++) {
                frame[q] = codes[q][t];
            }
            float[] pcm = decoder.push(frame);
            System.arraycopy(pcm, 0, out, filled, pcm.length);
            filled += pcm.length;
        }
        float[] tail = decoder.finish();
        System.arraycopy(tail, 0, out, filled, tail.length);
        return out;
    }

    @Override
    public Encoder newEncoder() {
        return new Encoder() {
            private final FeatureFramer framer = new FeatureFramer(vocoder);
            private final float[] scratch = new float[rvq.scratchSize()];

            @Override
            public int[][] push(float[] pcm) {
                return quantise(framer.push(pcm, 0, pcm.length));
            }

            @Override
            public int[][] finish() {
                return quantise(framer.finish());
            }

            private int[][] quantise(List<float[]> frames) {
                int[][] codes = new int[codebooks()][frames.size()];
                int[] frame = new int[codebooks()];
                for (int t = 0; t < frames.size(); t++) {
                    float[] x = frames.get(t);
                    scaling.normalise(x);
                    rvq.encode(x, frame, scratch);
                    for (int q = 0; q < frame.length; q++) {
                        codes[q][t] = frame[q];
                    }
                }
                return codes;
            }
        };
    }

    @Override
    public Decoder newDecoder(int codebooksUsed) {
        checkCodebooksUsed(codebooksUsed);
        return new Decoder() {
            private final VocoderSynthesizer synthesizer = new VocoderSynthesizer(vocoder, SYNTHESIS_SEED);
            private final float[] features = new float[vocoder.featureSize()];

            @Override
            public float[] push(int[] frame) {
                if (frame.length < codebooksUsed) {
                    throw new CodecException("a frame of " + frame.length + " codes for a decoder using "
                            + codebooksUsed + " codebooks");
                }
                for (int q = 0; q < codebooksUsed; q++) {
                    if (frame[q] < 0 || frame[q] >= codebookSize()) {
                        throw new CodecException("code " + frame[q] + " of codebook " + q + " is outside [0, "
                                + codebookSize() + ")");
                    }
                }
                rvq.decode(frame, codebooksUsed, features);
                scaling.denormalise(features);
                return synthesizer.push(features);
            }

            @Override
            public float[] finish() {
                return synthesizer.finish();
            }
        };
    }

    /** Seed of the decoder's noise: fixed, so decoding is a pure function of the codes. */
    private static final long SYNTHESIS_SEED = 0x5A3DAADL;

    private void checkCodebooksUsed(int codebooksUsed) {
        if (codebooksUsed < 1 || codebooksUsed > codebooks()) {
            throw new CodecException("codebooks used must be 1.." + codebooks() + ", got " + codebooksUsed);
        }
    }

    static int[][] concat(int[][] a, int[][] b) {
        int[][] out = new int[a.length][];
        for (int q = 0; q < a.length; q++) {
            out[q] = new int[a[q].length + b[q].length];
            System.arraycopy(a[q], 0, out[q], 0, a[q].length);
            System.arraycopy(b[q], 0, out[q], a[q].length, b[q].length);
        }
        return out;
    }
}
