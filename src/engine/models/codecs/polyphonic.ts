/** Bar / position / pitch / duration tokens for piano music; sampling obeys the token grammar. */
import * as poly from '../../encodings/polyphonic.ts';
import type { Codec, SampleOptions, Sequence } from './codec.ts';
import { oneHotCodec } from './codec.ts';
import { sampleHead } from './melody.ts';

const config = poly.DEFAULT_POLYPHONIC_CONFIG;
const VOCAB = poly.vocabSize(config);
const LAYOUT = poly.layout(config);

function grammarMask(seq: Sequence, opts: SampleOptions): boolean[] {
  const barTokens = seq.tokens.slice(lastBarIndex(seq.tokens));
  const allowed = poly.allowedNext(barTokens, seq.stepsPerBar, config);
  const pcs = opts.pitchClasses;
  const mask = Array.from(allowed, (a, t) => {
    if (!a) return false;
    if (!pcs || t < LAYOUT.pitch || t >= LAYOUT.dur) return true;
    return pcs.has((config.minPitch + t - LAYOUT.pitch) % 12);
  });
  if (opts.bar) applyBarRules(mask, barTokens, seq.stepsPerBar, opts.bar);
  // A rule never leaves nothing to choose: the grammar alone decides then.
  return mask.some(Boolean) ? mask : Array.from(allowed, (a) => a === 1);
}

const pitchOf = (t: number) => config.minPitch + t - LAYOUT.pitch;
const isPitch = (t: number) => t >= LAYOUT.pitch && t < LAYOUT.dur;
const isDur = (t: number) => t >= LAYOUT.dur && t < LAYOUT.vel;
const isPos = (t: number) => t >= LAYOUT.pos && t < LAYOUT.pitch;

/** Where the bar being written stands: its position, and the pitches written at it and in the bar. */
function barState(barTokens: readonly number[]) {
  let pos = 0;
  let pitchesHere = 0;
  let pitchesInBar = 0;
  for (const t of barTokens) {
    if (isPos(t)) {
      pos = t - LAYOUT.pos;
      pitchesHere = 0;
    } else if (isPitch(t)) {
      pitchesHere++;
      pitchesInBar++;
    }
  }
  return { pos, pitchesHere, pitchesInBar, last: barTokens[barTokens.length - 1] };
}

/** Most notes in a closing chord. */
const MAX_CLOSING_CHORD = 4;

/**
 * A form plan's bar rules on top of the grammar (in place): a silent bar is only its bar line;
 * before the closing position nothing reaches past it and the bar cannot end; at it, a chord
 * on closePitchClasses held to the bar line, then the bar ends.
 */
function applyBarRules(mask: boolean[], barTokens: readonly number[], stepsPerBar: number, rules: NonNullable<SampleOptions['bar']>): void {
  const { pos, pitchesHere, pitchesInBar, last } = barState(barTokens);
  const forbid = (test: (t: number) => boolean) => mask.forEach((_, t) => test(t) && (mask[t] = false));
  if (rules.silent) return forbid((t) => t !== LAYOUT.bar);
  if (rules.sounding && pitchesInBar === 0) forbid((t) => t === LAYOUT.bar);
  const endBy = rules.endBy;
  if (endBy !== undefined) forbid((t) => isDur(t) && t - LAYOUT.dur + 1 > Math.max(1, endBy - pos));
  const close = rules.closeAt;
  if (close === undefined) return;
  const closing = barTokens.includes(LAYOUT.pos + close);
  if (!closing) {
    forbid((t) => t === LAYOUT.bar || (isPos(t) && t - LAYOUT.pos > close) || (isDur(t) && t - LAYOUT.dur + 1 > close - pos));
    return;
  }
  const hold = Math.min(config.maxDuration, rules.closeSteps ?? stepsPerBar - close);
  const pcs = pitchesHere === 0 ? rules.closePitchClasses : rules.chordPitchClasses;
  forbid((t) => isPos(t) || (isDur(t) && t - LAYOUT.dur + 1 !== hold) || (isPitch(t) && !!pcs && !pcs.has(pitchOf(t) % 12)));
  if (pitchesHere === 0) forbid((t) => t === LAYOUT.bar);
  if (pitchesHere >= MAX_CLOSING_CHORD && isDur(last)) forbid((t) => t !== LAYOUT.bar);
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
