/**
 * WAV audio file input and output.
 *
 * <p>{@link dev.samvaad.audio.WavReader} decodes RIFF/WAVE files (PCM 8/16/24/32-bit, IEEE float
 * 32/64-bit, and WAVE_FORMAT_EXTENSIBLE with a PCM or float sub-format) into
 * {@link dev.samvaad.audio.WavAudio}, with samples as floats. {@link dev.samvaad.audio.WavWriter}
 * writes 16/24-bit PCM and 32-bit float files atomically. Every problem with a file's contents or
 * with reaching it is reported as an unchecked {@link dev.samvaad.audio.AudioFileException} that
 * names the file.
 */
package dev.samvaad.audio;
