/**
 * Pure-Java, KV-cached inference for the speech-to-speech transformer:
 * {@link dev.samvaad.infer.FastDecoder} runs the encoder once and the decoder one frame at a time
 * on the {@code dev.samvaad.tensor} core, with no ND4J call, and streams each frame to a
 * {@link dev.samvaad.infer.FrameListener} as soon as it is chosen; its logits equal the SameDiff
 * graph's within 1e-4. {@link dev.samvaad.infer.GenerationOptions} choose greedy or seeded
 * top-k / temperature sampling and the frame limit.
 *
 * <pre>{@code
 * ModelCheckpoint.Loaded loaded = ModelCheckpoint.load(Path.of("run/best"), codec.fingerprint());
 * FastDecoder decoder = FastDecoder.of(loaded.model().config(), loaded.model().weights());
 * int[][] answer = decoder.start(questionCodes).generate(GenerationOptions.greedy(), FrameListener.none());
 * }</pre>
 */
package dev.samvaad.infer;
