/**
 * The synthesis worker: loads FluidSynth (wasm) and one SoundFont once, then renders
 * MIDI requests one at a time. It runs off the main thread so a bot never blocks.
 * Protocol: see `WorkerRequest` / `WorkerReply` in synth-protocol.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import type { Synthesizer as SynthesizerType } from 'js-synthesizer';
import { MixtapeError } from '../engine/errors.ts';
import { parseSmf, type TimedEvent } from './smf.ts';
import { normalizeLoudness } from './loudness.ts';
import { dropCache, soundfontBytes, type FontSource } from './soundfont-cache.ts';
import type { RenderOptions, WorkerReply, WorkerRequest, WorkerInit } from './synth-protocol.ts';
import { SAMPLE_RATE, resolveEffects } from './synth-protocol.ts';

const require = createRequire(import.meta.url);
const port = parentPort!;
const init = workerData as WorkerInit;

// FluidSynth logs through console.error (bound when its module loads): keep its
// chatter (e.g. "fluid_stat is a stub") out of stderr, but remember it for error messages.
const fluidLog: string[] = [];
const originalError = console.error;
console.error = (...args: unknown[]) => {
  const line = args.map(String).join(' ');
  if (line.startsWith('fluidsynth:')) {
    fluidLog.push(line);
    if (fluidLog.length > 20) fluidLog.shift();
  } else originalError(...args);
};

const BLOCK = 8192; // frames per render call between events: large blocks keep JS overhead negligible
const SILENCE = 1e-4; // -80 dBFS: the tail has rung out

const post = (msg: WorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(msg, transfer);

/** The font's bytes: an SF3 comes from the decoded cache (made on first use). */
async function fontBytes(): Promise<{ bytes: Uint8Array; source: FontSource; cachePath?: string }> {
  try {
    return await soundfontBytes(init.soundfont, { cacheDir: init.cacheDir });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code) {
      throw new MixtapeError('SOUNDFONT', `cannot read SoundFont ${init.soundfont} (${(e as Error).message}); set SOUNDFONT or --soundfont to a .sf2/.sf3 file`);
    }
    // The converter failed (an odd SF3): FluidSynth decodes the original itself.
    return { bytes: new Uint8Array(await readFile(init.soundfont)), source: 'direct' };
  }
}

const asBuffer = (b: Uint8Array) => (b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? b.buffer : b.slice().buffer) as ArrayBuffer;

/** Loads the wasm module and the SoundFont; returns the synth and where the font came from. */
async function start(): Promise<{ synth: SynthesizerType; source: FontSource }> {
  const JSSynth = require('js-synthesizer') as typeof import('js-synthesizer');
  JSSynth.Synthesizer.initializeWithFluidSynthModule(require('js-synthesizer/externals/libfluidsynth-2.4.6-with-libsndfile.js'));
  const [font] = await Promise.all([fontBytes(), JSSynth.waitForReady()]);
  const synth = new JSSynth.Synthesizer();
  synth.init(SAMPLE_RATE, { polyphony: 256, midiBankSelect: 'gs' });
  try {
    await synth.loadSFont(asBuffer(font.bytes));
    return { synth, source: font.source };
  } catch {
    if (font.source !== 'direct') {
      // A cache FluidSynth rejects is dropped; the original still works.
      if (font.cachePath) await dropCache(font.cachePath).catch(() => {});
      try {
        await synth.loadSFont(asBuffer(new Uint8Array(await readFile(init.soundfont))));
        return { synth, source: 'direct' };
      } catch { /* reported below */ }
    }
    const why = fluidLog.filter((l) => !/stub/.test(l)).pop() ?? 'FluidSynth rejected it';
    throw new MixtapeError('SOUNDFONT', `SoundFont ${init.soundfont} is corrupt or unsupported (${why.replace(/^fluidsynth:\s*/, '')}); use a valid .sf2/.sf3 file`);
  }
}

