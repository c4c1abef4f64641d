/**
 * Transposition: move pitched parts by semitones (drums never move) and fold notes into a
 * pitch range by whole octaves, so a melody keeps its shape inside a model's range.
 */
import type { Note, Score } from './score.ts';

/** Move notes by `semitones`, clamped to MIDI 0..127. @example transposeNotes(notes, 2) */
export function transposeNotes(notes: readonly Note[], semitones: number): Note[] {
  return notes.map((n) => ({ ...n, pitch: Math.max(0, Math.min(127, n.pitch + semitones)) }));
}

/** Transpose every non-drum track of a score. @example transposeScore(score, -3) */
export function transposeScore(score: Score, semitones: number): Score {
  return {
    ...score,
    tracks: score.tracks.map((t) => (t.isDrum ? t : { ...t, notes: transposeNotes(t.notes, semitones) })),
  };
}

/**
 * Move a pitch by octaves until it lies in [min, max] (range must span an octave).
 * @example foldPitch(100, 48, 95) // 88
 */
export function foldPitch(pitch: number, min: number, max: number): number {
  let p = pitch;
  while (p < min) p += 12;
  while (p > max) p -= 12;
  return p < min ? Math.max(min, Math.min(max, pitch)) : p;
}

/** Octave-fold every note into [min, max]. @example foldNotes(notes, 48, 95) */
export function foldNotes(notes: readonly Note[], min: number, max: number): Note[] {
  return notes.map((n) => ({ ...n, pitch: foldPitch(n.pitch, min, max) }));
}

/** Lowest and highest pitch, or null when there are no notes. @example pitchBounds(notes) // {min:60,max:72} */
export function pitchBounds(notes: readonly Note[]): { min: number; max: number } | null {
  if (notes.length === 0) return null;
  let min = 127;
  let max = 0;
  for (const n of notes) {
    if (n.pitch < min) min = n.pitch;
    if (n.pitch > max) max = n.pitch;
  }
  return { min, max };
}

/**
 * The whole-octave shift that puts the most notes in [min, max], ties broken by the
 * smallest move (so in-range music is left alone).
 * @example octaveShiftIntoRange(notesAroundC7, 48, 95) // -24
 */
export function octaveShiftIntoRange(notes: readonly Note[], min: number, max: number): number {
  let best = 0;
  let bestInside = -1;
  for (const shift of [0, -12, 12, -24, 24, -36, 36, -48, 48]) {
    let inside = 0;
    for (const n of notes) if (n.pitch + shift >= min && n.pitch + shift <= max) inside++;
    if (inside > bestInside) {
      best = shift;
      bestInside = inside;
    }
  }
  return best;
}

/**
 * Semitone shifts (from `candidates`) that keep every pitched note of the score in [min, max].
 * @example transpositionsThatFit(score, 48, 95) // [-5, ..., 6]
 */
export function transpositionsThatFit(
  score: Score | readonly Note[],
  min: number,
  max: number,
  candidates: readonly number[] = [-6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6],
): number[] {
  const notes = Array.isArray(score) ? (score as Note[]) : (score as Score).tracks.filter((t) => !t.isDrum).flatMap((t) => t.notes);
  const bounds = pitchBounds(notes);
  if (!bounds) return [...candidates];
  return candidates.filter((s) => bounds.min + s >= min && bounds.max + s <= max);
}
