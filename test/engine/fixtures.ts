import type { Note, Score, Track } from '../../src/engine/score.ts';

/** A note in beats. */
export const n = (pitch: number, start: number, duration = 1, velocity = 100): Note => ({ pitch, start, duration, velocity });

/** A score from tracks, 4/4 at 120 unless told. */
export function scoreOf(tracks: Partial<Track>[], extra: Partial<Score> = {}): Score {
  const full = tracks.map((t, i) => ({ name: t.name ?? `T${i}`, program: t.program ?? 0, isDrum: t.isDrum ?? false, notes: t.notes ?? [] }));
  const end = full.flatMap((t) => t.notes).reduce((m, x) => Math.max(m, x.start + x.duration), 0);
  return {
    title: 'test',
    tracks: full,
    tempos: [{ beat: 0, bpm: 120 }],
    timeSignatures: [{ beat: 0, numerator: 4, denominator: 4 }],
    lengthBeats: end,
    ...extra,
  };
}

/** C major scale C4..C5 in quarter notes. */
export const cMajorScale = (): Note[] => [60, 62, 64, 65, 67, 69, 71, 72].map((p, i) => n(p, i));

/** The shared datasets folder relative to this test file (may be absent). */
export const datasetsUrl = new URL('../../../shared/datasets/', import.meta.url);
