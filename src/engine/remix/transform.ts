/**
 * Curves applied to a piece: pitch drifting through the key (Brownian), tempo wandering bar by
 * bar (random walk), chaotic dynamics (logistic map), pan moving (random walk, CC10) and timbre
 * changing at Poisson-timed moments (program changes) under a Brownian filter cutoff (CC74).
 * Score in, Score plus controller events out; each seeded and bounded by `amount` (0..1).
 */
import { detectKey, scalePitchClasses } from '../key.ts';
import { createRng, seedFrom } from '../random.ts';
import type { Note, Score } from '../score.ts';
import { allNotes } from '../score.ts';
import { barBeats } from '../segue.ts';
import { brownian, logisticMap, poissonEvents, randomWalk } from './curves.ts';

/** A controller or program change on one track of the score, at a beat. */
export interface ControlEvent {
  track: number;
  beat: number;
  kind: 'cc' | 'program';
  /** The controller number (cc only): 10 pan, 74 filter cutoff. */
  controller?: number;
  value: number;
}

export interface Remixed {
  score: Score;
  controls: ControlEvent[];
}

export const CURVE_EFFECTS = ['drift', 'tempo-walk', 'chaos', 'pan-walk', 'timbre'] as const;
export type CurveEffect = (typeof CURVE_EFFECTS)[number];

/** Curve seeds per control, so changing one control's curve leaves the others alone. */
const seedOf = (seed: number, what: string) => seedFrom(`${seed}:${what}`);
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
const amountOf = (a: number | undefined) => clamp(a ?? 1, 0, 1);
const beatsOf = (score: Score) => Math.max(1, Math.ceil(score.lengthBeats)) + 1;
const mapTracks = (score: Score, f: (notes: Note[], drum: boolean) => Note[]): Score =>
  ({ ...score, tracks: score.tracks.map((t) => ({ ...t, notes: f(t.notes, t.isDrum) })) });

/**
 * Pitch drift: every note moves by a Brownian number of scale steps (up to 4 at amount 1),
 * staying in the piece's key; drums stay put.
 * @example driftPitch(score, 7).tracks[0].notes.length === score.tracks[0].notes.length
 */
export function driftPitch(score: Score, seed: number, amount = 1): Score {
  const key = detectKey(allNotes(score));
  const pcs = key ? scalePitchClasses(key) : new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  const scale: number[] = [];
  for (let p = 0; p < 128; p++) if (pcs.has(p % 12)) scale.push(p);
  const curve = brownian(seedOf(seed, 'pitch'), { length: beatsOf(score), sigma: 0.25, min: -1, max: 1, start: 0 });
  const steps = 4 * amountOf(amount);
  return mapTracks(score, (notes, drum) => drum ? notes : notes.map((n) => {
    const shift = Math.round(curve[Math.floor(n.start)] * steps);
    // The nearest scale note below (or at) the pitch, moved along the scale, chromatic offset kept.
    let i = scale.length - 1;
    while (i > 0 && scale[i] > n.pitch) i--;
    const moved = scale[clamp(i + shift, 0, scale.length - 1)] + (n.pitch - scale[i]);
    return { ...n, pitch: clamp(moved, 21, 108) };
  }));
}

/**
 * Tempo wandering: a random walk sets each bar's tempo, up to ±16 % of the original at amount 1.
 * @example walkTempo(score, 7).tempos.length // one per bar
 */
export function walkTempo(score: Score, seed: number, amount = 1): Score {
  const bar = barBeats(score);
  const bars = Math.max(1, Math.ceil(score.lengthBeats / bar));
  const base = score.tempos[0]?.bpm ?? 120;
  const walk = randomWalk(seedOf(seed, 'tempo'), { length: bars, step: 1, min: -4, max: 4, start: 0, stay: 0.3 });
  const a = amountOf(amount);
  return { ...score, tempos: walk.map((w, b) => ({ beat: b * bar, bpm: Math.round(base * (1 + 0.04 * a * w) * 100) / 100 })) };
}

/**
 * Chaotic dynamics: the logistic map (r = 3.9) scales note velocities from 0.6x to 1.4x, note by note.
 * @example chaosDynamics(score, 7, 0.5)
 */
export function chaosDynamics(score: Score, seed: number, amount = 1): Score {
  const a = amountOf(amount);
  return mapTracks(score, (notes, drum) => {
    const x = logisticMap(seedOf(seed, `dyn:${drum}:${notes.length}`), { length: notes.length, r: 3.9 });
    return notes.map((n, k) => ({ ...n, velocity: clamp(Math.round(n.velocity * (1 + a * (0.8 * x[k] - 0.4))), 1, 127) }));
  });
}

/**
 * Pan moving: a random walk per melodic track, one CC10 a beat where it changes (centre ± 56 at amount 1).
 * @example panWalk(score, 7)[0] // { track: 0, beat: 0, kind: 'cc', controller: 10, value: 64 }
 */
export function panWalk(score: Score, seed: number, amount = 1): ControlEvent[] {
  const a = amountOf(amount);
  const out: ControlEvent[] = [];
  score.tracks.forEach((t, track) => {
    if (t.isDrum) return;
    const walk = randomWalk(seedOf(seed, `pan:${track}`), { length: beatsOf(score), step: 8, min: -56, max: 56, start: 0 });
    let last = -1;
    walk.forEach((w, beat) => {
      const value = clamp(Math.round(64 + w * a), 0, 127);
      if (value !== last) out.push({ track, beat, kind: 'cc', controller: 10, value });
      last = value;
    });
  });
  return out;
}

/**
 * Timbre: at Poisson-timed moments (about one per 8 beats at amount 1) the lead changes to
 * another instrument of its General MIDI family; a Brownian CC74 (filter cutoff) moves under
 * every melodic track.
 * @example timbreEvents(score, 7).filter((e) => e.kind === 'program').length > 0
 */
export function timbreEvents(score: Score, seed: number, amount = 1): ControlEvent[] {
  const a = amountOf(amount);
  const out: ControlEvent[] = [];
  const lead = score.tracks.findIndex((t) => !t.isDrum);
  if (lead < 0) return out;
  const family = score.tracks[lead].program - (score.tracks[lead].program % 8);
  const rng = createRng(seedOf(seed, 'programs'));
  for (const beat of poissonEvents(seedOf(seed, 'timbre'), { rate: a / 8, duration: score.lengthBeats, max: 256 })) {
    out.push({ track: lead, beat: Math.round(beat * 4) / 4, kind: 'program', value: family + rng.int(8) });
  }
  score.tracks.forEach((t, track) => {
    if (t.isDrum) return;
    const cutoff = brownian(seedOf(seed, `cutoff:${track}`), { length: beatsOf(score), sigma: 0.2, min: -1, max: 1, start: 0 });
    cutoff.forEach((c, beat) => out.push({ track, beat, kind: 'cc', controller: 74, value: clamp(Math.round(64 + 63 * c * a), 0, 127) }));
  });
  return out;
}

/**
 * One named curve effect on a score. @example remixScore(score, 'drift', 7).score
 */
export function remixScore(score: Score, effect: CurveEffect, seed: number, amount = 1): Remixed {
  switch (effect) {
    case 'drift': return { score: driftPitch(score, seed, amount), controls: [] };
    case 'tempo-walk': return { score: walkTempo(score, seed, amount), controls: [] };
    case 'chaos': return { score: chaosDynamics(score, seed, amount), controls: [] };
    case 'pan-walk': return { score, controls: panWalk(score, seed, amount) };
    case 'timbre': return { score, controls: timbreEvents(score, seed, amount) };
    default: return { score, controls: [] };
  }
}
