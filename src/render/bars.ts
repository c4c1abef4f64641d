/** Bar and beat positions of a score from its time signatures (used by drawings and expression). */
import type { Score } from '../engine/score.ts';
import { beatsPerBar } from '../engine/score.ts';

/** A grid line: `beat` in quarter notes; `bar` true on a downbeat. */
export interface GridLine { beat: number; bar: boolean }

/** Bar and beat lines from 0 up to `until` (default the score length). @example barGrid(emptyScore(), 8).filter(l => l.bar).length // 2 */
export function barGrid(score: Score, until = score.lengthBeats): GridLine[] {
  const sigs = score.timeSignatures.length ? score.timeSignatures : [{ beat: 0, numerator: 4, denominator: 4 }];
  const lines: GridLine[] = [];
  for (let s = 0; s < sigs.length; s++) {
    const sig = sigs[s];
    const end = Math.min(until, s + 1 < sigs.length ? sigs[s + 1].beat : until);
    const bar = beatsPerBar(sig);
    const beatLen = 4 / sig.denominator;
    if (!(bar > 0) || !(beatLen > 0)) continue;
    // 6/8-style compound meters read in dotted-quarter beats.
    const step = sig.denominator === 8 && sig.numerator % 3 === 0 && sig.numerator > 3 ? beatLen * 3 : beatLen;
    for (let b = sig.beat; b < end - 1e-9; b += bar) {
      for (let x = b; x < Math.min(b + bar, end) - 1e-9; x += step) lines.push({ beat: x, bar: x === b });
      if (lines.length > 100_000) return lines; // absurd meters/lengths: stop drawing, not the process
    }
  }
  return lines;
}

/** Beats where bars start. @example barStarts(score) // [0, 4, 8, ...] */
export function barStarts(score: Score, until = score.lengthBeats): number[] {
  return barGrid(score, until).filter((l) => l.bar).map((l) => l.beat);
}
