/** Keys and scales as pitch-class sets: detection from notes, parsing of names like "D minor". */
import { MixtapeError } from './errors.ts';
import type { Note } from './score.ts';

export const NOTE_NAMES = ['C', 'C#', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'Ab', 'A', 'Bb', 'B'] as const;

/** Scale steps (semitones above the root) by mode name. */
export const SCALES: Record<string, number[]> = {
  major: [0, 2, 4, 5, 7, 9, 11],
  minor: [0, 2, 3, 5, 7, 8, 10],
  dorian: [0, 2, 3, 5, 7, 9, 10],
  mixolydian: [0, 2, 4, 5, 7, 9, 10],
  pentatonic: [0, 2, 4, 7, 9],
  'minor pentatonic': [0, 3, 5, 7, 10],
  blues: [0, 3, 5, 6, 7, 10],
};

export interface Key {
  root: number;
  mode: string;
}

const ALIASES: Record<string, number> = { DB: 1, 'D#': 3, GB: 6, 'G#': 8, 'A#': 10, CB: 11, FB: 4, 'E#': 5, 'B#': 0 };

/**
 * Parses "D minor", "f# dorian", "Bb" (major). Invalid names give a MixtapeError.
 * @example parseKey('D minor') // { root: 2, mode: 'minor' }
 */
export function parseKey(text: string): Key {
  const m = /^\s*([a-gA-G])([#b]?)(?:\s*[:\- ]\s*(.+?))?\s*$/.exec(text);
  const mode = (m?.[3] ?? 'major').toLowerCase();
  if (!m || !SCALES[mode]) {
    throw new MixtapeError('BAD_ARGUMENT', `unknown key "${text}"; write a note and a mode, e.g. "D minor" (modes: ${Object.keys(SCALES).join(', ')})`);
  }
  const name = (m[1] + m[2]).toUpperCase();
  const root = ALIASES[name] ?? NOTE_NAMES.findIndex((n) => n.toUpperCase() === name);
  return { root, mode };
}

/** Pitch classes of a key. @example [...scalePitchClasses({ root: 0, mode: 'major' })] // [0,2,4,5,7,9,11] */
export function scalePitchClasses(key: Key): Set<number> {
  return new Set(SCALES[key.mode].map((s) => (key.root + s) % 12));
}

/** Readable name. @example keyName({ root: 2, mode: 'minor' }) // 'D minor' */
export function keyName(key: Key): string {
  return `${NOTE_NAMES[key.root]} ${key.mode}`;
}

/**
 * The major or minor key that holds most of the notes (duration-weighted), ties to major.
 * @example detectKey(notes) // { root: 7, mode: 'major' }
 */
export function detectKey(notes: readonly Note[]): Key | null {
  if (notes.length === 0) return null;
  const weight = new Array(12).fill(0);
  for (const n of notes) weight[((Math.round(n.pitch) % 12) + 12) % 12] += n.duration;
  let best: Key = { root: 0, mode: 'major' };
  let bestScore = -1;
  for (const mode of ['major', 'minor']) {
    for (let root = 0; root < 12; root++) {
      // The tonic weighs extra so relative major and minor keys can be told apart.
      const score = SCALES[mode].reduce((s, d) => s + weight[(root + d) % 12], 0) + 0.5 * weight[root];
      if (score > bestScore + 1e-9) {
        bestScore = score;
        best = { root, mode };
      }
    }
  }
  return best;
}
