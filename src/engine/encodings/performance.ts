/**
 * Performance-RNN events (Magenta): 128 NOTE_ON, 128 NOTE_OFF, 100 TIME_SHIFT of 10 ms
 * (1..100 steps) and 32 VELOCITY bins = 388 tokens.
 *   0..127    NOTE_ON pitch
 *   128..255  NOTE_OFF pitch
 *   256..355  TIME_SHIFT of (token - 255) * 10 ms
 *   356..387  VELOCITY bin b (velocities 1 + 4b .. 4 + 4b; decoded as 1 + 4b, like Magenta)
 * Encoding reads times in seconds through the score's tempo map. At one instant NOTE_OFFs come
 * before NOTE_ONs; a note that would overlap a later note of the same pitch is cut there.
 * Lost: timing finer than 10 ms, velocity within a bin, tracks/programs, drums (skipped unless
 * `includeDrums`), the tempo map (decode uses one bpm: beats = seconds * bpm / 60).
 */
import type { Note, Score } from '../score.ts';
import { DEFAULT_BPM } from '../score.ts';

export interface PerformanceConfig {
  stepsPerSecond: number;
  maxShiftSteps: number;
  velocityBins: number;
}

export const DEFAULT_PERFORMANCE_CONFIG: PerformanceConfig = { stepsPerSecond: 100, maxShiftSteps: 100, velocityBins: 32 };

export const NOTE_ON = 0;
export const NOTE_OFF = 128;
export const TIME_SHIFT = 256;

/** First VELOCITY token. @example velocityOffset() // 356 */
export function velocityOffset(config: PerformanceConfig = DEFAULT_PERFORMANCE_CONFIG): number {
  return TIME_SHIFT + config.maxShiftSteps;
}

/** Vocabulary size. @example vocabSize() // 388 */
export function vocabSize(config: PerformanceConfig = DEFAULT_PERFORMANCE_CONFIG): number {
  return velocityOffset(config) + config.velocityBins;
}

/** Readable token name. @example tokenName(300) // 'SHIFT_45' */
export function tokenName(token: number, config: PerformanceConfig = DEFAULT_PERFORMANCE_CONFIG): string {
  if (token < NOTE_OFF) return `ON_${token}`;
  if (token < TIME_SHIFT) return `OFF_${token - NOTE_OFF}`;
  if (token < velocityOffset(config)) return `SHIFT_${token - TIME_SHIFT + 1}`;
  if (token < vocabSize(config)) return `VEL_${token - velocityOffset(config)}`;
  return `?${token}`;
}

/** Velocity bin of a MIDI velocity (1..127). @example velocityToBin(100) // 24 */
export function velocityToBin(velocity: number, config: PerformanceConfig = DEFAULT_PERFORMANCE_CONFIG): number {
  const size = Math.ceil(127 / config.velocityBins);
  return Math.max(0, Math.min(config.velocityBins - 1, Math.floor((Math.round(velocity) - 1) / size)));
}

/** Velocity that a bin decodes to. @example binToVelocity(24) // 97 */
export function binToVelocity(bin: number, config: PerformanceConfig = DEFAULT_PERFORMANCE_CONFIG): number {
  return 1 + bin * Math.ceil(127 / config.velocityBins);
}

/**
 * beat -> seconds under the score's tempo map, O(log tempos) per call (same result as
 * score.ts beatToSeconds, which is linear: piano-midi.de files carry thousands of tempo changes).
 * @example secondsMapper(score)(2) // 1 at 120 bpm
 */
export function secondsMapper(score: Score): (beat: number) => number {
  const tempos = score.tempos.length ? score.tempos : [{ beat: 0, bpm: DEFAULT_BPM }];
  const at: number[] = [0];
  for (let i = 1; i < tempos.length; i++) at.push(at[i - 1] + ((tempos[i].beat - tempos[i - 1].beat) * 60) / tempos[i - 1].bpm);
  return (beat) => {
    if (beat <= tempos[0].beat) return 0;
    let lo = 0;
    let hi = tempos.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (tempos[mid].beat <= beat) lo = mid;
      else hi = mid - 1;
    }
    return at[lo] + ((beat - tempos[lo].beat) * 60) / tempos[lo].bpm;
  };
}

export interface PerformanceEncodeOptions {
  includeDrums?: boolean;
}

/**
 * Encode a score as a performance event stream.
 * @example encode(score).slice(0, 3) // [VEL_24, ON_60, SHIFT_50]
 */
