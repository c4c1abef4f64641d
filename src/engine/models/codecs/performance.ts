/** Performance-RNN events: note-on, note-off, 10 ms time shifts and velocity bins. */
import * as perf from '../../encodings/performance.ts';
import type { Codec, Sequence } from './codec.ts';
import { oneHotCodec } from './codec.ts';
import { sampleHead } from './melody.ts';

const config = perf.DEFAULT_PERFORMANCE_CONFIG;
const VOCAB = perf.vocabSize(config);
/** Performances are encoded and decoded at this tempo, so that seconds map to beats. */
export const PERFORMANCE_BPM = 120;

function secondsOf(seq: Sequence): number {
  let steps = 0;
  for (const t of seq.tokens) if (t >= perf.TIME_SHIFT && t < perf.velocityOffset(config)) steps += t - perf.TIME_SHIFT + 1;
  return steps / config.stepsPerSecond;
}

export const performanceCodec: Codec = oneHotCodec('performance', VOCAB, {
  sample: (logits, _seq, opts) => {
    const pcs = opts.pitchClasses;
    const mask = pcs && Array.from({ length: VOCAB }, (_, t) => t >= perf.TIME_SHIFT || pcs.has(t % 12));
    return sampleHead(logits[0], opts, mask);
  },
  barsElapsed: (seq) => Math.floor((secondsOf(seq) * PERFORMANCE_BPM) / 60 / (seq.stepsPerBar / 4)),
  toNotes: (seq) => ({ notes: perf.decode(seq.tokens, { bpm: PERFORMANCE_BPM }, config).tracks.flatMap((t) => t.notes), drums: false }),
});
