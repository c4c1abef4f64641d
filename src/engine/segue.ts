/**
 * Joining pieces end to end (the radio): the last bars of a piece as the primer of the next,
 * and where a piece's music ends, so one piece can carry on from another's ending.
 */
import type { Score } from './score.ts';
import { beatToSeconds, beatsPerBar } from './score.ts';

const EPS = 1e-6;

/** Beats per bar at the start of the score (4 when it names no metre). @example barBeats(emptyScore()) // 4 */
export function barBeats(score: Score): number {
  const ts = score.timeSignatures[0];
  return ts ? beatsPerBar(ts) : 4;
}

/** The end of the music rounded up to a whole bar, in beats. @example endBeatOfBars({ ...emptyScore(), lengthBeats: 13 }) // 16 */
export function endBeatOfBars(score: Score): number {
  const bar = barBeats(score);
  return Math.max(bar, Math.ceil(score.lengthBeats / bar - EPS) * bar);
}

/** Seconds from the start to the end of the score's last bar. @example musicalEndSeconds(score) // 32 at 120 bpm for 16 bars of 4/4 */
export function musicalEndSeconds(score: Score): number {
  return beatToSeconds(score, endBeatOfBars(score));
}

/**
 * The last `bars` bars of a score, moved to beat 0, notes clipped at the window's start,
 * the tempo in force there kept. Empty tracks are dropped; `bars <= 0` gives no tracks.
 * @example scoreTail(score, 2).lengthBeats // 8 for 4/4
 */
export function scoreTail(score: Score, bars: number): Score {
  const bar = barBeats(score);
  const end = endBeatOfBars(score);
  const from = Math.max(0, end - Math.max(0, Math.floor(bars)) * bar);
  const bpm = [...score.tempos].reverse().find((t) => t.beat <= from + EPS)?.bpm ?? score.tempos[0]?.bpm ?? 120;
  const tracks = bars <= 0 ? [] : score.tracks
    .map((t) => ({
      ...t,
      notes: t.notes
        .filter((n) => n.start + n.duration > from + EPS)
        .map((n) => {
          const start = Math.max(n.start, from);
          return { ...n, start: start - from, duration: n.start + n.duration - start };
        }),
    }))
    .filter((t) => t.notes.length > 0);
  return {
    ...score,
    tracks,
    tempos: [{ beat: 0, bpm }],
    timeSignatures: [{ ...(score.timeSignatures[0] ?? { numerator: 4, denominator: 4 }), beat: 0 }],
    lengthBeats: end - from,
  };
}
