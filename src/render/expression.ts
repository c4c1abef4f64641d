/**
 * Stochastic expression applied to a Score before rendering: humanised timing and velocity,
 * a dynamics curve, and tempo drift. Pure functions Score -> Score, each seeded, each bounded.
 */
import type { Note, Score, TempoChange } from '../engine/score.ts';
import { createRng, seedFrom, type Rng } from '../engine/random.ts';
import { barStarts } from './bars.ts';

export interface ExpressionOptions {
  seed: number;
  /** 0..1: timing jitter up to ~15 ms sd at 120 bpm, velocity jitter up to 6 sd. */
  humanize?: number;
  /** 0..1 amount of the dynamics curve (up to +-18 velocity), or an object choosing the shape. */
  dynamics?: number | { amount: number; shape: DynamicsShape };
  /** 0..1: tempo wanders by up to +-6 %. */
  tempoDrift?: number;
  /** Swung eighths: where the off-beat eighth falls in the beat (0.5 straight, 0.62 a jazz swing). */
  swing?: number;
}

export type DynamicsShape = 'walk' | 'arc';

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
/** Gaussian bounded to +-2.5 sd so no note is ever thrown far. */
const boundedGauss = (rng: Rng) => clamp(rng.normal(), -2.5, 2.5);
/** Independent streams of one seed, so each expression control has its own randomness. */
const streamOf = (seed: number, stream: number): Rng => createRng(seedFrom(`${seed}:${stream}`));
const mapNotes = (score: Score, f: (n: Note, drum: boolean) => Note): Score =>
  ({ ...score, tracks: score.tracks.map((t) => ({ ...t, notes: t.notes.map((n) => f(n, t.isDrum)) })) });

/** Gaussian jitter of note starts and velocities. @example humanize(score, 1, 0.5) */
export function humanize(score: Score, seed: number, amount = 1): Score {
  const a = clamp(amount, 0, 1);
  const rng = streamOf(seed, 1);
  const timingSd = 0.03 * a; // beats: 15 ms at 120 bpm
  const velocitySd = 6 * a;
  return mapNotes(score, (n) => {
    const shift = boundedGauss(rng) * timingSd;
    const start = Math.max(0, n.start + shift);
    return {
      ...n,
      start,
      duration: Math.max(0.01, n.duration - (start - n.start) * 0.5),
      velocity: Math.round(clamp(n.velocity + boundedGauss(rng) * velocitySd, 1, 127)),
    };
  });
}

/** Velocity offset curve over the piece: a mean-reverting random walk per bar, or a crescendo-decrescendo arc. */
export function dynamicsCurve(score: Score, seed: number, shape: DynamicsShape = 'walk'): (beat: number) => number {
  const rng = streamOf(seed, 2);
  const len = Math.max(score.lengthBeats, 1e-6);
  if (shape === 'arc') {
    const peakAt = 0.5 + 0.25 * rng.next();
    return (beat) => {
      const x = clamp(beat / len, 0, 1);
      return x < peakAt ? -0.6 + 1.6 * (x / peakAt) : 1 - 1.4 * ((x - peakAt) / (1 - peakAt));
    };
  }
  const bars = barStarts(score);
  if (bars.length === 0) bars.push(0);
  const values: number[] = [];
  let v = 0;
  for (let i = 0; i < bars.length + 1; i++) {
    values.push(v);
    v = clamp(0.75 * v + 0.5 * rng.normal(), -1, 1);
  }
  return (beat) => {
    // Linear interpolation between bar values keeps the curve smooth.
    let i = 0;
    while (i + 1 < bars.length && bars[i + 1] <= beat) i++;
    const from = bars[i];
    const to = i + 1 < bars.length ? bars[i + 1] : Math.max(len, from + 4);
    const f = clamp((beat - from) / Math.max(to - from, 1e-6), 0, 1);
    return values[i] * (1 - f) + values[i + 1] * f;
  };
}

/** Scales velocities by a dynamics curve (up to +-18 at amount 1). @example dynamics(score, 7, 1, 'arc') */
export function dynamics(score: Score, seed: number, amount = 1, shape: DynamicsShape = 'walk'): Score {
  const curve = dynamicsCurve(score, seed, shape);
  const a = clamp(amount, 0, 1) * 18;
  return mapNotes(score, (n) => ({ ...n, velocity: Math.round(clamp(n.velocity + a * curve(n.start), 1, 127)) }));
}

/** Tempo at a beat under a tempo map. */
function bpmAt(tempos: TempoChange[], beat: number): number {
  let bpm = tempos[0]?.bpm ?? 120;
  for (const t of tempos) if (t.beat <= beat) bpm = t.bpm;
  return bpm;
}

/** A small mean-reverting random walk on the tempo map, one step per bar (bounded +-6 % at amount 1). */
export function tempoDrift(score: Score, seed: number, amount = 1): Score {
  const a = clamp(amount, 0, 1);
  if (a === 0) return score;
  const rng = streamOf(seed, 3);
  const points = [...new Set([...barStarts(score), ...score.tempos.map((t) => t.beat), 0])].sort((x, y) => x - y);
  let w = 0;
  const tempos = points.map((beat) => {
    w = clamp(0.7 * w + 0.45 * rng.normal(), -1, 1);
    return { beat, bpm: Math.round(bpmAt(score.tempos, beat) * (1 + 0.06 * a * w) * 100) / 100 };
  });
  return { ...score, tempos };
}

/**
 * Where a straight time falls when eighths swing: each beat's first half is stretched to
 * `ratio` of the beat and the second squeezed into the rest (16ths move with their eighth).
 * @example swingTime(1.5, 0.62) // 1.62
 */
export function swingTime(beat: number, ratio: number): number {
  const r = clamp(ratio, 0.5, 0.75);
  const whole = Math.floor(beat + 1e-9);
  const f = Math.max(0, beat - whole);
  return whole + (f <= 0.5 ? f * 2 * r : r + (f - 0.5) * 2 * (1 - r));
}

/** Swings every note's start and end (drums included). @example swing(score, 0.62) */
export function swing(score: Score, ratio: number): Score {
  if (!(ratio > 0.5)) return score;
  return mapNotes(score, (n) => {
    const start = swingTime(n.start, ratio);
    return { ...n, start, duration: Math.max(0.01, swingTime(n.start + n.duration, ratio) - start) };
  });
}

/** Applies swing, humanize, dynamics and tempo drift as configured; absent or 0 amounts are skipped. */
export function applyExpression(score: Score, o: ExpressionOptions): Score {
  let s = o.swing ? swing(score, o.swing) : score;
  const d = typeof o.dynamics === 'number' ? { amount: o.dynamics, shape: 'walk' as const } : o.dynamics;
  if (d && d.amount > 0) s = dynamics(s, o.seed, d.amount, d.shape);
  if (o.humanize && o.humanize > 0) s = humanize(s, o.seed, o.humanize);
  if (o.tempoDrift && o.tempoDrift > 0) s = tempoDrift(s, o.seed, o.tempoDrift);
  return s;
}
