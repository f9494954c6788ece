/**
 * Signal-processing building blocks of the codec's vocoder: triangular band layouts
 * ({@link dev.samvaad.dsp.BandLayout}), YIN pitch estimation ({@link dev.samvaad.dsp.PitchEstimator})
 * and window functions ({@link dev.samvaad.dsp.Windows}).
 *
 * <p>These are implementation support for {@code dev.samvaad.codec}, public only because the
 * codec lives in another package; they carry no compatibility promise.
 */
package dev.samvaad.dsp;
