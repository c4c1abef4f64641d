/**
 * DrumsRNN encoding (Magenta): General MIDI drum pitches map to 9 classes; each 16th step is
 * one token, the 9-bit mask of the classes hit in that step (512 tokens, 0 = silence).
 * Class order and pitch lists follow Magenta's DEFAULT_DRUM_TYPE_PITCHES (the first pitch of
 * each list is the canonical one used for decoding).
 * Lost: exact drum sounds inside a class, velocity (decoded as one fixed value), note lengths
 * (decoded as one 16th), timing off the 16th grid, pitches outside the map.
 */
import type { Note, Score, Track } from '../score.ts';
import { beatToStep, scoreStepsPerBar, stepToBeat } from '../quantize.ts';

export const DRUM_CLASS_NAMES = ['kick', 'snare', 'closed hat', 'open hat', 'low tom', 'mid tom', 'high tom', 'crash', 'ride'] as const;

/** GM pitches of each class; index 0 of each list is the canonical pitch. */
export const DRUM_CLASS_PITCHES: readonly (readonly number[])[] = [
  [36, 35],
  [38, 27, 28, 31, 32, 33, 34, 37, 39, 40, 56, 65, 66, 75, 85],
  [42, 44, 54, 68, 69, 70, 71, 73, 78, 80, 22],
  [46, 67, 72, 74, 79, 81, 26],
  [45, 29, 41, 43, 61, 64, 84],
  [48, 47, 60, 63, 77, 86, 87],
  [50, 30, 62, 76, 83],
  [49, 52, 55, 57, 58],
  [51, 53, 59, 82],
];

export const NUM_DRUM_CLASSES = DRUM_CLASS_PITCHES.length;

const CLASS_OF_PITCH = new Map<number, number>(DRUM_CLASS_PITCHES.flatMap((list, k) => list.map((p) => [p, k] as [number, number])));

export interface DrumsConfig {
  /** Velocity of decoded hits (default 100). */
  velocity?: number;
  /** Length of decoded hits in beats (default a 16th). */
  hitBeats?: number;
  /** Pad the end with silence to a whole bar (default true). */
  padToBar?: boolean;
  stepsPerBar?: number;
}

/** Vocabulary size (2^9). @example vocabSize() // 512 */
export function vocabSize(_config: DrumsConfig = {}): number {
  return 1 << NUM_DRUM_CLASSES;
}

/** Drum class of a GM pitch, or -1 when unmapped. @example drumClass(42) // 2 */
export function drumClass(pitch: number): number {
  return CLASS_OF_PITCH.get(pitch) ?? -1;
}

/** Readable name: the classes in the mask. @example tokenName(3) // 'kick+snare' */
export function tokenName(token: number, _config: DrumsConfig = {}): string {
  if (token === 0) return 'silence';
  return DRUM_CLASS_NAMES.filter((_, k) => token & (1 << k)).join('+') || `?${token}`;
}

/**
 * Encode the drum tracks of a score, one mask per 16th step.
 * @example encode(score).slice(0, 4) // [5, 0, 4, 0]: kick+hat, -, hat, -
 */
export function encode(score: Score, config: DrumsConfig = {}): number[] {
  const stepsPerBar = config.stepsPerBar ?? scoreStepsPerBar(score);
  const hits = score.tracks.filter((t) => t.isDrum).flatMap((t) => t.notes);
  return encodeHits(hits, { ...config, stepsPerBar });
}

/** Encode drum notes (GM pitches) directly. @example encodeHits([{pitch:36,start:0,duration:0.1,velocity:90}]) */
export function encodeHits(hits: readonly Note[], config: DrumsConfig = {}): number[] {
  const tokens: number[] = [];
  for (const n of hits) {
    const k = drumClass(n.pitch);
    if (k < 0) continue;
    const step = Math.max(0, beatToStep(n.start));
    while (tokens.length <= step) tokens.push(0);
    tokens[step] |= 1 << k;
  }
  const stepsPerBar = config.stepsPerBar ?? 16;
  if (config.padToBar ?? true) while (tokens.length % stepsPerBar !== 0) tokens.push(0);
  return tokens;
}

/**
 * Masks back to a drum track (canonical pitch per class, fixed length and velocity).
 * @example decode([5]).notes.map(n => n.pitch) // [36, 42]
 */
export function decode(tokens: readonly number[], config: DrumsConfig = {}): Track {
  const velocity = config.velocity ?? 100;
  const duration = config.hitBeats ?? 0.25;
  const notes: Note[] = [];
  tokens.forEach((mask, step) => {
    for (let k = 0; k < NUM_DRUM_CLASSES; k++) {
      if (mask & (1 << k)) notes.push({ pitch: DRUM_CLASS_PITCHES[k][0], start: stepToBeat(step), duration, velocity });
    }
  });
  notes.sort((a, b) => a.start - b.start || a.pitch - b.pitch);
  return { name: 'Drums', program: 0, isDrum: true, notes };
}
