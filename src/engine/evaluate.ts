/**
 * Honest model metrics on held-out pieces: per-event negative log-likelihood and next-event
 * accuracy of a network and of the Markov baseline on exactly the same events (every event
 * after the first of each piece, predicted from the events before it).
 */
import type { Codec, Sequence } from './models/codecs/codec.ts';
import type { StepModel } from './models/stepModel.ts';
import type { MarkovModel } from './markov.ts';
import { markovDistribution } from './markov.ts';
import { argmax, logSoftmax } from './sampling.ts';

export interface EventMetrics {
  /** Mean negative log-likelihood per event, nats. */
  nll: number;
  accuracy: number;
  events: number;
}

export interface NoteMetrics {
  pitchAccuracy: number;
  durationAccuracy: number;
  notes: number;
}

const prefix = (seq: Sequence, t: number): Sequence => ({ ...seq, tokens: seq.tokens.slice(0, t) });

/**
 * Scores a network on sequences, `batch` pieces at a time with the state carried per step.
 * Note-level accuracies are filled for codecs whose events are notes.
 */
export function evaluateNetwork(model: StepModel, codec: Codec, sequences: Sequence[], batch = 32): { events: EventMetrics; notes?: NoteMetrics } {
  let nll = 0;
  let correct = 0;
  let events = 0;
  const heads = codec.heads.map(() => 0);
  for (let from = 0; from < sequences.length; from += batch) {
    const group = sequences.slice(from, from + batch).filter((s) => s.tokens.length > 1);
    if (group.length === 0) continue;
    model.reset(group.length);
    const longest = Math.max(...group.map((s) => s.tokens.length));
    for (let t = 0; t + 1 < longest; t++) {
      const logits = model.step(group.map((s) => codec.input(s, Math.min(t, s.tokens.length - 1))));
      group.forEach((s, i) => {
        if (t + 1 >= s.tokens.length) return;
        const logp = logits[i].map((l) => logSoftmax(l));
        const history = prefix(s, t + 1);
        const event = s.tokens[t + 1];
        nll -= codec.eventLogProb(logp, history, event);
        if (codec.mostLikely(logp, history) === event) correct++;
        if (codec.noteLevel) codec.labels(s, t + 1).forEach((label, h) => (heads[h] += argmax(logp[h]) === label ? 1 : 0));
        events++;
      });
    }
  }
  const result = { events: { nll: events ? nll / events : 0, accuracy: events ? correct / events : 0, events } };
  if (!codec.noteLevel) return result;
  return { ...result, notes: { pitchAccuracy: events ? heads[0] / events : 0, durationAccuracy: events ? heads[1] / events : 0, notes: events } };
}

/** The Markov baseline on the same events as `evaluateNetwork` (the first event of a piece is not scored). */
export function evaluateMarkov(markov: MarkovModel, sequences: Sequence[]): EventMetrics {
  let nll = 0;
  let correct = 0;
  let events = 0;
  for (const s of sequences) {
    for (let t = 1; t < s.tokens.length; t++) {
      const dist = markovDistribution(markov, s.tokens.slice(Math.max(0, t - markov.order), t));
      nll -= Math.log(dist[s.tokens[t]]);
      if (argmax(dist) === s.tokens[t]) correct++;
      events++;
    }
  }
  return { nll: events ? nll / events : 0, accuracy: events ? correct / events : 0, events };
}
