/** Magenta Basic-RNN melody on a 16th grid: one-hot event in, next event out. */
import * as melody from '../../encodings/melody.ts';
import { probabilities, sampleIndex } from '../../sampling.ts';
import { stepToBeat } from '../../quantize.ts';
import type { Codec, SampleOptions, Sequence } from './codec.ts';
import { oneHotCodec } from './codec.ts';

const config = melody.DEFAULT_MELODY_CONFIG;
const VOCAB = melody.vocabSize(config);

/** 1 where a melody event may be sampled under the key option (no-event and note-off always). */
export function melodyPitchMask(opts: SampleOptions): boolean[] | undefined {
  const pcs = opts.pitchClasses;
  if (!pcs) return undefined;
  return Array.from({ length: VOCAB }, (_, e) => e < melody.FIRST_NOTE_ON || pcs.has((config.minPitch + e - melody.FIRST_NOTE_ON) % 12));
}

/** Draws from one head with temperature, top-p and an optional mask. */
export function sampleHead(logits: ArrayLike<number>, opts: SampleOptions, mask?: ArrayLike<boolean>): number {
  return sampleIndex(probabilities(logits, { temperature: opts.temperature, topP: opts.topP, mask }), opts.rng);
}

/** Notes of a melody event sequence, from the first bar line. */
export function melodyNotes(seq: Sequence) {
  const notes = melody.decodeMelody(seq.tokens, config).map((n) => ({ ...n, start: n.start + stepToBeat(seq.startStep) }));
  return { notes, drums: false };
}

export const melodyCodec: Codec = oneHotCodec('melody', VOCAB, {
  sample: (logits, _seq, opts) => sampleHead(logits[0], opts, melodyPitchMask(opts)),
  barsElapsed: (seq) => Math.floor((seq.startStep + seq.tokens.length) / seq.stepsPerBar),
  // One event per 16th step: the grid ends where the events do, silence included.
  endBeat: (seq) => (seq.startStep + seq.tokens.length) / 4,
  toNotes: melodyNotes,
  // A grid melody opens with its first note, not the rests before it: a model started on
  // silence can stay silent.
  openingEvent: (tokens) => tokens.find((t) => t >= melody.FIRST_NOTE_ON) ?? tokens[0],
});
