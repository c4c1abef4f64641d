/**
 * Music quality statistics of a Score (MusPy / MGEval style; see docs ANCHORS.md).
 * Pitch statistics use pitched (non-drum) notes; rhythm statistics (groove, empty beats)
 * use every note, drums included. Undefined values (e.g. groove of a one-bar piece) are NaN
 * and are skipped by aggregateStats.
 */
import type { Note, Score } from './score.ts';
import { beatToStep, scoreStepsPerBar } from './quantize.ts';
import { DURATION_STEPS, durationClass } from './encodings/pitchDuration.ts';

export interface ScoreStats {
  noteCount: number;
  /** Share of pitched notes per pitch class C..B (sums to 1, or all 0 without notes). */
  pitchClassHistogram: number[];
  /** Shannon entropy of the pitch-class histogram, in bits (0..log2 12). */
  pitchClassEntropy: number;
  /** Fraction of notes in the best-fitting of the 24 major / natural-minor scales. */
  scaleConsistency: number;
  /** 1 - mean Hamming distance between 16th-onset patterns of consecutive bars / steps per bar. */
  grooveConsistency: number;
  /** Fraction of beats (0 .. ceil(length)) with no sounding note. */
  emptyBeatRate: number;
  /** Mean number of sounding pitched notes over 16th steps where at least one sounds. */
  polyphony: number;
  /** Highest minus lowest pitch (0 without notes). */
  pitchRange: number;
  minPitch: number;
  maxPitch: number;
  /** Share of pitched notes per duration class [16th, 8th, 8th., q, q., h, h., w] (nearest class). */
  noteLengthHistogram: number[];
  /** Mean time between distinct consecutive onsets, in beats (NaN with fewer than two onsets). */
  meanInterOnsetInterval: number;
}

const MAJOR = [0, 2, 4, 5, 7, 9, 11];
const MINOR = [0, 2, 3, 5, 7, 8, 10];

/** Pitch-class shares. @example pitchClassHistogram(cMajorScale)[0] // 2/8 */
export function pitchClassHistogram(notes: readonly Note[]): number[] {
  const h = new Array(12).fill(0);
  for (const n of notes) h[((Math.round(n.pitch) % 12) + 12) % 12]++;
  return normalize(h);
}

/** Shannon entropy in bits of a distribution. @example entropyBits([0.5, 0.5]) // 1 */
export function entropyBits(dist: readonly number[]): number {
  let e = 0;
  for (const p of dist) if (p > 0) e -= p * Math.log2(p);
  return e;
}

/** Best fraction of notes inside one of the 24 major/minor scales. @example scaleConsistency(cMajorScale) // 1 */
export function scaleConsistency(notes: readonly Note[]): number {
  if (notes.length === 0) return NaN;
  const counts = new Array(12).fill(0);
  for (const n of notes) counts[((Math.round(n.pitch) % 12) + 12) % 12]++;
  let best = 0;
  for (let root = 0; root < 12; root++) {
    for (const scale of [MAJOR, MINOR]) {
      const inside = scale.reduce((s, d) => s + counts[(root + d) % 12], 0);
      if (inside > best) best = inside;
    }
  }
  return best / notes.length;
}

/** Groove consistency on the 16th grid (NaN with fewer than 2 bars). @example grooveConsistency(notes, 16) // 1 for a repeated bar */
export function grooveConsistency(notes: readonly Note[], stepsPerBar: number, totalBeats = 0): number {
  const onsets = new Set(notes.map((n) => Math.max(0, beatToStep(n.start))));
  let lastStep = beatToStep(totalBeats) - 1;
  for (const s of onsets) if (s > lastStep) lastStep = s;
  const bars = Math.floor(lastStep / stepsPerBar) + 1;
  if (notes.length === 0 || bars < 2) return NaN;
  let distance = 0;
  for (let b = 1; b < bars; b++) {
    let d = 0;
    for (let s = 0; s < stepsPerBar; s++) if (onsets.has(b * stepsPerBar + s) !== onsets.has((b - 1) * stepsPerBar + s)) d++;
    distance += d / stepsPerBar;
  }
  return 1 - distance / (bars - 1);
}

/** Fraction of beats where nothing sounds. @example emptyBeatRate([{pitch:60,start:0,duration:1,velocity:9}], 2) // 0.5 */
export function emptyBeatRate(notes: readonly Note[], totalBeats: number): number {
  const end = notes.reduce((m, n) => Math.max(m, n.start + n.duration), totalBeats);
  const beats = Math.ceil(end - 1e-9);
  if (beats <= 0) return NaN;
  const sounding = new Uint8Array(beats);
  for (const n of notes) {
    const from = Math.max(0, Math.floor(n.start + 1e-9));
    const to = Math.min(beats, Math.ceil(n.start + Math.max(n.duration, 1e-6) - 1e-9));
    for (let b = from; b < to; b++) sounding[b] = 1;
  }
  return 1 - sounding.reduce((s, v) => s + v, 0) / beats;
}

