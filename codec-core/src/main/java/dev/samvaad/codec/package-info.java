/**
 * The audio codec: speech to {@code Q} parallel streams of integer codes and back.
 *
 * <p>{@link dev.samvaad.codec.AudioCodec} is the interface (batch and streaming encode/decode,
 * sample rate, frame size, codebooks, fingerprint); {@link dev.samvaad.codec.RvqCodec} is its
 * implementation, vocoder features quantised by a residual vector quantiser, loaded from and saved
 * to one checkpoint file. {@link dev.samvaad.codec.CodecTrainer} trains one on any folder of WAV
 * files or on signals in memory.
 *
 * <pre>{@code
 * AudioCodec codec = RvqCodec.load(Path.of("codec.smvd"));
 * int[][] codes = codec.encode(AudioIO.readMono(Path.of("q.wav"), codec.sampleRate())); // [Q][T]
 * float[] pcm = codec.decode(codes);
 * }</pre>
 *
 * <p>Codecs are immutable and thread-safe; their streaming encoders and decoders serve one stream
 * each. Errors are unchecked {@link dev.samvaad.codec.CodecException}s naming the file or setting.
 */
package dev.samvaad.codec;
