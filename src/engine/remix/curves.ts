/**
 * Stochastic and chaotic curves for remixes, after Xenakis: Brownian motion, a bounded random
 * walk, the logistic map and Poisson-timed events. Each is a pure function of its options and
 * seed returning plain numbers, so the same seed always gives the same curve.
 */
import { createRng } from '../random.ts';

export interface BrownianOptions {
  /** Points on the curve. */
  length: number;
  /** Standard deviation of each step. */
  sigma: number;
  /** Bounds the motion is reflected at (default -1..1). */
  min?: number;
  max?: number;
  start?: number;
}

const reflect = (x: number, lo: number, hi: number): number => {
  if (!(hi > lo)) return lo;
  const span = hi - lo;
  let y = (x - lo) % (2 * span);
  if (y < 0) y += 2 * span;
  return lo + (y > span ? 2 * span - y : y);
};

/**
 * Brownian motion: Gaussian steps, reflected at the bounds. Empty for a length below 1.
 * @example brownian(7, { length: 4, sigma: 0.2 }) // [0, 0.13, -0.05, 0.21] (same every run for seed 7)
 */
export function brownian(seed: number, o: BrownianOptions): number[] {
  const lo = o.min ?? -1;
  const hi = o.max ?? 1;
  const rng = createRng(seed);
  const out: number[] = [];
  let x = reflect(o.start ?? (lo + hi) / 2, lo, hi);
  for (let i = 0; i < Math.floor(o.length); i++) {
    out.push(x);
    x = reflect(x + rng.normal() * o.sigma, lo, hi);
  }
  return out;
}

export interface RandomWalkOptions {
  length: number;
  /** Size of each step up or down. */
  step: number;
  min: number;
  max: number;
  start?: number;
  /** Chance to stay put at a step (default 0). */
  stay?: number;
}

/**
 * A random walk: each point moves one `step` up or down (or stays), kept within the bounds.
 * @example randomWalk(3, { length: 5, step: 1, min: -2, max: 2 }) // [0, 1, 0, -1, -2]
 */
export function randomWalk(seed: number, o: RandomWalkOptions): number[] {
  const rng = createRng(seed);
  const out: number[] = [];
  let x = Math.min(o.max, Math.max(o.min, o.start ?? Math.round((o.min + o.max) / 2 / o.step) * o.step));
  for (let i = 0; i < Math.floor(o.length); i++) {
    out.push(x);
    if (rng.next() < (o.stay ?? 0)) continue;
    const next = x + (rng.next() < 0.5 ? -o.step : o.step);
    x = next > o.max || next < o.min ? 2 * x - next : next; // bounce off the walls
    x = Math.min(o.max, Math.max(o.min, x));
  }
  return out;
}

export interface LogisticOptions {
  length: number;
  /** Growth rate: 3.57..4 is chaotic (default 3.9). */
  r?: number;
  /** Starting point in (0, 1); the default derives it from the seed. */
  x0?: number;
}

/**
 * The logistic map x -> r·x·(1−x): deterministic chaos in (0, 1); the seed picks the start.
 * @example logisticMap(1, { length: 3, r: 3.9, x0: 0.5 }) // [0.5, 0.975, 0.0950625]
 */
export function logisticMap(seed: number, o: LogisticOptions): number[] {
  const r = Math.min(4, Math.max(0, o.r ?? 3.9));
  let x = o.x0 ?? 0.1 + 0.8 * createRng(seed).next();
  if (!(x > 0 && x < 1)) return [];
  const out: number[] = [];
  for (let i = 0; i < Math.floor(o.length); i++) {
    out.push(x);
    x = r * x * (1 - x);
  }
  return out;
}

export interface PoissonOptions {
  /** Mean events per unit of time. */
  rate: number;
  /** Events fall in [0, duration). */
  duration: number;
  /** At most this many (default 10,000). */
  max?: number;
}

/**
 * Times of a Poisson process (exponential gaps between events) in [0, duration).
 * @example poissonEvents(5, { rate: 0.25, duration: 32 }) // [3.1, 9.8, 20.4] (beats, say)
 */
export function poissonEvents(seed: number, o: PoissonOptions): number[] {
  if (!(o.rate > 0) || !(o.duration > 0)) return [];
  const rng = createRng(seed);
  const out: number[] = [];
  let t = 0;
  const max = o.max ?? 10_000;
  while (out.length < max) {
    t += -Math.log(1 - rng.next()) / o.rate;
    if (t >= o.duration) break;
    out.push(t);
  }
  return out;
}

/**
 * A curve's value at a fraction 0..1 of its length, linearly interpolated; 0 for an empty curve.
 * @example curveAt([0, 10], 0.25) // 2.5
 */
export function curveAt(curve: readonly number[], fraction: number): number {
  if (curve.length === 0) return 0;
  const x = Math.min(1, Math.max(0, fraction)) * (curve.length - 1);
  const i = Math.floor(x);
  const j = Math.min(curve.length - 1, i + 1);
  return curve[i] + (curve[j] - curve[i]) * (x - i);
}
