// Samvaad web demo: microphone -> WebSocket -> the model's reply, played as it arrives.
// The protocol is described in dev.samvaad.examples.web.VoiceSocket (Java). In short: the page sends
// {"type":"hello","sampleRate":R,"format":"s16le"} then 16-bit little-endian PCM at R Hz; the
// server sends JSON events and the reply as 32-bit float little-endian PCM at the codec's rate.
'use strict';

(() => {
  /** What the page has seen, for people (the footer) and for tests. */
  const stats = {
    state: 'idle',          // idle | starting | listening | closed | error
    micRate: null,          // Hz of the audio sent
    sampleRate: null,       // Hz of the reply audio
    sentSeconds: 0,         // microphone audio sent
    receivedSeconds: 0,     // reply audio received
    playedSeconds: 0,       // reply audio that finished playing
    playing: false,         // reply audio is playing now
    interrupted: 0,         // replies whose playback the user's voice stopped (barge-in)
    turns: [],              // ended turns: {turn, latencyMs, serverLatencyMs, questionSeconds, replySeconds, outcome, ...}
    errors: [],
    closeCode: null,
    closeReason: null,
  };
  window.samvaadStats = stats;

  const HISTORY_SECONDS = 60;
  const $ = (id) => document.getElementById(id);
  const startButton = $('start');
  const stopButton = $('stop');

  let ctx = null;
  let ws = null;
  let mic = null;
  let capture = null;
  let ready = false;
  let bargeIn = true;
  /** The last HISTORY_SECONDS of microphone audio sent, for the question spectrograms. */
  let history = null;
  let historyWritten = 0;
  /** Turns in progress and ended, by number. */
  const turns = new Map();
  let replyTurn = 0;
  let nextPlayTime = 0;
  /** Replies up to this turn are not played any more (the user spoke over them). */
  let silencedTurn = 0;
  const sources = new Set();
  let timelineTimer = null;

  function setStatus(text, kind) {
    const s = $('status');
    s.textContent = text;
    s.className = kind || '';
  }

  function turn(n) {
    let t = turns.get(n);
    if (!t) {
      t = { turn: n, speechStartAt: null, speechEndAt: null, firstAudioAt: null, reply: [], replySamples: 0 };
      turns.set(n, t);
    }
    return t;
  }

  // ------------------------------------------------------------------ start and stop

  async function start() {
    startButton.disabled = true;
    stats.state = 'starting';
    if (!window.isSecureContext || !navigator.mediaDevices || !window.AudioWorkletNode) {
      fail('The microphone needs a secure page: open this demo as http://localhost:PORT/ (or https) '
          + 'in a current browser.');
      return;
    }
    try {
      ctx = new AudioContext({ latencyHint: 'interactive' });
      await ctx.resume();
      mic = await navigator.mediaDevices.getUserMedia({
        audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true, autoGainControl: false },
      });
      await ctx.audioWorklet.addModule('capture-worklet.js');
    } catch (e) {
      fail('Cannot open the microphone: ' + (e && e.message ? e.message : e));
      return;
    }
    stats.micRate = ctx.sampleRate;
    history = new Float32Array(Math.round(ctx.sampleRate * HISTORY_SECONDS));
    historyWritten = 0;

    const source = ctx.createMediaStreamSource(mic);
    capture = new AudioWorkletNode(ctx, 'samvaad-capture', {
      numberOfInputs: 1,
      numberOfOutputs: 1,
      outputChannelCount: [1],
      processorOptions: { chunk: Math.round(ctx.sampleRate / 50) },   // 20 ms
    });
    capture.port.onmessage = (e) => onMicrophone(e.data);
    source.connect(capture);
    capture.connect(ctx.destination);   // silent: keeps the processor pulled

    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    ws = new WebSocket(scheme + '//' + location.host + '/ws');
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => {
      ws.send(JSON.stringify({ type: 'hello', sampleRate: ctx.sampleRate, format: 's16le' }));
    };
    ws.onmessage = (e) => {
      if (typeof e.data === 'string') {
        onEvent(JSON.parse(e.data));
      } else {
        onReplyAudio(e.data);
      }
    };
    ws.onclose = (e) => {
      stats.closeCode = e.code;
      stats.closeReason = e.reason;
      const was = stats.state;
      if (was !== 'error') {
        stats.state = 'closed';
      }
      ready = false;
      if (was === 'listening' || was === 'starting') {
        const why = e.reason ? ': ' + e.reason : e.code === 1006 ? ' (connection lost)' : '';
        setStatus('Disconnected' + why + '.', e.code === 1000 ? '' : 'error');
      }
      teardown();
    };
    stopButton.disabled = false;
    setStatus('Connecting…');
    timelineTimer = setInterval(drawTimeline, 500);
  }

  function stop() {
    stats.state = 'closed';
    setStatus('Stopped.');
    if (ws && ws.readyState <= WebSocket.OPEN) {
      ws.close(1000, 'stopped');
    }
    teardown();
  }

  function teardown() {
    ready = false;
    if (timelineTimer !== null) {
      clearInterval(timelineTimer);
      timelineTimer = null;
    }
    if (capture) {
      capture.port.postMessage('stop');
      capture.disconnect();
      capture = null;
    }
    if (mic) {
      mic.getTracks().forEach((t) => t.stop());
      mic = null;
    }
    stopButton.disabled = true;
    startButton.disabled = false;
  }

  function fail(message) {
    stats.state = 'error';
    stats.errors.push(message);
    setStatus(message, 'error');
    startButton.disabled = false;
    stopButton.disabled = true;
  }

  // ------------------------------------------------------------------ microphone

  function onMicrophone(pcm) {
    let sum = 0;
    for (let i = 0; i < pcm.length; i++) {
      sum += pcm[i] * pcm[i];
    }
    const db = 10 * Math.log10(sum / pcm.length + 1e-12);
    $('level').style.width = Math.max(0, Math.min(100, (db + 70) * 100 / 60)) + '%';
    if (!ready || ws.readyState !== WebSocket.OPEN) {
      return;
    }
    const int16 = new Int16Array(pcm.length);
    for (let i = 0; i < pcm.length; i++) {
      const s = Math.max(-1, Math.min(1, pcm[i]));
      int16[i] = s < 0 ? Math.round(s * 32768) : Math.round(s * 32767);
    }
    ws.send(int16.buffer);
    for (let i = 0; i < pcm.length; i++) {
      history[(historyWritten + i) % history.length] = pcm[i];
    }
    historyWritten += pcm.length;
    stats.sentSeconds = historyWritten / stats.micRate;
  }

  /** Microphone audio sent between two times (seconds from the first sample), if still kept. */
  function sentAudio(fromSeconds, toSeconds) {
    const from = Math.max(Math.round(fromSeconds * stats.micRate), historyWritten - history.length, 0);
    const to = Math.min(Math.round(toSeconds * stats.micRate), historyWritten);
    const out = new Float32Array(Math.max(0, to - from));
    for (let i = 0; i < out.length; i++) {
      out[i] = history[(from + i) % history.length];
    }
    return out;
  }

  // ------------------------------------------------------------------ events from the server

  function onEvent(e) {
    const now = performance.now();
    switch (e.type) {
      case 'ready':
        ready = true;
        stats.sampleRate = e.sampleRate;
        bargeIn = e.bargeIn !== false;
        stats.endOfTurn = e.endOfTurn;
        stats.state = 'listening';
        setStatus('Listening — speak, then pause.', 'live');
        break;
      case 'speech_start':
        turn(e.turn).speechStartAt = now;
        // Replies are made faster than they play: the one still playing may be over on the
        // server, which then has nothing to stop. The user's voice stops it here.
        if (bargeIn && sources.size > 0) {
          stopPlayback(replyTurn);
          stats.interrupted++;
        }
        setStatus('Hearing you (turn ' + e.turn + ')…', 'live');
        break;
      case 'speech_end':
        turn(e.turn).speechEndAt = now;
        setStatus('Answering turn ' + e.turn + '…', 'live');
        break;
      case 'reply_start':
        replyTurn = e.turn;
        break;
      case 'barge_in':
        if (sources.size > 0 && e.turn > silencedTurn) {
          stats.interrupted++;
        }
        stopPlayback(e.turn);
        setStatus('You spoke over reply ' + e.turn + '; it stopped.', 'live');
        break;
      case 'turn_end':
        endTurn(e);
        break;
      case 'error':
        stats.errors.push(e.message);
        setStatus(e.message, 'error');
        if (!ready) {
          stats.state = 'error';
        }
        break;
      default:
        break;
    }
    showNumbers();
  }

  function onReplyAudio(buffer) {
    const pcm = new Float32Array(buffer);
    const t = turn(replyTurn);
    if (t.firstAudioAt === null) {
      t.firstAudioAt = performance.now();
    }
    t.reply.push(pcm);
    t.replySamples += pcm.length;
    stats.receivedSeconds += pcm.length / stats.sampleRate;
    if (replyTurn > silencedTurn) {
      play(pcm, t.reply.length === 1);
    }
    showNumbers();
  }

  // ------------------------------------------------------------------ playback

  /** Schedules a chunk right after the previous one; a reply's first chunk gets a little lead. */
  function play(pcm, first) {
    const buffer = ctx.createBuffer(1, pcm.length, stats.sampleRate);
    buffer.copyToChannel(pcm, 0);
    const src = ctx.createBufferSource();
    src.buffer = buffer;
    src.connect(ctx.destination);
    const lead = first ? 0.06 : 0.02;
    const at = Math.max(nextPlayTime, ctx.currentTime + lead);
    src.start(at);
    nextPlayTime = at + buffer.duration;
    sources.add(src);
    stats.playing = true;
    src.onended = () => {
      sources.delete(src);
      if (!src.cancelled) {
        stats.playedSeconds += buffer.duration;
      }
      stats.playing = sources.size > 0;
      showNumbers();
    };
  }

  /** Stops the reply audio playing or scheduled, and any that comes later for replies up to `upTo`. */
  function stopPlayback(upTo) {
    silencedTurn = Math.max(silencedTurn, upTo);
    for (const src of sources) {
      src.cancelled = true;
      try {
        src.stop();
      } catch (e) {
        // not started yet or already ended
      }
    }
    nextPlayTime = 0;
  }

  // ------------------------------------------------------------------ turns

  function endTurn(e) {
    const t = turn(e.turn);
    const latencyMs = t.firstAudioAt !== null && t.speechEndAt !== null ? t.firstAudioAt - t.speechEndAt : null;
    const record = {
      turn: e.turn,
      outcome: e.outcome,
      // What the user waits: from their last voiced sound to the first reply audio here, i.e. the
      // silence the server waited for before it ended the turn plus the time from that decision
      // to the reply's first audio reaching this page.
      perceivedMs: latencyMs === null ? null : e.hangoverMs + latencyMs,
      latencyMs: latencyMs,                 // measured here: speech_end event -> first reply audio received
      serverLatencyMs: e.latencyMs,         // measured on the server: end of speech -> first reply audio sent
      serverPerceivedMs: e.perceivedMs,     // on the server: last voiced frame -> first reply audio sent
      endOfTurn: e.endOfTurn,
      endProbability: e.endProbability,
      lastVoicedSeconds: e.lastVoicedSeconds,
      endOfTurnSeconds: e.endOfTurnSeconds,
      questionSeconds: e.questionSeconds,
      replySeconds: e.replySeconds,
      receivedSeconds: t.replySamples / stats.sampleRate,
      hangoverMs: e.hangoverMs,
      totalMs: e.totalMs,
      rtf: e.rtf,
      questionStartSeconds: e.questionStartSeconds,
      questionEndSeconds: e.questionEndSeconds,
    };
    stats.turns.push(record);
    const question = sentAudio(e.questionStartSeconds, e.questionEndSeconds);
    const reply = concat(t.reply);
    t.reply = [];
    renderTurn(record, question, reply);
    drawTimeline();
    if (stats.state === 'listening') {
      setStatus('Listening — speak, then pause.', 'live');
    }
  }

  function concat(chunks) {
    let n = 0;
    for (const c of chunks) {
      n += c.length;
    }
    const out = new Float32Array(n);
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }

  function fmtMs(v) {
    return v === null || v === undefined || Number.isNaN(v) ? '–' : Math.round(v) + ' ms';
  }

  function renderTurn(r, question, reply) {
    const list = $('turns');
    const empty = list.querySelector('.empty');
    if (empty) {
      empty.remove();
    }
    const card = document.createElement('div');
    card.className = 'turn';
    card.dataset.turn = r.turn;
    const wait = r.perceivedMs === null ? 0 : r.perceivedMs / 1000;
    const span = r.questionSeconds + wait + r.replySeconds || 1;
    const ended = r.endOfTurn === 'predicted'
        ? 'predicted end of turn (p ' + (r.endProbability === null ? '–' : r.endProbability.toFixed(2)) + ')'
        : r.endOfTurn === 'hangover' ? 'end of turn by silence' : (r.endOfTurn || '').replace('_', ' ');
    card.innerHTML =
        '<div class="facts">'
        + '<b>Turn ' + r.turn + '</b> <span class="sub">' + r.outcome.replace('_', ' ') + '</span>'
        + '<div class="latency" title="your last voiced sound → first reply audio here: the silence the server waited for, '
        + 'then its decision → the reply reaching this page">' + fmtMs(r.perceivedMs) + '</div>'
        + '<div>' + ended + ' after ' + fmtMs(r.hangoverMs) + ' of silence · then ' + fmtMs(r.latencyMs)
        + ' to the first audio (server ' + fmtMs(r.serverLatencyMs) + ')</div>'
        + '<div>question ' + r.questionSeconds.toFixed(2) + ' s · reply ' + r.replySeconds.toFixed(2) + ' s</div>'
        + '<div class="bar">'
        + '<span class="question" style="width:' + (100 * r.questionSeconds / span) + '%"></span>'
        + '<span class="wait" style="width:' + (100 * wait / span) + '%"></span>'
        + '<span class="reply" style="width:' + (100 * r.replySeconds / span) + '%"></span>'
        + '</div></div>'
        + '<figure><canvas width="480" height="72" class="q"></canvas><figcaption>question</figcaption></figure>'
        + '<figure><canvas width="480" height="72" class="a"></canvas><figcaption>reply</figcaption></figure>';
    list.prepend(card);
    spectrogram(card.querySelector('canvas.q'), question, stats.micRate);
    spectrogram(card.querySelector('canvas.a'), reply, stats.sampleRate);
    const latencies = stats.turns.map((t) => t.perceivedMs).filter((v) => v !== null).sort((a, b) => a - b);
    if (latencies.length > 0) {
      $('summary').textContent = stats.turns.length + (stats.turns.length === 1 ? ' turn' : ' turns')
          + ', median wait (last voiced sound → first reply audio) '
          + fmtMs(latencies[Math.floor((latencies.length - 1) / 2)]);
    }
  }

  function showNumbers() {
    $('numbers').textContent = 'sent ' + stats.sentSeconds.toFixed(1) + ' s of microphone audio'
        + (stats.micRate ? ' at ' + stats.micRate + ' Hz' : '')
        + ' · received ' + stats.receivedSeconds.toFixed(2) + ' s of reply'
        + (stats.sampleRate ? ' at ' + stats.sampleRate + ' Hz' : '')
        + ' · played ' + stats.playedSeconds.toFixed(2) + ' s' + (stats.playing ? ' (playing)' : '');
  }

  // ------------------------------------------------------------------ drawing

  /** Questions and replies on one time axis: seconds of microphone audio sent, the last 30 s. */
  function drawTimeline() {
    const canvas = $('timeline');
    const g = canvas.getContext('2d');
    const w = canvas.width;
    const h = canvas.height;
    g.clearRect(0, 0, w, h);
    const end = Math.max(stats.sentSeconds, 10);
    const span = 30;
    const start = Math.max(0, end - span);
    const x = (s) => (s - start) * w / span;
    g.fillStyle = '#6b7280';
    g.font = '11px system-ui, sans-serif';
    for (let s = Math.ceil(start); s <= end; s++) {
      if (s % 5 === 0) {
        g.fillRect(x(s), h - 14, 1, 4);
        g.fillText(s + ' s', x(s) + 2, h - 2);
      }
    }
    for (const r of stats.turns) {
      const q0 = r.questionStartSeconds;
      // The user's wait starts at their last voiced sound; the reply's first audio came the
      // perceived latency after it (the silence the server waited for included).
      const q1 = r.lastVoicedSeconds !== undefined ? r.lastVoicedSeconds : r.questionEndSeconds;
      const r0 = q1 + (r.perceivedMs || 0) / 1000;
      const r1 = r0 + r.replySeconds;
      g.fillStyle = '#3b82f6';
      g.fillRect(x(q0), 14, Math.max(1, x(q1) - x(q0)), 26);
      g.fillStyle = '#f59e0b';
      g.fillRect(x(q1), 46, Math.max(1, x(r0) - x(q1)), 26);
      g.fillStyle = '#10b981';
      g.fillRect(x(r0), 46, Math.max(1, x(r1) - x(r0)), 26);
      g.fillStyle = '#1f2937';
      g.fillText(String(r.turn), x(q0) + 2, 11);
      if (r.perceivedMs !== null) {
        g.fillText(Math.round(r.perceivedMs) + ' ms', x(r0) + 3, 84 - 2);
      }
    }
  }

  /** A small STFT spectrogram, 0 to 8 kHz (or Nyquist), 70 dB range. */
  function spectrogram(canvas, pcm, rate) {
    const g = canvas.getContext('2d');
    const w = canvas.width;
    const h = canvas.height;
    g.fillStyle = '#000';
    g.fillRect(0, 0, w, h);
    const n = rate > 24000 ? 1024 : 512;
    if (!pcm || pcm.length < n) {
      g.fillStyle = '#9ca3af';
      g.font = '12px system-ui, sans-serif';
      g.fillText(pcm && pcm.length > 0 ? 'too short' : 'no audio', 8, h / 2 + 4);
      return;
    }
    const bins = Math.min(n / 2, Math.floor(8000 * n / rate));
    const hop = Math.max(1, Math.floor((pcm.length - n) / Math.min(w, 400)));
    const columns = Math.floor((pcm.length - n) / hop) + 1;
    const hann = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      hann[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / n);
    }
    const re = new Float32Array(n);
    const im = new Float32Array(n);
    const db = new Float32Array(columns * bins);
    let max = -Infinity;
    for (let c = 0; c < columns; c++) {
      for (let i = 0; i < n; i++) {
        re[i] = pcm[c * hop + i] * hann[i];
        im[i] = 0;
      }
      fft(re, im);
      for (let b = 0; b < bins; b++) {
        const v = 10 * Math.log10(re[b] * re[b] + im[b] * im[b] + 1e-12);
        db[c * bins + b] = v;
        if (v > max) {
          max = v;
        }
      }
    }
    const image = g.createImageData(w, h);
    for (let px = 0; px < w; px++) {
      const c = Math.min(columns - 1, Math.floor(px * columns / w));
      for (let py = 0; py < h; py++) {
        const b = Math.min(bins - 1, Math.floor((h - 1 - py) * bins / h));
        const level = Math.max(0, Math.min(1, (db[c * bins + b] - max + 70) / 70));
        const [r, gr, bl] = colour(level);
        const o = 4 * (py * w + px);
        image.data[o] = r;
        image.data[o + 1] = gr;
        image.data[o + 2] = bl;
        image.data[o + 3] = 255;
      }
    }
    g.putImageData(image, 0, 0);
  }

  /** Dark blue -> purple -> orange -> yellow. */
  function colour(v) {
    const stops = [[0, 0, 16], [80, 20, 120], [200, 60, 70], [250, 160, 40], [255, 250, 180]];
    const x = v * (stops.length - 1);
    const i = Math.min(stops.length - 2, Math.floor(x));
    const f = x - i;
    return [0, 1, 2].map((k) => Math.round(stops[i][k] + f * (stops[i + 1][k] - stops[i][k])));
  }

  /** In-place radix-2 FFT; the length must be a power of two. */
  function fft(re, im) {
    const n = re.length;
    for (let i = 1, j = 0; i < n; i++) {
      let bit = n >> 1;
      for (; j & bit; bit >>= 1) {
        j ^= bit;
      }
      j ^= bit;
      if (i < j) {
        let t = re[i]; re[i] = re[j]; re[j] = t;
        t = im[i]; im[i] = im[j]; im[j] = t;
      }
    }
    for (let len = 2; len <= n; len <<= 1) {
      const angle = -2 * Math.PI / len;
      const wr = Math.cos(angle);
      const wi = Math.sin(angle);
      for (let i = 0; i < n; i += len) {
        let cr = 1;
        let ci = 0;
        for (let k = 0; k < len / 2; k++) {
          const a = i + k;
          const b = a + len / 2;
          const tr = re[b] * cr - im[b] * ci;
          const ti = re[b] * ci + im[b] * cr;
          re[b] = re[a] - tr;
          im[b] = im[a] - ti;
          re[a] += tr;
          im[a] += ti;
          const nr = cr * wr - ci * wi;
          ci = cr * wi + ci * wr;
          cr = nr;
        }
      }
    }
  }

  startButton.addEventListener('click', start);
  stopButton.addEventListener('click', stop);
  drawTimeline();
  showNumbers();
})();
