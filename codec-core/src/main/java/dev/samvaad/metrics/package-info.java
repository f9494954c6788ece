/**
 * Audio quality and similarity metrics for codec and response evaluation.
 *
 * <p>Signals are mono float PCM, nominally in [-1, 1], with a sample rate in Hz.
 * {@link dev.samvaad.metrics.Stoi} (intelligibility, as pystoi), {@link dev.samvaad.metrics.SiSnr}
 * (scale-invariant SNR in dB) and {@link dev.samvaad.metrics.LogMelDistance} (log-mel spectral
 * distance in dB) compare a signal with its reference sample by sample, so the two must be time
 * aligned. {@link dev.samvaad.metrics.Mfcc} gives the features (from a log-mel spectrogram); {@link dev.samvaad.metrics.Dtw} compares feature sequences that need not be aligned,
 * e.g. two utterances of the same text. All classes are immutable or stateless and thread-safe, and
 * report bad arguments with {@link java.lang.IllegalArgumentException}.
 */
package dev.samvaad.metrics;
