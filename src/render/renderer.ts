/**
 * `Renderer`: owns one synth worker with one SoundFont loaded, queues render requests
 * and receives the PCM by transfer (no copies). The worker only keeps the process alive
 * while it has work, so a warm renderer never stops a CLI or test from exiting.
 */
import { Worker } from 'node:worker_threads';
import { MixtapeError } from '../engine/errors.ts';
import { checkSoundfont, resolveSoundfont } from './soundfont.ts';
import { applyGain, gainFor, LoudnessMeter } from './loudness.ts';
import { SAMPLE_RATE, type RenderDone, type RenderOptions, type WorkerReply, type WorkerRequest } from './synth-protocol.ts';

export type { RenderOptions } from './synth-protocol.ts';

/** Stereo float PCM of one render, plus what happened. */
export interface RenderedAudio {
  left: Float32Array;
  right: Float32Array;
  sampleRate: number;
  durationSeconds: number;
  /** Seconds of music before the tail. */
  musicSeconds: number;
  /** True when the file was longer than `maxSeconds` and was cut. */
  truncated: boolean;
  noteCount: number;
  /** Time spent in the worker synthesising (parse + render; the loudness is measured beside it). */
  renderMs: number;
  /** Integrated loudness (LUFS) and true peak (dBTP) after normalisation; absent when `normalize: false`. */
  loudness?: number;
  truePeak?: number;
}

interface Pending {
  resolve: (r: RenderedAudio) => void;
  reject: (e: Error) => void;
  chunk?: (left: Float32Array, right: Float32Array) => void;
  options: RenderOptions;
  /** A render that is not streamed: its shared arrays, and the meter that follows them as they fill. */
  left?: Float32Array;
  right?: Float32Array;
  meter?: LoudnessMeter;
  /** The finished render, while the worker limits it. */
  done?: RenderedAudio;
}

const toError = (m: { code?: string; message: string }): Error =>
  m.code ? new MixtapeError(m.code as MixtapeError['code'], m.message) : new Error(`synth worker: ${m.message}`);

export class Renderer {
  readonly soundfont: string;
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private readonly readyPromise: Promise<number>;
  private failure: Error | undefined;
  /** Where the font came from once ready: an SF2 as is, the decoded cache, or converted now. */
  fontSource: 'direct' | 'cache' | 'converted' | undefined;

  /** Starts a worker that loads `soundfont` (default: resolveSoundfont()); an SF3 goes through the decoded cache in `cacheDir`. */
  constructor(options: { soundfont?: string; cacheDir?: string | null } = {}) {
    this.soundfont = resolveSoundfont(options.soundfont);
    let onReady!: (ms: number) => void;
    let onFail!: (e: Error) => void;
    this.readyPromise = new Promise<number>((res, rej) => { onReady = res; onFail = rej; });
    this.readyPromise.catch(() => {}); // reported through ready()/render()
    try {
      checkSoundfont(this.soundfont);
    } catch (e) {
      this.failure = e as Error;
      onFail(e as Error);
      return;
    }
    const worker = new Worker(new URL('./synth-worker.ts', import.meta.url), { workerData: { soundfont: this.soundfont, cacheDir: options.cacheDir } });
    this.worker = worker;
    worker.on('message', (m: WorkerReply) => {
      if (m.type === 'ready') {
        this.loaded = true;
        this.fontSource = m.fontSource;
        onReady(m.loadMs);
        this.updateRef();
      } else if (m.type === 'fatal') {
        this.fail(toError(m));
        onFail(this.failure!);
      } else this.settle(m);
    });
    worker.on('error', (e) => { this.fail(new Error(`synth worker crashed: ${e.message}`)); onFail(this.failure!); });
    worker.on('exit', (code) => {
      if (!this.failure) this.fail(new Error(`synth worker exited (code ${code})`));
      onFail(this.failure!);
    });
  }

  /** Resolves with the SoundFont load time in ms once the worker is ready; rejects with SOUNDFONT errors. */
  ready(): Promise<number> {
    return this.readyPromise;
  }

  /**
   * Renders MIDI bytes to 48 kHz stereo float PCM, normalised unless `normalize: false`.
   * Requests run one at a time, in order. The synth writes into shared memory and this thread
   * measures the loudness while it renders, so normalising costs only the gain at the end.
   */
  render(midi: Uint8Array, options: RenderOptions = {}): Promise<RenderedAudio> {
    return this.request(midi, options);
  }

