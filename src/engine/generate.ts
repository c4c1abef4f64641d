/**
 * Generation: run a step model event by event with its state carried from step to step
 * (never re-reading a whole window per note), several takes as one batch, optionally
 * continuing a primer, until exactly the requested number of bars is written.
 */
import type { BarRules, Codec, SampleOptions, Sequence } from './models/codecs/codec.ts';
import type { BarPlan } from './formPlan.ts';
import type { Key } from './key.ts';
import { detectKey, SCALES } from './key.ts';
import { notesEnd } from './models/codecs/codec.ts';
import type { StepModel } from './models/stepModel.ts';
import { createRng } from './random.ts';
import type { MarkovModel } from './markov.ts';
import { markovLogProb, markovSample } from './markov.ts';
import { logSoftmax, sampleIndex } from './sampling.ts';

export interface GenerateOptions {
  model: StepModel;
  codec: Codec;
  /** New bars to write after the primer. */
  bars: number;
  stepsPerBar: number;
  /** Events to continue; its bars come first in the result. */
  primer?: Sequence;
  /** Relative frequencies of first events in the training data, used when there is no primer. */
  firstEvents?: Record<string, number>;
  temperature?: number;
  topP?: number;
  pitchClasses?: ReadonlySet<number>;
  seed?: number;
  /** Independent takes generated together as one batch. */
  takes?: number;
  /** Beam search: keep this many hypotheses (1 = plain sampling). */
  beamSize?: number;
  branchFactor?: number;
  stepsPerIteration?: number;
  /** A form plan, one entry per new bar (see formPlan.ts): repeats, varied repeats and closes. One take, no beam. */
  plan?: readonly BarPlan[];
  /** The key whose tonic closes the piece; found from the notes written so far when absent. */
  key?: Key;
}

export interface Take {
  sequence: Sequence;
  /** Sum of log-probabilities of the generated events. */
  logProb: number;
  /** Bars of the primer (0 without one); the result has primerBars + bars bars. */
  primerBars: number;
}

/** A safety bound: no take may run away (e.g. a polyphonic model that never closes a bar). */
const MAX_EVENTS_PER_BAR = 256;

/** What generation continues: a copy of the primer, or one first event drawn from the data's openings. */
function startSequence(opts: Pick<GenerateOptions, 'primer' | 'firstEvents'>, stepsPerBar: number, rng: { next(): number }): Sequence {
  return opts.primer ? { ...opts.primer, tokens: [...opts.primer.tokens] } : { tokens: [firstEvent(opts, rng)], stepsPerBar, startStep: 0 };
}

/** First event: sampled from the training data's openings. */
function firstEvent(opts: Pick<GenerateOptions, 'firstEvents'>, rng: { next(): number }): number {
  const entries = Object.entries(opts.firstEvents ?? {});
  if (entries.length === 0) return 0;
  const total = entries.reduce((s, [, c]) => s + c, 0);
  return Number(entries[sampleIndex(entries.map(([, c]) => c / total), rng)][0]);
}

/**
 * Generates `takes` sequences as one batch (or the best beam). Deterministic for a seed.
 * @example generate({ model, codec, bars: 16, stepsPerBar: 16, seed: 7 })[0].sequence.tokens
 */
