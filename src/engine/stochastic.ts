/**
 * Stochastic composition in the spirit of Xenakis: a Brownian walk over a scale for pitch
 * and a repeated, mutated rhythm cell. Used for the dance lead over the drum model, and as
 * a transparent, seedable alternative to the networks.
 */
import type { Note } from './score.ts';
import type { Rng } from './random.ts';

export interface StochasticLeadOptions {
  bars: number;
  stepsPerBar: number;
  /** Allowed pitch classes. */
  pitchClasses: ReadonlySet<number>;
  low: number;
  high: number;
  /** Chance that a 16th step starts a note in the rhythm cell. */
  density: number;
  /** Standard deviation of each pitch step, in scale degrees. */
  step: number;
}

/** Scale pitches in [low, high]. @example scalePitches(new Set([0, 4, 7]), 60, 72) // [60, 64, 67, 72] */
export function scalePitches(pcs: ReadonlySet<number>, low: number, high: number): number[] {
  const out: number[] = [];
  for (let p = low; p <= high; p++) if (pcs.has(p % 12)) out.push(p);
  return out;
}

/**
 * A lead line: a 2-bar rhythm cell (onsets on strong 8ths more likely) repeated with small
 * mutations, pitches from a reflected Brownian walk on the scale.
 * @example stochasticLead(rng, { bars: 8, stepsPerBar: 16, pitchClasses: new Set([9, 0, 2, 4, 7]), low: 60, high: 79, density: 0.45, step: 1.2 })
 */
export function stochasticLead(rng: Rng, o: StochasticLeadOptions): Note[] {
  const pitches = scalePitches(o.pitchClasses, o.low, o.high);
  if (pitches.length === 0 || o.bars <= 0) return [];
  const cellSteps = 2 * o.stepsPerBar;
  const cell = Array.from({ length: cellSteps }, (_, s) => rng.next() < o.density * (s % 4 === 0 ? 1.6 : s % 2 === 0 ? 1 : 0.5));
  cell[0] = true;
  let degree = Math.floor(pitches.length / 2);
  const notes: Note[] = [];
  const total = o.bars * o.stepsPerBar;
  const onsets: number[] = [];
  for (let s = 0; s < total; s++) {
    const mutate = rng.next() < 0.08;
    if (cell[s % cellSteps] !== mutate) onsets.push(s);
  }
  onsets.forEach((s, i) => {
    degree += Math.round(rng.normal() * o.step);
    if (degree < 0) degree = -degree;
    if (degree >= pitches.length) degree = 2 * (pitches.length - 1) - degree;
    degree = Math.max(0, Math.min(pitches.length - 1, degree));
    const next = i + 1 < onsets.length ? onsets[i + 1] : total;
    const length = Math.max(1, Math.min(next - s, 4));
    notes.push({ pitch: pitches[degree], start: s / 4, duration: length / 4, velocity: s % 4 === 0 ? 100 : 84 });
  });
  return notes;
}
