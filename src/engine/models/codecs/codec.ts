/**
 * A codec is the bridge between music and a network: it names the network's inputs and
 * softmax heads for one encoding, builds per-step inputs and labels, turns head outputs back
 * into event probabilities, and turns events into notes. Plain data in, plain data out.
 */
import type { Note } from '../../score.ts';
import { argmax } from '../../sampling.ts';

/** One network input, as the nn layer describes it. */
export type InputSpec = { kind: 'onehot'; size: number } | { kind: 'embedding'; size: number; dim: number } | { kind: 'dense'; size: number };

/** A token sequence of one piece, with the metre it was written in. */
export interface Sequence {
  tokens: number[];
  /** 16th steps per bar (16 for 4/4, 12 for 3/4 and 6/8). */
  stepsPerBar: number;
  /** The 16th step at which the first token starts (bar position of an anacrusis). */
  startStep: number;
}

/** A network input value at one step: a class index or a feature vector. */
export type InputValue = number | Float32Array;

export interface SampleOptions {
  temperature: number;
  topP: number;
  /** Allowed MIDI pitch classes (key/scale option); all when absent. */
  pitchClasses?: ReadonlySet<number>;
  rng: { next(): number };
  /** What the bar being written must do (form plans); codecs that cannot honour a rule ignore it. */
  bar?: BarRules;
}

/**
 * Rules for the bar being written, from a form plan. Steps are 16ths from the bar line.
 * A closing bar: notes before `closeAt` end by it, then one note (or chord) starts there and is
 * held `closeSteps` (to the bar line by default), with its lowest pitch in `closePitchClasses`.
 */
export interface BarRules {
  /** Notes may not sound past the bar line, so that the bar can be played again exactly. */
  aligned?: boolean;
  closeAt?: number;
  closeSteps?: number;
  /** Pitch classes of the closing note (its lowest note, for a chord); any when absent. */
  closePitchClasses?: ReadonlySet<number>;
  /** Pitch classes of the other notes of a closing chord; any when absent. */
  chordPitchClasses?: ReadonlySet<number>;
  /** The bar must sound at least one note (no silent opening bar). */
  sounding?: boolean;
  /** The bar stays silent (the rest of a closing bar written as several model bars). */
  silent?: boolean;
  /** Notes end by this step from the bar line (a model bar before the closing note of a longer bar). */
  endBy?: number;
}

export interface Codec {
  name: string;
  /** Size of the joint event vocabulary: what the Markov baseline models and NLL is measured over. */
  vocab: number;
  inputs: InputSpec[];
  heads: number[];
  /** True when events are notes (one event per note): note-level accuracies apply. */
  noteLevel: boolean;
  /** Network inputs for the event at position t. */
  input(seq: Sequence, t: number): InputValue[];
  /** Labels, one per head, of the event at position t. */
  labels(seq: Sequence, t: number): number[];
  /** Log-probability of `event` following seq.tokens, from per-head log-softmax outputs. */
  eventLogProb(logp: Float64Array[], seq: Sequence, event: number): number;
  /** The most likely next event (for next-event accuracy). */
  mostLikely(logp: Float64Array[], seq: Sequence): number;
  /** Draws the next event from per-head logits. */
  sample(logits: Float32Array[], seq: Sequence, opts: SampleOptions): number;
  /** Whole bars covered by the events so far. */
  barsElapsed(seq: Sequence): number;
  /** Beat at which the events end, rests included (where a continuation starts). */
  endBeat(seq: Sequence): number;
  /** The events as notes (beats from the start of the first bar); drums come back flagged. */
  toNotes(seq: Sequence): { notes: Note[]; drums: boolean };
  /** The event a piece counts as opening with, when not its first (default: the first). */
  openingEvent?(tokens: readonly number[]): number;
}

/** Log of the sum of exponentials. @example logSumExp([0, 0]) // 0.693 */
export function logSumExp(values: number[]): number {
  const max = Math.max(...values);
  if (max === -Infinity) return -Infinity;
  return max + Math.log(values.reduce((s, v) => s + Math.exp(v - max), 0));
}

/**
 * A codec whose events are fed one-hot and predicted by one softmax head over the same
 * vocabulary; the parts that differ (sampling, bars, notes) are given.
 */
export function oneHotCodec(name: string, vocab: number, parts: Pick<Codec, 'sample' | 'barsElapsed' | 'toNotes'> & Partial<Pick<Codec, 'endBeat' | 'openingEvent'>>): Codec {
  return {
    name,
    vocab,
    inputs: [{ kind: 'onehot', size: vocab }],
    heads: [vocab],
    noteLevel: false,
    input: (seq, t) => [seq.tokens[t]],
    labels: (seq, t) => [seq.tokens[t]],
    eventLogProb: (logp, _seq, event) => logp[0][event],
    mostLikely: (logp) => argmax(logp[0]),
    endBeat: (seq) => notesEnd(parts.toNotes(seq).notes),
    ...parts,
  };
}

/** Where the last of some notes ends (0 without notes). @example notesEnd([{ pitch: 60, start: 1, duration: 2, velocity: 90 }]) // 3 */
export function notesEnd(notes: readonly Note[]): number {
  return notes.reduce((m, n) => Math.max(m, n.start + n.duration), 0);
}