export function generate(opts: GenerateOptions): Take[] {
  if (opts.plan) return [generatePlanned(opts, opts.plan)];
  const rng = createRng(opts.seed ?? 0);
  const beam = Math.max(1, opts.beamSize ?? 1);
  const branch = beam > 1 ? Math.max(1, opts.branchFactor ?? 2) : 1;
  const streams = beam > 1 ? beam : Math.max(1, opts.takes ?? 1);
  const stepsPerBar = opts.primer?.stepsPerBar ?? opts.stepsPerBar;
  const base = startSequence(opts, stepsPerBar, rng);
  const primerBars = opts.primer ? sequenceBars(opts.codec, base) : 0;
  const targetBars = primerBars + opts.bars;
  const sample: SampleOptions = { temperature: opts.temperature ?? 1, topP: opts.topP ?? 1, pitchClasses: opts.pitchClasses, rng };

  let seqs = Array.from({ length: streams }, () => ({ ...base, tokens: [...base.tokens] }));
  let logProbs = new Array<number>(streams).fill(0);
  opts.model.reset(streams);
  // Warm the state on all but the last known event; the last one is fed in the loop.
  for (let t = 0; t < base.tokens.length - 1; t++) opts.model.step(seqs.map((s) => opts.codec.input(s, t)));

  const maxEvents = base.tokens.length + (opts.bars + 1) * MAX_EVENTS_PER_BAR;
  const done = () => seqs.every((s) => opts.codec.barsElapsed(s) >= targetBars || s.tokens.length >= maxEvents);
  let sinceBeamCut = 0;
  while (!done()) {
    const logits = opts.model.step(seqs.map((s) => opts.codec.input(s, s.tokens.length - 1)));
    seqs.forEach((s, i) => {
      if (opts.codec.barsElapsed(s) >= targetBars || s.tokens.length >= maxEvents) return;
      const event = opts.codec.sample(logits[i], s, sample);
      logProbs[i] += opts.codec.eventLogProb(logits[i].map((l) => logSoftmax(l, sample.temperature)), s, event);
      s.tokens.push(event);
    });
    if (beam > 1 && ++sinceBeamCut >= (opts.stepsPerIteration ?? 4)) {
      sinceBeamCut = 0;
      ({ seqs, logProbs } = cutBeams(opts.model, seqs, logProbs, beam, branch));
    }
  }
  const takes = seqs.map((sequence, i) => ({ sequence, logProb: logProbs[i], primerBars }));
  return beam > 1 ? [takes.sort((a, b) => b.logProb - a.logProb)[0]] : takes;
}

/**
 * Bars a sequence (a primer) occupies: its last note's bar counts even when it ends inside the bar.
 * @example sequenceBars(codecs.pitchDuration, primer) // 4
 */
export function sequenceBars(codec: Codec, seq: Sequence): number {
  const end = notesEnd(codec.toNotes(seq).notes);
  return Math.max(codec.barsElapsed(seq), Math.ceil(end / (seq.stepsPerBar / 4) - 1e-6));
}

/** Keeps the `beam` most likely streams and branches each `branch` times. */
function cutBeams(model: StepModel, seqs: Sequence[], logProbs: number[], beam: number, branch: number) {
  const order = logProbs.map((_, i) => i).sort((a, b) => logProbs[b] - logProbs[a]).slice(0, Math.ceil(beam / branch));
  const keep = order.flatMap((i) => new Array<number>(branch).fill(i)).slice(0, beam);
  model.reorder(keep);
  return { seqs: keep.map((i) => ({ ...seqs[i], tokens: [...seqs[i].tokens] })), logProbs: keep.map((i) => logProbs[i]) };
}

/**
 * The same loop for the Markov chain: it samples joint events directly (no heads).
 * @example generateMarkov(markov, codecs.pitchDuration, { bars: 8, stepsPerBar: 16, seed: 1 })
 */
export function generateMarkov(
  markov: MarkovModel,
  codec: Codec,
  opts: Omit<GenerateOptions, 'model' | 'codec' | 'beamSize' | 'takes'>,
): Take {
  const rng = createRng(opts.seed ?? 0);
  const seq = startSequence(opts, opts.stepsPerBar, rng);
  const primerBars = opts.primer ? sequenceBars(codec, seq) : 0;
  const target = primerBars + opts.bars;
  const maxEvents = seq.tokens.length + (opts.bars + 1) * MAX_EVENTS_PER_BAR;
  let logProb = 0;
  while (codec.barsElapsed(seq) < target && seq.tokens.length < maxEvents) {
    const context = seq.tokens.slice(-markov.order);
    const event = markovSample(markov, context, rng, opts.temperature ?? 1);
    logProb += markovLogProb(markov, context, event);
    seq.tokens.push(event);
  }
  return { sequence: seq, logProb, primerBars };
}

/**
 * One take that follows a form plan bar by bar. A copied bar is played again through the
 * network (so its state knows what it played); a varied bar copies the first half of the bar's
 * events and the network writes the rest; every other bar is written by the network under the
 * bar's rules (closing notes on the tonic, phrase-end holds, no silent opening bar).
 * @example generatePlanned({ model, codec, bars: 16, stepsPerBar: 16, seed: 7 }, plan).sequence
 */
