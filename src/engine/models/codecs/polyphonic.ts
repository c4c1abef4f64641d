/** Bar / position / pitch / duration tokens for piano music; sampling obeys the token grammar. */
import * as poly from '../../encodings/polyphonic.ts';
import type { Codec, SampleOptions, Sequence } from './codec.ts';
import { oneHotCodec } from './codec.ts';
import { sampleHead } from './melody.ts';

const config = poly.DEFAULT_POLYPHONIC_CONFIG;
const VOCAB = poly.vocabSize(config);
const LAYOUT = poly.layout(config);

function grammarMask(seq: Sequence, opts: SampleOptions): boolean[] {
  const allowed = poly.allowedNext(seq.tokens.slice(lastBarIndex(seq.tokens)), seq.stepsPerBar, config);
  const pcs = opts.pitchClasses;
  return Array.from(allowed, (a, t) => {
    if (!a) return false;
    if (!pcs || t < LAYOUT.pitch || t >= LAYOUT.dur) return true;
    return pcs.has((config.minPitch + t - LAYOUT.pitch) % 12);
  });
}

/** Index of the last BAR token (the grammar only needs the current bar). */
function lastBarIndex(tokens: number[]): number {
  const i = tokens.lastIndexOf(LAYOUT.bar);
  return i < 0 ? 0 : i;
}

export const polyphonicCodec: Codec = oneHotCodec('polyphonic', VOCAB, {
  sample: (logits, seq, opts) => sampleHead(logits[0], opts, grammarMask(seq, opts)),
  // The last BAR opens a bar that is still being written.
  barsElapsed: (seq) => Math.max(0, poly.barsOf(seq.tokens, config) - 1),
  toNotes: (seq) => ({ notes: poly.decode(seq.tokens, { stepsPerBar: seq.stepsPerBar }, config).tracks[0].notes, drums: false }),
});
