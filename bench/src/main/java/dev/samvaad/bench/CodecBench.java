package dev.samvaad.bench;

import dev.samvaad.codec.AudioCodec;
import dev.samvaad.codec.RvqCodec;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The codec at its default shape (6 x 1024, 3.0 kbps, 20 ms frames), trained in {@code @Setup} on
 * 60 s of speech ({@link CodecFixture}; a few seconds per fork, printed), measured on 10 s of other
 * speech. One thread, microseconds per call:
 *
 * <ul>
 *   <li>{@code decodeFrame}: one frame (20 ms of audio) through a running streaming decoder;
 *   <li>{@code decode10s}: {@code decode(codes)} of 500 frames (10 s);
 *   <li>{@code streamFirstChunk}: a new streaming decoder and its first frame (the first 10 ms of
 *       audio a listener gets);
 *   <li>{@code encodeFrame}: 320 samples through a running streaming encoder (vocoder analysis
 *       and the residual-VQ search);
 *   <li>{@code encode10s}: {@code encode(pcm)} of 10 s.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Thread)
public class CodecBench {
    static final double SECONDS = 10;

    private RvqCodec codec;
    private int[][] codes;
    private int[][] frames;
    private float[] pcm;
    private AudioCodec.Decoder decoder;
    private AudioCodec.Encoder encoder;
    private float[][] hops;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        CodecFixture fixture = CodecFixture.train();
        codec = fixture.codec;
        BenchSpeech.Speech speech = BenchSpeech.make(BenchSpeech.Material.TEST, SECONDS);
        pcm = speech.pcm();
        codes = codec.encode(pcm);
        frames = new int[codes[0].length][codes.length];
        for (int t = 0; t < frames.length; t++) {
            for (int q = 0; q < codes.length; q++) {
                frames[t][q] = codes[q][t];
            }
        }
        hops = new float[frames.length][];
        for (int t = 0; t < hops.length; t++) {
            hops[t] = Arrays.copyOfRange(pcm, t * codec.hopSize(), (t + 1) * codec.hopSize());
        }
        decoder = codec.newDecoder(codec.codebooks());
        encoder = codec.newEncoder();
        System.out.printf(Locale.ROOT, "%n[setup] codec %dx%d trained in %.1f s on %.0f s of %s; measuring on %.0f s of %s%n",
                codec.codebooks(), codec.codebookSize(), fixture.trainSeconds, fixture.trainSpeech.seconds(),
                fixture.trainSpeech.source(), speech.seconds(), speech.source());
    }

    private int nextFrame() {
        int t = next;
        next = t + 1 == frames.length ? 0 : t + 1;
        return t;
    }

    @Benchmark
    public float[] decodeFrame() {
        return decoder.push(frames[nextFrame()]);
    }

    @Benchmark
    public float[] decode10s() {
        return codec.decode(codes);
    }

    @Benchmark
    public float[] streamFirstChunk() {
        return codec.newDecoder(codec.codebooks()).push(frames[nextFrame()]);
    }

    @Benchmark
    public int[][] encodeFrame() {
        return encoder.push(hops[nextFrame()]);
    }

    @Benchmark
    public int[][] encode10s() {
        return codec.encode(pcm);
    }
}
