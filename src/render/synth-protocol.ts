/** Messages and options shared by the Renderer (main thread) and the synth worker. */
import type { ErrorCode } from '../engine/errors.ts';

/** Every render is 48 kHz stereo: Opus (Discord voice) and Ogg/Opus want 48 kHz. */
export const SAMPLE_RATE = 48000;

export interface ReverbSettings { roomSize: number; damping: number; width: number; level: number }
export interface ChorusSettings { voices: number; level: number; speed: number; depth: number }

/** Options of one render. Effects: `false` = off, `true`/absent = defaults, an object = on with these values. */
export interface RenderOptions {
  reverb?: boolean | Partial<ReverbSettings>;
  chorus?: boolean | Partial<ChorusSettings>;
  /** FluidSynth master gain before normalisation (default 0.5). */
  gain?: number;
  /** Normalise the loudness to `loudness` LUFS under a -1 dBTP ceiling (default true). */
  normalize?: boolean;
  /** Target integrated loudness in LUFS (default -16, see loudness.ts). */
  loudness?: number;
  /** Longest music rendered; longer files are cut and flagged `truncated` (default 600 s). */
  maxSeconds?: number;
  /** Longest tail after the last event while notes ring out (default 3 s). */
  tailSeconds?: number;
  /** More notes than this is an error (default 20,000). */
  maxNotes?: number;
  /**
   * Send the audio in chunks while it is synthesised (voice playback that starts at once): the
   * first after `firstSeconds` of audio (its loudness sets the gain), then every `chunkSeconds`.
   */
  stream?: { firstSeconds: number; chunkSeconds: number };
}

export const DEFAULT_REVERB: ReverbSettings = { roomSize: 0.5, damping: 0.3, width: 0.8, level: 0.5 };
export const DEFAULT_CHORUS: ChorusSettings = { voices: 3, level: 1.2, speed: 0.3, depth: 8 };

/** Effect settings with defaults filled in. @example resolveEffects({ reverb: false }).reverb.on // false */
export function resolveEffects(o: RenderOptions) {
  const pick = <T extends object>(v: boolean | Partial<T> | undefined, d: T) =>
    ({ on: v !== false, ...d, ...(typeof v === 'object' ? v : {}) });
  return { reverb: pick(o.reverb, DEFAULT_REVERB), chorus: pick(o.chorus, DEFAULT_CHORUS), gain: o.gain ?? 0.5 };
}

export interface WorkerInit {
  soundfont: string;
  /** Folder of the decoded-SoundFont cache (default: soundfontCacheDir(); null: no cache). */
  cacheDir?: string | null;
}

/**
 * A render that is not streamed writes its audio into SharedArrayBuffers announced first
 * (`buffers`), with `progress` as frames are done, so the main thread measures the loudness
 * while the synth runs and applies the gain; `limit` asks the worker for the limiter when a
 * gain would pass the ceiling.
 */
export type WorkerRequest =
  | { type: 'render'; id: number; midi: ArrayBuffer; options: RenderOptions }
  | { type: 'limit'; id: number; left: Float32Array; right: Float32Array; gainDb: number; target?: number };

/** The figures of a finished render (its audio is in the shared buffers, or went out in chunks). */
export interface RenderDone {
  type: 'done';
  id: number;
  sampleRate: number;
  /** Frames of audio (the shared arrays are longer). */
  frames: number;
  truncated: boolean;
  noteCount: number;
  musicSeconds: number;
  renderMs: number;
}

export type WorkerReply =
  | { type: 'ready'; loadMs: number; fontSource: 'direct' | 'cache' | 'converted' }
  | { type: 'fatal'; id: number; code?: ErrorCode; message: string }
  | { type: 'failed'; id: number; code?: ErrorCode; message: string }
  | { type: 'chunk'; id: number; left: Float32Array; right: Float32Array }
  | { type: 'buffers'; id: number; left: Float32Array; right: Float32Array }
  | { type: 'progress'; id: number; upTo: number }
  | { type: 'limited'; id: number; loudness: number; truePeak: number }
  | RenderDone;