  private request(midi: Uint8Array, options: RenderOptions, chunk?: Pending['chunk']): Promise<RenderedAudio> {
    if (this.failure || !this.worker) return Promise.reject(this.failure ?? new Error('renderer is closed'));
    const id = this.nextId++;
    const copy = midi.slice(); // the caller keeps its bytes; ours are transferred
    const req: WorkerRequest = { type: 'render', id, midi: copy.buffer as ArrayBuffer, options };
    return new Promise<RenderedAudio>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, chunk, options });
      this.updateRef();
      this.worker!.postMessage(req, [req.midi]);
    });
  }

  /**
   * Renders MIDI as a stream of stereo float chunks, each sent as soon as it is synthesised: the
   * first after `firstSeconds` of audio (default 4; its loudness sets the gain for the rest),
   * then every `chunkSeconds` (default 8). For voice playback that starts before a long piece
   * is fully rendered. @example for await (const { left, right } of renderer.renderStream(midi)) play(left, right)
   */
  async *renderStream(midi: Uint8Array, options: RenderOptions & { firstSeconds?: number; chunkSeconds?: number } = {}): AsyncGenerator<{ left: Float32Array; right: Float32Array }> {
    const chunks: { left: Float32Array; right: Float32Array }[] = [];
    let wake: (() => void) | undefined;
    let finished = false;
    let failure: Error | undefined;
    const { firstSeconds = 4, chunkSeconds = 8, ...rest } = options;
    const done = this.request(midi, { ...rest, stream: { firstSeconds, chunkSeconds } }, (left, right) => {
      chunks.push({ left, right });
      wake?.();
    });
    done.then(() => { finished = true; wake?.(); }, (e: Error) => { failure = e; wake?.(); });
    while (true) {
      if (chunks.length > 0) {
        yield chunks.shift()!;
        continue;
      }
      if (failure) throw failure;
      if (finished) return;
      await new Promise<void>((r) => { wake = r; });
      wake = undefined;
    }
  }

  /** Stops the worker; pending renders reject. */
  async close(): Promise<void> {
    const w = this.worker;
    if (!w) return;
    this.fail(new Error('renderer is closed'));
    await w.terminate();
  }

  private settle(m: Extract<WorkerReply, { id: number }>): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    switch (m.type) {
      case 'chunk': return p.chunk?.(m.left, m.right);
      case 'buffers':
        p.left = m.left;
        p.right = m.right;
        if (p.options.normalize !== false) p.meter = new LoudnessMeter(m.left, m.right, SAMPLE_RATE);
        return;
      case 'progress': return p.meter?.add(m.upTo);
      case 'done': {
        // A stream's audio went out in chunks: its answer has none.
        const audio = toAudio(m, p.left?.subarray(0, m.frames) ?? new Float32Array(0), p.right?.subarray(0, m.frames) ?? new Float32Array(0));
        return p.meter ? this.normalize(m.id, p, audio, p.meter) : this.finish(m.id, p, audio);
      }
      case 'limited': return this.finish(m.id, p, { ...p.done!, loudness: m.loudness, truePeak: m.truePeak });
      default:
        this.pending.delete(m.id);
        this.updateRef();
        p.reject(toError(m));
    }
  }

  /** Applies the gain measured beside the synth; a gain that needs the limiter goes back to the worker. */
  private normalize(id: number, p: Pending, audio: RenderedAudio, meter: LoudnessMeter): void {
    meter.add(audio.left.length);
    const measured = meter.result(audio.left.length);
    const { gainDb, limit } = gainFor(measured, { target: p.options.loudness });
    if (!limit) {
      applyGain(audio.left, audio.right, gainDb);
      // Loudness scales with the gain (both gates are relative or far below).
      const loudness = Number.isFinite(measured.loudness) ? measured.loudness + gainDb : measured.loudness;
      return this.finish(id, p, { ...audio, loudness, truePeak: measured.truePeak + gainDb });
    }
    p.done = audio;
    this.worker?.postMessage({ type: 'limit', id, left: audio.left, right: audio.right, gainDb, target: p.options.loudness } satisfies WorkerRequest);
  }

  private finish(id: number, p: Pending, audio: RenderedAudio): void {
    this.pending.delete(id);
    this.updateRef();
    p.resolve(audio);
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const p of this.pending.values()) p.reject(this.failure);
    this.pending.clear();
    this.worker?.unref();
    this.worker = undefined;
  }

  /** True once the worker failed or was closed. */
  isDead(): boolean {
    return this.failure !== undefined;
  }

  // Keep the process alive only while loading or rendering.
  private loaded = false;
  private updateRef(): void {
    if (!this.worker) return;
    if (this.pending.size > 0 || !this.loaded) this.worker.ref();
    else this.worker.unref();
  }
}

function toAudio(m: RenderDone, left: Float32Array, right: Float32Array): RenderedAudio {
  return {
    left, right, sampleRate: m.sampleRate, durationSeconds: m.frames / m.sampleRate,
    musicSeconds: m.musicSeconds, truncated: m.truncated, noteCount: m.noteCount, renderMs: m.renderMs,
  };
}

const renderers = new Map<string, Renderer>();

/** One warm renderer per SoundFont per process (created on first use; a failed one is replaced next call). @example await getRenderer().render(midi) */
export function getRenderer(soundfont?: string): Renderer {
  const path = resolveSoundfont(soundfont);
  let r = renderers.get(path);
  if (!r || r.isDead()) {
    r = new Renderer({ soundfont: path });
    renderers.set(path, r);
  }
  return r;
}

/** Closes every renderer made by getRenderer(). */
export async function closeRenderers(): Promise<void> {
  const all = [...renderers.values()];
  renderers.clear();
  await Promise.all(all.map((r) => r.close()));
}
