/**
 * Codec evaluation: {@link dev.samvaad.codec.eval.CodecEvaluation} scores any
 * {@link dev.samvaad.codec.eval.Transcoder} (STOI, log-mel distance, SI-SNR, speed) on the same
 * speech, and {@link dev.samvaad.codec.eval.ExternalCodecs} wraps Opus and Codec2 through their
 * command-line tools, when installed, as reference points.
 */
package dev.samvaad.codec.eval;
