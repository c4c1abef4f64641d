/**
 * Beats -> 16th-note steps. Encodings work on this grid; the time signature survives as the
 * number of steps per bar (4/4 -> 16, 3/4 and 6/8 -> 12, 2/4 -> 8).
 */
import type { Note, Score, TimeSignature } from './score.ts';
import { beatsPerBar } from './score.ts';

/** Grid resolution: 16th notes. */
export const STEPS_PER_BEAT = 4;

/** A note on the 16th grid; `end` is exclusive and always > `start`. */
export interface StepNote {
  pitch: number;
  start: number;
  end: number;
  velocity: number;
}

/** Nearest step of a beat position. @example beatToStep(1.24) // 5 */
export function beatToStep(beat: number): number {
  return Math.round(beat * STEPS_PER_BEAT);
}

/** Beat position of a step. @example stepToBeat(6) // 1.5 */
export function stepToBeat(step: number): number {
  return step / STEPS_PER_BEAT;
}

/** 16th steps in one bar of a meter (at least 1). @example stepsPerBarOf({beat:0,numerator:6,denominator:8}) // 12 */
export function stepsPerBarOf(ts: TimeSignature): number {
  return Math.max(1, Math.round(beatsPerBar(ts) * STEPS_PER_BEAT));
}

/**
 * The meter that covers the most beats of the score (pickup or one-off bars don't win).
 * @example mainTimeSignature(score).numerator // 3
 */
export function mainTimeSignature(score: Score): TimeSignature {
  const list = score.timeSignatures.length ? score.timeSignatures : [{ beat: 0, numerator: 4, denominator: 4 }];
  const end = Math.max(score.lengthBeats, list[list.length - 1].beat);
  const span = new Map<string, number>();
  list.forEach((ts, i) => {
    const to = i + 1 < list.length ? list[i + 1].beat : end;
    const key = `${ts.numerator}/${ts.denominator}`;
    span.set(key, (span.get(key) ?? 0) + Math.max(0, to - ts.beat) + 1e-9 * (list.length - i));
  });
  const best = [...span.entries()].sort((a, b) => b[1] - a[1])[0][0];
  const [numerator, denominator] = best.split('/').map(Number);
  return { beat: 0, numerator, denominator };
}

/** Steps per bar of the score's main meter. @example scoreStepsPerBar(score) // 16 */
export function scoreStepsPerBar(score: Score): number {
  return stepsPerBarOf(mainTimeSignature(score));
}

/**
 * Snap notes to the 16th grid; every note keeps at least one step.
 * @example quantizeNotes([{pitch:60,start:0.02,duration:0.5,velocity:80}]) // [{pitch:60,start:0,end:2,velocity:80}]
 */
export function quantizeNotes(notes: readonly Note[]): StepNote[] {
  return notes
    .map((n) => {
      const start = Math.max(0, beatToStep(n.start));
      return { pitch: n.pitch, start, end: Math.max(start + 1, beatToStep(n.start + n.duration)), velocity: n.velocity };
    })
    .sort((a, b) => a.start - b.start || a.pitch - b.pitch);
}

/** Back from steps to beats. @example unquantizeNotes([{pitch:60,start:4,end:6,velocity:80}])[0].start // 1 */
export function unquantizeNotes(notes: readonly StepNote[]): Note[] {
  return notes.map((n) => ({
    pitch: n.pitch,
    start: stepToBeat(n.start),
    duration: stepToBeat(n.end - n.start),
    velocity: n.velocity,
  }));
}

/** A score snapped to the grid, with its meter as steps per bar. */
export interface QuantizedScore {
  stepsPerBar: number;
  totalSteps: number;
  tracks: { name: string; program: number; isDrum: boolean; notes: StepNote[] }[];
}

/** Quantize every track of a score. @example quantizeScore(score).stepsPerBar // 16 */
export function quantizeScore(score: Score): QuantizedScore {
  const tracks = score.tracks.map((t) => ({ name: t.name, program: t.program, isDrum: t.isDrum, notes: quantizeNotes(t.notes) }));
  const lastEnd = tracks.reduce((m, t) => t.notes.reduce((mm, n) => Math.max(mm, n.end), m), 0);
  return { stepsPerBar: scoreStepsPerBar(score), totalSteps: Math.max(lastEnd, beatToStep(score.lengthBeats)), tracks };
}

/** Time signature for a bar of `steps` 16ths (16 -> 4/4, 12 -> 3/4, 6 -> 3/8). @example timeSignatureForSteps(12).numerator // 3 */
export function timeSignatureForSteps(steps: number): TimeSignature {
  if (steps % 4 === 0) return { beat: 0, numerator: steps / 4, denominator: 4 };
  if (steps % 2 === 0) return { beat: 0, numerator: steps / 2, denominator: 8 };
  return { beat: 0, numerator: steps, denominator: 16 };
}