/** Sends one timed event to the synth. */
function dispatch(synth: SynthesizerType, e: TimedEvent): void {
  const ch = e.status & 0x0f;
  switch (e.status & 0xf0) {
    case 0x80: return synth.midiNoteOff(ch, e.data1);
    case 0x90: return e.data2 > 0 ? synth.midiNoteOn(ch, e.data1, e.data2) : synth.midiNoteOff(ch, e.data1);
    case 0xa0: return synth.midiKeyPressure(ch, e.data1, e.data2);
    case 0xb0: return synth.midiControl(ch, e.data1, e.data2);
    case 0xc0: return synth.midiProgramChange(ch, e.data1);
    case 0xd0: return synth.midiChannelPressure(ch, e.data1);
    case 0xe0: return synth.midiPitchBend(ch, e.data1 | (e.data2 << 7));
    case 0xf0: if (e.sysex) synth.midiSysEx(e.sysex); return;
  }
}

/** Renders frames [from, to) of the output in large blocks. */
function renderSpan(synth: SynthesizerType, left: Float32Array, right: Float32Array, from: number, to: number): void {
  for (let i = from; i < to; i += BLOCK) {
    const end = Math.min(to, i + BLOCK);
    synth.render([left.subarray(i, end), right.subarray(i, end)]);
  }
}

/** Largest absolute sample in a span of both channels. */
function peak(left: Float32Array, right: Float32Array, from = 0, to = left.length): number {
  let p = 0;
  for (let i = from; i < to; i++) {
    const a = Math.abs(left[i]);
    const b = Math.abs(right[i]);
    if (a > p) p = a;
    if (b > p) p = b;
  }
  return p;
}

/** Puts the synth in a clean state with this request's effect settings. */
function reset(synth: SynthesizerType, options: RenderOptions): void {
  synth.midiSystemReset();
  synth.midiAllSoundsOff();
  const fx = resolveEffects(options);
  synth.setReverbOn(fx.reverb.on);
  synth.setReverb(fx.reverb.roomSize, fx.reverb.damping, fx.reverb.width, fx.reverb.level);
  synth.setChorusOn(fx.chorus.on);
  synth.setChorus(fx.chorus.voices, fx.chorus.level, fx.chorus.speed, fx.chorus.depth, 0);
  synth.setGain(fx.gain);
}

type OnRendered = (upTo: number, left: Float32Array, right: Float32Array, final: boolean) => void;

/**
 * Renders one MIDI file to stereo float PCM, tail included, reporting progress to `onRendered`.
 * `shared`: the audio goes into SharedArrayBuffers given to it before synthesis; the main thread
 * measures and normalises them as they fill (a stream normalises its own chunks instead).
 */
function renderMidi(synth: SynthesizerType, midi: Uint8Array, options: RenderOptions, onRendered: OnRendered, shared?: (left: Float32Array, right: Float32Array) => void) {
  const t0 = performance.now();
  const seq = parseSmf(midi);
  const maxNotes = options.maxNotes ?? 20_000;
  if (seq.noteCount > maxNotes) {
    throw new MixtapeError('TOO_LARGE', `the MIDI file has ${seq.noteCount} notes; the limit is ${maxNotes}. Send a shorter piece`);
  }
  if (seq.noteCount === 0) throw new MixtapeError('NO_NOTES', 'the MIDI file has no notes; send a file with notes in it');
  const maxFrames = Math.round((options.maxSeconds ?? 600) * SAMPLE_RATE);
  const tailFrames = Math.round((options.tailSeconds ?? 3) * SAMPLE_RATE);
  const musicFrames = Math.ceil(seq.endSeconds * SAMPLE_RATE);
  const truncated = musicFrames > maxFrames;
  const bodyFrames = Math.min(musicFrames, maxFrames);
  const alloc = (n: number) => (shared ? new Float32Array(new SharedArrayBuffer(n * 4)) : new Float32Array(n));
  const left = alloc(bodyFrames + tailFrames);
  const right = alloc(bodyFrames + tailFrames);
  shared?.(left, right);
  reset(synth, options);
  let pos = 0;
  for (const e of seq.events) {
    const frame = Math.min(Math.round(e.time * SAMPLE_RATE), bodyFrames);
    if (frame > pos) {
      renderSpan(synth, left, right, pos, frame);
      pos = frame;
      onRendered(pos, left, right, false);
    }
    if (frame >= bodyFrames && truncated) break;
    dispatch(synth, e);
  }
  renderSpan(synth, left, right, pos, bodyFrames);
  if (truncated) synth.midiAllNotesOff(); // let the cut notes release rather than click
  // Tail: render in 50 ms steps until silent, at most tailFrames.
  let end = bodyFrames;
  const step = SAMPLE_RATE / 20;
  while (end < bodyFrames + tailFrames) {
    const next = Math.min(end + step, bodyFrames + tailFrames);
    renderSpan(synth, left, right, end, next);
    const quiet = peak(left, right, end, next) < SILENCE;
    end = next;
    if (quiet) break;
    onRendered(end, left, right, false);
  }
  onRendered(end, left, right, true);
  synth.midiAllSoundsOff();
  return {
    frames: end, truncated, noteCount: seq.noteCount,
    musicSeconds: Math.min(seq.endSeconds, bodyFrames / SAMPLE_RATE), renderMs: performance.now() - t0,
  };
}

