/**
 * Magenta Lookback-RNN: the input adds the events one and two bars back, a binary metric
 * counter and repeat flags; two extra labels mean "repeat the event 1 (2) bars ago".
 */
import * as melody from '../../encodings/melody.ts';
import { argmax, logSoftmax, probabilities, sampleIndex } from '../../sampling.ts';
import type { Codec, Sequence } from './codec.ts';
import { logSumExp } from './codec.ts';
import { melodyCodec, melodyPitchMask } from './melody.ts';

const config = melody.DEFAULT_MELODY_CONFIG;
const LABELS = melody.lookbackLabelSize(config);

/** Label of the event at position t (computed from the events before it). */
function labelAt(seq: Sequence, t: number): number {
  return melody.lookbackLabels(seq.tokens.slice(Math.max(0, t - 2 * seq.stepsPerBar), t + 1), seq.stepsPerBar, config).at(-1)!;
}

/** Event log-probabilities: each repeat label adds its mass to the event it stands for. */
function foldLabels(logp: ArrayLike<number>, seq: Sequence): Float64Array {
  const events = new Float64Array(melodyCodec.vocab).fill(-Infinity);
  for (let label = 0; label < LABELS; label++) {
    const e = melody.resolveLookbackLabel(label, seq.tokens, seq.stepsPerBar, config);
    events[e] = logSumExp([events[e], logp[label]]);
  }
  return events;
}

export const lookbackCodec: Codec = {
  ...melodyCodec,
  name: 'lookback',
  inputs: [{ kind: 'dense', size: melody.lookbackInputSize(config) }],
  heads: [LABELS],
  input: (seq, t) => [melody.lookbackInput(seq.tokens, t, seq.stepsPerBar, config)],
  labels: (seq, t) => [t < 2 * seq.stepsPerBar ? melody.lookbackLabels(seq.tokens.slice(0, t + 1), seq.stepsPerBar, config)[t] : labelAt(seq, t)],
  eventLogProb: (logp, seq, event) => foldLabels(logp[0], seq)[event],
  mostLikely: (logp, seq) => argmax(foldLabels(logp[0], seq)),
  sample: (logits, seq, opts) => {
    const eventLogits = foldLabels(logSoftmax(logits[0], opts.temperature), seq);
    const probs = probabilities(eventLogits, { topP: opts.topP, mask: melodyPitchMask(opts) });
    return sampleIndex(probs, opts.rng);
  },
};