/** Mean simultaneous notes on 16th steps where any sounds. @example polyphony(triad) // 3 */
export function polyphony(notes: readonly Note[]): number {
  const count = new Map<number, number>();
  for (const n of notes) {
    const start = Math.max(0, beatToStep(n.start));
    const end = Math.max(start + 1, beatToStep(n.start + n.duration));
    for (let s = start; s < end; s++) count.set(s, (count.get(s) ?? 0) + 1);
  }
  if (count.size === 0) return NaN;
  let total = 0;
  for (const c of count.values()) total += c;
  return total / count.size;
}

/** Shares of the 8 duration classes. @example noteLengthHistogram(quarters)[3] // 1 */
export function noteLengthHistogram(notes: readonly Note[]): number[] {
  const h = new Array(DURATION_STEPS.length).fill(0);
  for (const n of notes) h[durationClass(Math.max(1, n.duration * 4))]++;
  return normalize(h);
}

/** Mean gap between distinct onsets in beats. @example meanInterOnsetInterval(quarters) // 1 */
export function meanInterOnsetInterval(notes: readonly Note[]): number {
  const onsets = [...new Set(notes.map((n) => Math.round(n.start * 480) / 480))].sort((a, b) => a - b);
  if (onsets.length < 2) return NaN;
  return (onsets[onsets.length - 1] - onsets[0]) / (onsets.length - 1);
}

function normalize(h: number[]): number[] {
  const total = h.reduce((s, v) => s + v, 0);
  return total > 0 ? h.map((v) => v / total) : h;
}

/**
 * All statistics of a score.
 * @example scoreStats(score).pitchClassEntropy // 2.81 for a C major scale
 */
export function scoreStats(score: Score): ScoreStats {
  const pitched = score.tracks.filter((t) => !t.isDrum).flatMap((t) => t.notes);
  const all = score.tracks.flatMap((t) => t.notes);
  const histogram = pitchClassHistogram(pitched);
  const pitches = pitched.map((n) => n.pitch);
  const minPitch = pitches.length ? pitches.reduce((a, b) => Math.min(a, b)) : 0;
  const maxPitch = pitches.length ? pitches.reduce((a, b) => Math.max(a, b)) : 0;
  return {
    noteCount: all.length,
    pitchClassHistogram: histogram,
    pitchClassEntropy: entropyBits(histogram),
    scaleConsistency: scaleConsistency(pitched),
    grooveConsistency: grooveConsistency(all, scoreStepsPerBar(score), score.lengthBeats),
    emptyBeatRate: emptyBeatRate(all, score.lengthBeats),
    polyphony: polyphony(pitched),
    pitchRange: maxPitch - minPitch,
    minPitch,
    maxPitch,
    noteLengthHistogram: noteLengthHistogram(pitched),
    meanInterOnsetInterval: meanInterOnsetInterval(pitched.length ? pitched : all),
  };
}

/**
 * Means over many scores (NaN entries skipped; histograms averaged element-wise).
 * @example aggregateStats([scoreStats(a), scoreStats(b)]).scaleConsistency
 */
export function aggregateStats(list: readonly ScoreStats[]): ScoreStats {
  const mean = (pick: (s: ScoreStats) => number) => {
    const values = list.map(pick).filter(Number.isFinite);
    return values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN;
  };
  const meanVector = (pick: (s: ScoreStats) => number[], size: number) =>
    Array.from({ length: size }, (_, i) => mean((s) => pick(s)[i]));
  return {
    noteCount: mean((s) => s.noteCount),
    pitchClassHistogram: meanVector((s) => s.pitchClassHistogram, 12),
    pitchClassEntropy: mean((s) => s.pitchClassEntropy),
    scaleConsistency: mean((s) => s.scaleConsistency),
    grooveConsistency: mean((s) => s.grooveConsistency),
    emptyBeatRate: mean((s) => s.emptyBeatRate),
    polyphony: mean((s) => s.polyphony),
    pitchRange: mean((s) => s.pitchRange),
    minPitch: mean((s) => s.minPitch),
    maxPitch: mean((s) => s.maxPitch),
    noteLengthHistogram: meanVector((s) => s.noteLengthHistogram, DURATION_STEPS.length),
    meanInterOnsetInterval: mean((s) => s.meanInterOnsetInterval),
  };
}

/**
 * Overlap area of two histograms (sum of element-wise minima of the normalized vectors):
 * 1 = identical distributions, 0 = disjoint. Used to compare generated sets with training data.
 * @example overlapArea([1, 0], [0.5, 0.5]) // 0.5
 */
export function overlapArea(a: readonly number[], b: readonly number[]): number {
  const na = normalize([...a]);
  const nb = normalize([...b]);
  let s = 0;
  for (let i = 0; i < Math.min(na.length, nb.length); i++) s += Math.min(na[i], nb[i]);
  return s;
}
