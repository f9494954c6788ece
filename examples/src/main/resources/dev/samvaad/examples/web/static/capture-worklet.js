// Samvaad web demo: the microphone capture processor (AudioWorklet, runs on the audio thread).
// Mixes the input to mono and posts it to the page in chunks of `processorOptions.chunk` samples
// at the AudioContext's rate (the page sends that rate to the server, which resamples).
'use strict';

class SamvaadCapture extends AudioWorkletProcessor {
  constructor(options) {
    super();
    this.size = Math.max(128, (options.processorOptions && options.processorOptions.chunk) || 960);
    this.buffer = new Float32Array(this.size);
    this.fill = 0;
    this.stopped = false;
    this.port.onmessage = (e) => {
      if (e.data === 'stop') {
        this.stopped = true;
      }
    };
  }

  process(inputs) {
    const channels = inputs[0];
    if (channels && channels.length > 0) {
      const frames = channels[0].length;
      for (let i = 0; i < frames; i++) {
        let s = 0;
        for (let c = 0; c < channels.length; c++) {
          s += channels[c][i];
        }
        this.buffer[this.fill++] = s / channels.length;
        if (this.fill === this.size) {
          this.port.postMessage(this.buffer, [this.buffer.buffer]);
          this.buffer = new Float32Array(this.size);
          this.fill = 0;
        }
      }
    }
    return !this.stopped;
  }
}

registerProcessor('samvaad-capture', SamvaadCapture);
