/**
 * Pure-Java, KV-cached inference for the speech-to-speech transformer:
 * {@link dev.samvaad.infer.FastDecoder} runs the encoder once and the decoder one frame at a time
 * on the {@code dev.samvaad.tensor} core, with no ND4J call, and streams each frame to a
 * {@link dev.samvaad.infer.FrameListener} as soon as it is chosen; its logits equal the SameDiff
 * graph's within 1e-4. {@link dev.samvaad.infer.GenerationOptions} choose greedy or seeded
 * top-k / temperature sampling and the frame limit. {@link dev.samvaad.infer.WeightsFile} reads the
 * weights training writes into each checkpoint folder ({@link dev.samvaad.infer.ModelFolder});
 * {@link dev.samvaad.infer.ModelConfig} and {@link dev.samvaad.infer.WeightNames} describe the
 * model for the decoder and for the SameDiff graph that trains it alike.
 *
 * <pre>{@code
 * WeightsFile.Loaded loaded = WeightsFile.read(Path.of("run/best"), codec.fingerprint(), null);
 * FastDecoder decoder = FastDecoder.of(loaded.config(), loaded.weights());
 * int[][] answer = decoder.start(questionCodes).generate(GenerationOptions.greedy(), FrameListener.none());
 * }</pre>
 */
package dev.samvaad.infer;
