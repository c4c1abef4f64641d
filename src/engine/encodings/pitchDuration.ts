/**
 * Note-level encoding for a two-headed model (next pitch, next duration), as in
 * music_generation: each element is (pitchToken, durationClass).
 *
 * pitchToken: 0 = REST, 1..128 = MIDI pitch 0..127 (129 values).
 * durationClass: index into DURATION_STEPS = [1,2,3,4,6,8,12,16] 16ths (16th, 8th, dotted 8th,
 * quarter, dotted quarter, half, dotted half, whole).
 * A joint token `pitchToken * 8 + durationClass` (vocab 1032) lets the Markov baseline and
 * the corpus treat the pairs as one integer stream.
 *
 * Encoding works on the 16th grid. A note lasts until the next onset (legato) unless the gap
 * after it is at least a 16th, in which case the note keeps its own length. Its duration snaps
 * to the nearest class (ties to the shorter) that does not run into the next onset, and REST
 * elements fill whatever time is left before the next onset (greedy split into classes, exact).
 * So onsets and pitches survive exactly on the 16th grid (one note per onset: the highest).
 * Lost: velocity, timing off the grid, leading silence (unless `leadingRest`), durations between
 * classes (e.g. a legato 5/16 note becomes a quarter plus a 16th rest), notes longer than a
 * whole (clipped; the remaining time becomes REST), polyphony.
 */
import type { Note } from '../score.ts';
import { beatToStep, stepToBeat } from '../quantize.ts';

export const REST = 0;
export const PITCH_VOCAB = 129;
export const DURATION_STEPS = [1, 2, 3, 4, 6, 8, 12, 16] as const;
export const NUM_DURATIONS = DURATION_STEPS.length;
const DURATION_NAMES = ['16th', '8th', '8th.', 'q', 'q.', 'h', 'h.', 'w'];

export interface PitchDurationConfig {
  /** Emit rests from beat 0 to the first note (default false). */
  leadingRest?: boolean;
  /** Velocity of decoded notes (default 100). */
  velocity?: number;
}

/** One element: a pitch token and a duration class. */
export interface PitchDurationEvent {
  pitch: number;
  duration: number;
}

/** Joint vocabulary size (129 * 8). @example vocabSize() // 1032 */
export function vocabSize(_config: PitchDurationConfig = {}): number {
  return PITCH_VOCAB * NUM_DURATIONS;
}

/** Pack a pair into one token. @example jointToken({pitch:61,duration:3}) // 491 */
export function jointToken(e: PitchDurationEvent): number {
  return e.pitch * NUM_DURATIONS + e.duration;
}

/** Unpack a joint token. @example splitToken(491) // {pitch:61,duration:3} */
export function splitToken(token: number): PitchDurationEvent {
  return { pitch: Math.floor(token / NUM_DURATIONS), duration: token % NUM_DURATIONS };
}

/** Readable name of a joint token. @example tokenName(491) // 'P60:q' */
export function tokenName(token: number, _config: PitchDurationConfig = {}): string {
  const { pitch, duration } = splitToken(token);
  return `${pitch === REST ? 'REST' : `P${pitch - 1}`}:${DURATION_NAMES[duration] ?? '?'}`;
}

/** Nearest duration class of a length in 16ths (ties go to the shorter). @example durationClass(5) // 3 */
export function durationClass(steps: number): number {
  let best = 0;
  for (let k = 1; k < NUM_DURATIONS; k++) {
    if (Math.abs(DURATION_STEPS[k] - steps) < Math.abs(DURATION_STEPS[best] - steps)) best = k;
  }
  return best;
}

/** Split a gap in 16ths into rest classes, longest first (exact: 1 is a class). @example restClasses(20) // [7,3] */
export function restClasses(steps: number): number[] {
  const out: number[] = [];
  let left = steps;
  while (left >= 1) {
    let k = NUM_DURATIONS - 1;
    while (DURATION_STEPS[k] > left) k--;
    out.push(k);
    left -= DURATION_STEPS[k];
  }
  return out;
}

/**
 * Encode a monophonic melody into (pitch, duration) pairs.
 * @example encodeEvents([{pitch:60,start:0,duration:1,velocity:80}]) // [{pitch:61,duration:3}]
 */
export function encodeEvents(notes: readonly Note[], config: PitchDurationConfig = {}): PitchDurationEvent[] {
  const steps = [...notes]
    .map((n) => ({ pitch: Math.max(0, Math.min(127, Math.round(n.pitch))), start: Math.max(0, beatToStep(n.start)), end: beatToStep(n.start + n.duration) }))
    .sort((a, b) => a.start - b.start || b.pitch - a.pitch)
    .filter((n, i, a) => i === 0 || n.start !== a[i - 1].start); // one note per onset: the highest
  const out: PitchDurationEvent[] = [];
  if (steps.length === 0) return out;
  let cursor = config.leadingRest ? 0 : steps[0].start;
  for (let i = 0; i < steps.length; i++) {
    const n = steps[i];
    for (const k of restClasses(n.start - cursor)) {
      out.push({ pitch: REST, duration: k });
      cursor += DURATION_STEPS[k];
    }
    const next = i + 1 < steps.length ? steps[i + 1].start : Infinity;
    const end = Math.max(n.start + 1, Math.min(n.end, next));
    const target = next - end >= 1 ? end : next; // legato unless a real gap follows
    let k = durationClass(Math.max(1, target - cursor));
    while (k > 0 && cursor + DURATION_STEPS[k] > next) k--; // never run into the next onset
    out.push({ pitch: n.pitch + 1, duration: k });
    cursor += DURATION_STEPS[k];
  }
  return out;
}

/** Encode to joint tokens. @example encode(notes) // [491, ...] */
export function encode(notes: readonly Note[], config: PitchDurationConfig = {}): number[] {
  return encodeEvents(notes, config).map(jointToken);
}

/**
 * Pairs back to notes (beats), laid end to end from beat `startBeat`.
 * @example decodeEvents([{pitch:61,duration:3}]) // [{pitch:60,start:0,duration:1,velocity:100}]
 */
export function decodeEvents(events: readonly PitchDurationEvent[], config: PitchDurationConfig & { startBeat?: number } = {}): Note[] {
  const velocity = config.velocity ?? 100;
  let cursor = beatToStep(config.startBeat ?? 0);
  const notes: Note[] = [];
  for (const e of events) {
    const len = DURATION_STEPS[e.duration] ?? 1;
    if (e.pitch > REST && e.pitch < PITCH_VOCAB) {
      notes.push({ pitch: e.pitch - 1, start: stepToBeat(cursor), duration: stepToBeat(len), velocity });
    }
    cursor += len;
  }
  return notes;
}

/** Joint tokens back to notes. @example decode([491]) */
export function decode(tokens: readonly number[], config: PitchDurationConfig & { startBeat?: number } = {}): Note[] {
  return decodeEvents(tokens.map(splitToken), config);
}