export function generatePlanned(opts: GenerateOptions, plan: readonly BarPlan[]): Take {
  const { codec, model } = opts;
  const rng = createRng(opts.seed ?? 0);
  const seq = startSequence(opts, opts.primer?.stepsPerBar ?? opts.stepsPerBar, rng);
  const primerBars = opts.primer ? sequenceBars(codec, seq) : 0;
  const sample: SampleOptions = { temperature: opts.temperature ?? 1, topP: opts.topP ?? 1, pitchClasses: opts.pitchClasses, rng };
  const starts = barStarts(codec, seq);
  model.reset(1);
  for (let t = 0; t < seq.tokens.length - 1; t++) model.step([codec.input(seq, t)]);
  let logits = model.step([codec.input(seq, seq.tokens.length - 1)])[0];
  let logProb = 0;
  const append = (event: number) => {
    seq.tokens.push(event);
    for (let b = codec.barsElapsed(seq); starts.length <= b; ) starts.push(seq.tokens.length);
    logits = model.step([codec.input(seq, seq.tokens.length - 1)])[0];
  };
  const maxEvents = seq.tokens.length + (opts.bars + 1) * MAX_EVENTS_PER_BAR;
  /** The network writes until `untilBars` bars are complete, under the given bar rules. */
  const write = (untilBars: number, rules: BarRules) => {
    while (codec.barsElapsed(seq) < untilBars && seq.tokens.length < maxEvents) {
      const event = codec.sample(logits, seq, { ...sample, bar: rules });
      logProb += codec.eventLogProb(logits.map((l) => logSoftmax(l, sample.temperature)), seq, event);
      append(event);
    }
  };
  // A primer that stops inside a bar: that bar is finished first, so planned bars start on bar lines.
  write(primerBars, { aligned: true });
  for (let k = 0; k < Math.min(plan.length, opts.bars); k++) {
    const bar = primerBars + k;
    const step = plan[k];
    if (step.copyOf !== undefined && step.copyOf < bar && starts[step.copyOf + 1] !== undefined) {
      copyBar(codec, seq, bar, barEvents(seq, starts, step.copyOf, step.vary ?? false), append);
    }
    write(bar + 1, barRules(codec, seq, step, opts.key));
  }
  // Past the plan (it covers every bar asked for; this only guards a short plan), write freely.
  write(primerBars + opts.bars, { aligned: true });
  return { sequence: seq, logProb, primerBars };
}

/** Token index where each bar starts: starts[b] = events written when bar b began. */
function barStarts(codec: Codec, seq: Sequence): number[] {
  const starts = [0];
  for (let n = 1; n <= seq.tokens.length; n++) {
    const bars = codec.barsElapsed({ ...seq, tokens: seq.tokens.slice(0, n) });
    while (starts.length <= bars) starts.push(n);
  }
  return starts;
}

/** The events of an earlier bar (the first half of them for a varied repeat). */
function barEvents(seq: Sequence, starts: readonly number[], bar: number, vary: boolean): number[] {
  const events = seq.tokens.slice(starts[bar], starts[bar + 1]);
  return vary ? events.slice(0, Math.floor(events.length / 2)) : events;
}

/**
 * Plays events again into bar `bar`. An event that would close the bar before the copy is done
 * is left out (a bar marker that opened the source bar), and the copy stops when the bar is full.
 */
function copyBar(codec: Codec, seq: Sequence, bar: number, events: readonly number[], append: (e: number) => void): void {
  for (let i = 0; i < events.length && codec.barsElapsed(seq) <= bar; i++) {
    const closes = codec.barsElapsed({ ...seq, tokens: [...seq.tokens, events[i]] }) > bar;
    if (closes && i < events.length - 1) continue;
    append(events[i]);
  }
}

/** The codec rules of a planned bar; a closing note on the tonic of the key (given, or heard so far). */
function barRules(codec: Codec, seq: Sequence, step: BarPlan, key?: Key): BarRules {
  const rules: BarRules = { aligned: true, sounding: step.sounding, silent: step.silent, endBy: step.endBy };
  if (step.closeAt === undefined) return rules;
  rules.closeAt = step.closeAt;
  rules.closeSteps = step.closeSteps;
  if (step.close !== 'final') return rules;
  const tonic = key ?? detectKey(codec.toNotes(seq).notes);
  if (!tonic) return rules;
  const third = SCALES[tonic.mode]?.includes(3) ? 3 : 4;
  rules.closePitchClasses = new Set([tonic.root]);
  rules.chordPitchClasses = new Set([tonic.root, (tonic.root + third) % 12, (tonic.root + 7) % 12]);
  return rules;
}
