/** DrumsRNN: each 16th step is one of 512 kit combinations; the bar position is an input too. */
import * as drums from '../../encodings/drums.ts';
import type { Codec } from './codec.ts';
import { sampleHead } from './melody.ts';
import { argmax } from '../../sampling.ts';

const VOCAB = drums.vocabSize();
const MAX_STEPS_PER_BAR = 16;

export const drumsCodec: Codec = {
  name: 'drums',
  vocab: VOCAB,
  inputs: [
    { kind: 'embedding', size: VOCAB, dim: 64 },
    { kind: 'onehot', size: MAX_STEPS_PER_BAR },
  ],
  heads: [VOCAB],
  noteLevel: false,
  input: (seq, t) => [seq.tokens[t], (seq.startStep + t + 1) % seq.stepsPerBar % MAX_STEPS_PER_BAR],
  labels: (seq, t) => [seq.tokens[t]],
  eventLogProb: (logp, _seq, event) => logp[0][event],
  mostLikely: (logp) => argmax(logp[0]),
  sample: (logits, _seq, opts) => sampleHead(logits[0], opts),
  barsElapsed: (seq) => Math.floor((seq.startStep + seq.tokens.length) / seq.stepsPerBar),
  endBeat: (seq) => (seq.startStep + seq.tokens.length) / 4,
  toNotes: (seq) => ({ notes: drums.decode(seq.tokens).notes.map((n) => ({ ...n, start: n.start + seq.startStep / 4 })), drums: true }),
};
