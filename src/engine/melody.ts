/**
 * Melody extraction: one monophonic line from a score. Prefer a track that already is a
 * melody (named MELODY/lead/vocal, mostly one note at a time, high register); otherwise take
 * the skyline (highest note at each onset) of all pitched parts. Magenta-style filters drop
 * lines too short or too static to learn from.
 */
import type { Note, Score, Track } from './score.ts';
import { beatsPerBar } from './score.ts';
import { mainTimeSignature } from './quantize.ts';

export interface MelodyOptions {
  /** Minimum length in bars (Magenta: 7). */
  minBars?: number;
  /** Minimum distinct pitches (Magenta: 5). */
  minUniquePitches?: number;
  /** A track is "monophonic enough" above this fraction of non-overlapping notes (default 0.9). */
  monophonicThreshold?: number;
}

export const DEFAULT_MELODY_OPTIONS: Required<MelodyOptions> = { minBars: 7, minUniquePitches: 5, monophonicThreshold: 0.9 };

const MELODY_NAME = /melod|lead|vocal|voice|solo|sing|tune|right/i;

/**
 * Highest note at each onset; each note is cut where the next onset begins, so the result is
 * strictly monophonic.
 * @example skyline([{pitch:60,start:0,duration:1,velocity:80},{pitch:64,start:0,duration:1,velocity:80}]) // [E4]
 */
export function skyline(notes: readonly Note[]): Note[] {
  const sorted = [...notes].filter((n) => n.duration > 0).sort((a, b) => a.start - b.start || b.pitch - a.pitch);
  const tops: Note[] = [];
  for (const n of sorted) {
    const last = tops[tops.length - 1];
    if (last && Math.abs(last.start - n.start) < 1e-6) continue; // lower note of a chord
    tops.push({ ...n });
  }
  for (let i = 0; i + 1 < tops.length; i++) {
    const gap = tops[i + 1].start - tops[i].start;
    if (tops[i].duration > gap) tops[i].duration = gap;
  }
  return tops;
}

/** Fraction of notes that start after the previous note ended (1 = strictly monophonic). @example monophonicity(track.notes) // 0.98 */
export function monophonicity(notes: readonly Note[]): number {
  if (notes.length < 2) return 1;
  const sorted = [...notes].sort((a, b) => a.start - b.start);
  let clean = 0;
  let lastEnd = -Infinity;
  let lastStart = -Infinity;
  for (const n of sorted) {
    // Small legato overlaps (< a 16th) still count as monophonic.
    if (n.start - lastStart > 1e-6 && n.start >= lastEnd - 0.25) clean++;
    lastEnd = Math.max(lastEnd, n.start + n.duration);
    lastStart = n.start;
  }
  return clean / sorted.length;
}

/** How melodic a track looks: name, monophony, register and pitch variety combined. @example melodicScore(track) // 2.7 */
export function melodicScore(track: Track): number {
  if (track.isDrum || track.notes.length === 0) return -Infinity;
  const mono = monophonicity(track.notes);
  const meanPitch = track.notes.reduce((s, n) => s + n.pitch, 0) / track.notes.length;
  const unique = new Set(track.notes.map((n) => n.pitch)).size;
  return (MELODY_NAME.test(track.name) ? 2 : 0) + 2 * mono + meanPitch / 64 + Math.min(1, unique / 12);
}

/** Number of bars spanned by notes under the score's main meter. @example melodyBars(notes, score) // 32 */
export function melodyBars(notes: readonly Note[], score: Score): number {
  if (notes.length === 0) return 0;
  const bpb = beatsPerBar(mainTimeSignature(score));
  const first = Math.floor(notes[0].start / bpb);
  const end = notes.reduce((m, n) => Math.max(m, n.start + n.duration), 0);
  return Math.ceil(end / bpb - 1e-6) - first;
}

/**
 * The monophonic melody of a score, or null when it fails the filters (too short, too few pitches).
 * @example extractMelody(readMidi(bytes))?.length // 236
 */
export function extractMelody(score: Score, options: MelodyOptions = {}): Note[] | null {
  const opts = { ...DEFAULT_MELODY_OPTIONS, ...options };
  const pitched = score.tracks.filter((t) => !t.isDrum && t.notes.length > 0);
  if (pitched.length === 0) return null;
  const best = [...pitched].sort((a, b) => melodicScore(b) - melodicScore(a))[0];
  const notes = monophonicity(best.notes) >= opts.monophonicThreshold ? skyline(best.notes) : skyline(pitched.flatMap((t) => t.notes));
  if (new Set(notes.map((n) => n.pitch)).size < opts.minUniquePitches) return null;
  if (melodyBars(notes, score) < opts.minBars) return null;
  return notes;
}