export function encode(score: Score, config: PerformanceConfig = DEFAULT_PERFORMANCE_CONFIG, options: PerformanceEncodeOptions = {}): number[] {
  const seconds = secondsMapper(score);
  const step = (beat: number) => Math.round(seconds(beat) * config.stepsPerSecond);
  const notes = score.tracks
    .filter((t) => options.includeDrums || !t.isDrum)
    .flatMap((t) => t.notes)
    .map((n) => ({ pitch: Math.max(0, Math.min(127, Math.round(n.pitch))), on: step(n.start), off: step(n.start + n.duration), vel: velocityToBin(n.velocity, config) }))
    .sort((a, b) => a.on - b.on || a.pitch - b.pitch || b.off - a.off);
  // One note per (pitch, onset); then cut same-pitch overlaps so every NOTE_ON has its own NOTE_OFF.
  const unique = notes.filter((n, i) => i === 0 || n.on !== notes[i - 1].on || n.pitch !== notes[i - 1].pitch);
  const lastOfPitch = new Map<number, (typeof notes)[number]>();
  for (const n of unique) {
    const prev = lastOfPitch.get(n.pitch);
    if (prev && prev.off > n.on) prev.off = n.on;
    lastOfPitch.set(n.pitch, n);
  }
  const events: { time: number; order: number; token: number; vel: number }[] = [];
  for (const n of unique) {
    const off = Math.max(n.off, n.on + 1); // very short notes keep one step
    events.push({ time: n.on, order: 1, token: NOTE_ON + n.pitch, vel: n.vel });
    events.push({ time: off, order: 0, token: NOTE_OFF + n.pitch, vel: -1 });
  }
  events.sort((a, b) => a.time - b.time || a.order - b.order || a.token - b.token);
  const tokens: number[] = [];
  let now = 0;
  let vel = -1;
  for (const e of events) {
    for (let gap = e.time - now; gap > 0; gap -= config.maxShiftSteps) {
      tokens.push(TIME_SHIFT + Math.min(gap, config.maxShiftSteps) - 1);
    }
    now = Math.max(now, e.time);
    if (e.vel >= 0 && e.vel !== vel) {
      tokens.push(velocityOffset(config) + e.vel);
      vel = e.vel;
    }
    tokens.push(e.token);
  }
  return tokens;
}

export interface PerformanceDecodeOptions {
  bpm?: number;
  /** Longest a note may sound (seconds, default 5): a generated NOTE_ON may never get its NOTE_OFF. */
  maxNoteSeconds?: number;
  program?: number;
  title?: string;
}

/**
 * Events back to a one-track Score at a fixed bpm (beats = seconds * bpm / 60). Notes still
 * sounding at the end are closed there, and none sounds longer than `maxNoteSeconds`; a
 * NOTE_ON of a sounding pitch restarts it.
 * @example decode(encode(score)).tracks[0].notes.length
 */
export function decode(tokens: readonly number[], options: PerformanceDecodeOptions = {}, config: PerformanceConfig = DEFAULT_PERFORMANCE_CONFIG): Score {
  const bpm = options.bpm ?? 120;
  const toBeat = (steps: number) => (steps / config.stepsPerSecond) * (bpm / 60);
  const velOffset = velocityOffset(config);
  const maxSteps = Math.round((options.maxNoteSeconds ?? 5) * config.stepsPerSecond);
  const notes: Note[] = [];
  const open = new Map<number, { on: number; velocity: number }>();
  let now = 0;
  let velocity = binToVelocity(velocityToBin(80, config), config);
  const close = (pitch: number) => {
    const o = open.get(pitch);
    if (!o) return;
    open.delete(pitch);
    notes.push({ pitch, start: toBeat(o.on), duration: toBeat(Math.min(Math.max(now - o.on, 0), maxSteps)), velocity: o.velocity });
  };
  for (const t of tokens) {
    if (t < NOTE_OFF) {
      close(t);
      open.set(t, { on: now, velocity });
    } else if (t < TIME_SHIFT) close(t - NOTE_OFF);
    else if (t < velOffset) now += t - TIME_SHIFT + 1;
    else if (t < velOffset + config.velocityBins) velocity = binToVelocity(t - velOffset, config);
  }
  for (const pitch of [...open.keys()]) close(pitch);
  notes.sort((a, b) => a.start - b.start || a.pitch - b.pitch);
  return {
    title: options.title ?? 'untitled',
    tracks: [{ name: 'Piano', program: options.program ?? 0, isDrum: false, notes }],
    tempos: [{ beat: 0, bpm }],
    timeSignatures: [{ beat: 0, numerator: 4, denominator: 4 }],
    lengthBeats: toBeat(now),
  };
}
