/**
 * The two-headed note model: each event is a (pitch, duration class) pair. Inputs are the
 * pitch and duration of the current note plus where in the bar the next note starts;
 * one softmax head predicts the next pitch, the other its duration.
 */
import * as pd from '../../encodings/pitchDuration.ts';
import { stepToBeat } from '../../quantize.ts';
import type { Codec, SampleOptions, Sequence } from './codec.ts';
import { sampleHead } from './melody.ts';
import { argmax } from '../../sampling.ts';

const MAX_STEPS_PER_BAR = 16;

/** Cumulative durations per token array; sequences only ever grow, so the cache extends. */
const ends = new WeakMap<number[], number[]>();

/** 16th step reached after the first t+1 events. */
function stepAfter(seq: Sequence, t: number): number {
  let cum = ends.get(seq.tokens);
  if (!cum) ends.set(seq.tokens, (cum = []));
  for (let i = cum.length; i <= t && i < seq.tokens.length; i++) {
    cum.push((i ? cum[i - 1] : 0) + pd.DURATION_STEPS[pd.splitToken(seq.tokens[i]).duration]);
  }
  return seq.startStep + (t < 0 ? 0 : cum[Math.min(t, cum.length - 1)] ?? 0);
}

function pitchMask(opts: SampleOptions): boolean[] | undefined {
  const pcs = opts.pitchClasses;
  return pcs && Array.from({ length: pd.PITCH_VOCAB }, (_, p) => p === pd.REST || pcs.has((p - 1) % 12));
}

/** Durations that fit in `steps` 16ths (the 16th always does). */
function durationsUpTo(steps: number): boolean[] {
  return pd.DURATION_STEPS.map((d) => d <= Math.max(1, steps));
}

/** The longest duration class that fits in `steps` (at least the 16th). */
function longestUpTo(steps: number): number {
  let k = 0;
  while (k + 1 < pd.NUM_DURATIONS && pd.DURATION_STEPS[k + 1] <= steps) k++;
  return k;
}

/**
 * Sampling under a form plan's bar rules: notes stop at the bar line (aligned) or at the closing
 * note; the closing note takes a pitch of closePitchClasses and is held to the bar line; silence after it.
 */
function sampleInBar(logits: Float32Array[], seq: Sequence, opts: SampleOptions): number {
  const rules = opts.bar!;
  const pos = stepAfter(seq, seq.tokens.length - 1) % seq.stepsPerBar;
  const left = seq.stepsPerBar - pos;
  const scale = pitchMask(opts);
  if (rules.silent) return pd.jointToken({ pitch: pd.REST, duration: longestUpTo(left) });
  const close = rules.closeAt;
  if (close !== undefined && pos > close) return pd.jointToken({ pitch: pd.REST, duration: longestUpTo(left) });
  if (close !== undefined && pos === close) {
    const pcs = rules.closePitchClasses;
    const mask = Array.from({ length: pd.PITCH_VOCAB }, (_, p) => p !== pd.REST && (!pcs || pcs.has((p - 1) % 12)));
    const hold = Math.min(left, rules.closeSteps ?? left);
    return pd.jointToken({ pitch: sampleHead(logits[0], opts, mask), duration: longestUpTo(hold) });
  }
  const room = close !== undefined ? close - pos : rules.aligned ? left : pd.DURATION_STEPS[pd.NUM_DURATIONS - 1];
  return pd.jointToken({ pitch: sampleHead(logits[0], opts, scale), duration: sampleHead(logits[1], opts, durationsUpTo(room)) });
}

export const pitchDurationCodec: Codec = {
  name: 'pitchDuration',
  vocab: pd.vocabSize(),
  inputs: [
    { kind: 'embedding', size: pd.PITCH_VOCAB, dim: 48 },
    { kind: 'onehot', size: pd.NUM_DURATIONS },
    { kind: 'onehot', size: MAX_STEPS_PER_BAR },
  ],
  heads: [pd.PITCH_VOCAB, pd.NUM_DURATIONS],
  noteLevel: true,
  input: (seq, t) => {
    const { pitch, duration } = pd.splitToken(seq.tokens[t]);
    return [pitch, duration, stepAfter(seq, t) % seq.stepsPerBar % MAX_STEPS_PER_BAR];
  },
  labels: (seq, t) => {
    const { pitch, duration } = pd.splitToken(seq.tokens[t]);
    return [pitch, duration];
  },
  eventLogProb: (logp, _seq, event) => {
    const { pitch, duration } = pd.splitToken(event);
    return logp[0][pitch] + logp[1][duration];
  },
  mostLikely: (logp) => pd.jointToken({ pitch: argmax(logp[0]), duration: argmax(logp[1]) }),
  sample: (logits, seq, opts) =>
    opts.bar ? sampleInBar(logits, seq, opts) : pd.jointToken({ pitch: sampleHead(logits[0], opts, pitchMask(opts)), duration: sampleHead(logits[1], opts) }),
  barsElapsed: (seq) => Math.floor(stepAfter(seq, seq.tokens.length - 1) / seq.stepsPerBar),
  endBeat: (seq) => stepToBeat(stepAfter(seq, seq.tokens.length - 1)),
  toNotes: (seq) => ({ notes: pd.decode(seq.tokens, { startBeat: stepToBeat(seq.startStep) }), drums: false }),
};