/**
 * Posts a streamed render in chunks as it is synthesised. The loudness cannot wait for the end:
 * the gain is set from the first `firstSeconds` (measured, then held), and each chunk passes the
 * limiter, so the stream lands near the target without clipping.
 */
function streamer(id: number, stream: NonNullable<RenderOptions['stream']>, options: RenderOptions) {
  const first = Math.round(stream.firstSeconds * SAMPLE_RATE);
  const step = Math.round(stream.chunkSeconds * SAMPLE_RATE);
  let sent = 0;
  let gainDb: number | undefined;
  return (upTo: number, left: Float32Array, right: Float32Array, final: boolean) => {
    if (upTo - sent < (sent === 0 ? first : step) && !(final && upTo > sent)) return;
    const l = left.slice(sent, upTo);
    const r = right.slice(sent, upTo);
    if (options.normalize !== false) {
      gainDb ??= normalizeLoudness(l, r, SAMPLE_RATE, { target: options.loudness }).gainDb;
      if (sent > 0) normalizeLoudness(l, r, SAMPLE_RATE, { fixedGainDb: gainDb });
    }
    sent = upTo;
    post({ type: 'chunk', id, left: l, right: r }, [l.buffer as ArrayBuffer, r.buffer as ArrayBuffer]);
  };
}

/** Tells the main thread how far a render has got, every half second of audio or so. */
function progress(id: number): OnRendered {
  let told = 0;
  return (upTo, _l, _r, final) => {
    if (upTo - told < SAMPLE_RATE / 2 && !final) return;
    told = upTo;
    post({ type: 'progress', id, upTo });
  };
}

/** The limiter for a render whose gain would pass the ceiling (the main thread measured it). */
function limitShared(req: Extract<WorkerRequest, { type: 'limit' }>): void {
  try {
    const r = normalizeLoudness(req.left, req.right, SAMPLE_RATE, { target: req.target, fixedGainDb: req.gainDb });
    post({ type: 'limited', id: req.id, loudness: r.after, truePeak: r.truePeak });
  } catch (e) {
    post(errorReply(req.id, e));
  }
}

const errorReply = (id: number, e: unknown): WorkerReply => e instanceof MixtapeError
  ? { type: 'failed', id, code: e.code, message: e.message }
  : { type: 'failed', id, message: (e as Error)?.message ?? String(e) };

const startedAt = performance.now();
start().then(
  ({ synth, source }) => {
    post({ type: 'ready', loadMs: performance.now() - startedAt, fontSource: source });
    port.on('message', (req: WorkerRequest) => {
      if (req.type === 'limit') return limitShared(req);
      try {
        // A stream's audio goes out in chunks; any other render's is shared with the caller as it is written.
        const stream = req.options.stream;
        const r = stream
          ? renderMidi(synth, new Uint8Array(req.midi), req.options, streamer(req.id, stream, req.options))
          : renderMidi(synth, new Uint8Array(req.midi), req.options, progress(req.id), (left, right) => post({ type: 'buffers', id: req.id, left, right }));
        post({ type: 'done', id: req.id, sampleRate: SAMPLE_RATE, ...r });
      } catch (e) {
        try { synth.midiAllSoundsOff(); } catch { /* the synth is reset on the next request anyway */ }
        post(errorReply(req.id, e));
      }
    });
  },
  (e) => post({ ...errorReply(-1, e), type: 'fatal' } as WorkerReply),
);
