/**
 * n-gram Markov chain over integer tokens: the stochastic baseline for model metrics, and a
 * composer in its own right. Smoothing is interpolated Witten-Bell, backing off down to a
 * uniform distribution over the vocabulary, so no token ever has zero probability.
 *
 * `order` = number of context tokens (order 1 = bigram). Contexts are stored per length in
 * Maps keyed by the comma-joined tokens (nearest token first).
 */
import { MixtapeError } from './errors.ts';
import type { Rng } from './random.ts';
import { categorical } from './random.ts';

interface ContextCounts {
  total: number;
  counts: Map<number, number>;
}

export interface MarkovModel {
  order: number;
  vocabSize: number;
  /** levels[k]: contexts of length k (k = 0 is the unigram level, key ''). */
  levels: Map<string, ContextCounts>[];
}

export interface MarkovOptions {
  order: number;
  vocabSize: number;
}

/** Serializable form of a model. */
export interface MarkovJSON {
  kind: 'markov';
  version: 1;
  order: number;
  vocabSize: number;
  /** Per level: [contextKey, [token, count, token, count, ...]]. */
  levels: [string, number[]][][];
}

function checkOptions({ order, vocabSize }: MarkovOptions): void {
  if (!Number.isInteger(order) || order < 0 || order > 32) throw new MixtapeError('BAD_ARGUMENT', `Markov order must be an integer 0..32, got ${order}`);
  if (!Number.isInteger(vocabSize) || vocabSize < 1) throw new MixtapeError('BAD_ARGUMENT', `vocabSize must be a positive integer, got ${vocabSize}`);
}

/**
 * Count n-grams of every context length up to `order`.
 * @example trainMarkov([[1,2,3,1,2,3]], {order: 2, vocabSize: 4})
 */
export function trainMarkov(sequences: readonly (readonly number[])[], options: MarkovOptions): MarkovModel {
  checkOptions(options);
  const { order, vocabSize } = options;
  const levels: Map<string, ContextCounts>[] = Array.from({ length: order + 1 }, () => new Map());
  const add = (level: Map<string, ContextCounts>, key: string, token: number) => {
    let ctx = level.get(key);
    if (!ctx) level.set(key, (ctx = { total: 0, counts: new Map() }));
    ctx.total++;
    ctx.counts.set(token, (ctx.counts.get(token) ?? 0) + 1);
  };
  for (const seq of sequences) {
    for (let t = 0; t < seq.length; t++) {
      const token = seq[t];
      if (!(token >= 0 && token < vocabSize)) throw new MixtapeError('BAD_ARGUMENT', `token ${token} is outside the vocabulary 0..${vocabSize - 1}`);
      add(levels[0], '', token);
      let key = '';
      for (let k = 1; k <= order && t - k >= 0; k++) {
        key = k === 1 ? String(seq[t - 1]) : `${key},${seq[t - k]}`;
        add(levels[k], key, token);
      }
    }
  }
  return { order, vocabSize, levels };
}

/** Context keys for each length (index k = key of the last k tokens, nearest first). */
function contextKeys(context: readonly number[], order: number): string[] {
  const keys = [''];
  let key = '';
  for (let k = 1; k <= order && k <= context.length; k++) {
    key = k === 1 ? String(context[context.length - 1]) : `${key},${context[context.length - k]}`;
    keys.push(key);
  }
  return keys;
}

/** The same model restricted to a lower order (shares counts, no copy). @example withOrder(model, 2).order // 2 */
export function withOrder(model: MarkovModel, order: number): MarkovModel {
  const o = Math.max(0, Math.min(order, model.order));
  return { order: o, vocabSize: model.vocabSize, levels: model.levels.slice(0, o + 1) };
}

function probFromKeys(model: MarkovModel, keys: readonly string[], next: number): number {
  let p = 1 / model.vocabSize;
  for (let k = 0; k < keys.length; k++) {
    const ctx = model.levels[k].get(keys[k]);
    if (!ctx) break; // longer contexts are unseen too
    const types = ctx.counts.size;
    p = ((ctx.counts.get(next) ?? 0) + types * p) / (ctx.total + types);
  }
  return p;
}

/**
 * Natural log of P(next | context); the context's last `order` tokens are used.
 * @example markovLogProb(model, [1, 2], 3) // close to 0 when "1 2 3" is frequent
 */
export function markovLogProb(model: MarkovModel, context: readonly number[], next: number): number {
  if (!(next >= 0 && next < model.vocabSize)) return -Infinity;
  return Math.log(probFromKeys(model, contextKeys(context, model.order), next));
}

/**
 * The full next-token distribution (sums to 1, every entry > 0).
 * @example markovDistribution(model, [1, 2])[3] // 0.9
 */
export function markovDistribution(model: MarkovModel, context: readonly number[]): Float64Array {
  const dist = new Float64Array(model.vocabSize).fill(1 / model.vocabSize);
  const keys = contextKeys(context, model.order);
  for (let k = 0; k < keys.length; k++) {
    const ctx = model.levels[k].get(keys[k]);
    if (!ctx) break;
    const types = ctx.counts.size;
    const lambda = types / (ctx.total + types);
    for (let i = 0; i < dist.length; i++) dist[i] *= lambda;
    for (const [token, count] of ctx.counts) dist[token] += count / (ctx.total + types);
  }
  return dist;
}

/** Unigram tokens by count, most frequent first, then unseen tokens: the argmax fallback order. */
function unigramOrder(model: MarkovModel): number[] {
  const uni = model.levels[0].get('');
  const seen = uni ? [...uni.counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map((e) => e[0]) : [];
  const seenSet = new Set(seen);
  for (let t = 0; t < model.vocabSize && seen.length < seenSet.size + 1; t++) if (!seenSet.has(t)) seen.push(t);
  return seen;
}

/**
 * Most probable next token without building the whole distribution: only tokens seen after
 * some suffix of the context can beat the best unigram-ordered token.
 */
function argmaxFromKeys(model: MarkovModel, keys: readonly string[], fallback: readonly number[]): number {
  const candidates = new Set<number>();
  for (let k = 1; k < keys.length; k++) {
    const ctx = model.levels[k].get(keys[k]);
    if (!ctx) break;
    for (const token of ctx.counts.keys()) candidates.add(token);
  }
  for (const token of fallback) {
    if (!candidates.has(token)) {
      candidates.add(token);
      break;
    }
  }
  let best = -1;
  let bestP = -1;
  for (const token of candidates) {
    const p = probFromKeys(model, keys, token);
    if (p > bestP || (p === bestP && token < best)) {
      best = token;
      bestP = p;
    }
  }
  return best;
}

/** Most probable next token. @example markovArgmax(model, [1, 2]) // 3 */
export function markovArgmax(model: MarkovModel, context: readonly number[]): number {
  return argmaxFromKeys(model, contextKeys(context, model.order), unigramOrder(model));
}

export interface MarkovEvaluation {
  /** Mean negative log-likelihood per event, in nats. */
  nll: number;
  /** Fraction of events where the most probable token was the true one. */
  accuracy: number;
  events: number;
}

/**
 * Per-event NLL (nats) and next-event accuracy over held-out sequences (each event is
 * predicted from the tokens before it in its own sequence).
 * @example markovNll(model, validSequences) // {nll: 1.9, accuracy: 0.41, events: 52000}
 */
export function markovNll(model: MarkovModel, sequences: readonly (readonly number[])[]): MarkovEvaluation {
  const fallback = unigramOrder(model);
  let nll = 0;
  let correct = 0;
  let events = 0;
  for (const seq of sequences) {
    for (let t = 0; t < seq.length; t++) {
      const keys = [''];
      let key = '';
      for (let k = 1; k <= model.order && t - k >= 0; k++) {
        key = k === 1 ? String(seq[t - 1]) : `${key},${seq[t - k]}`;
        keys.push(key);
      }
      const next = seq[t];
      const p = next >= 0 && next < model.vocabSize ? probFromKeys(model, keys, next) : 0;
      nll -= Math.log(p);
      if (argmaxFromKeys(model, keys, fallback) === next) correct++;
      events++;
    }
  }
  return { nll: events ? nll / events : 0, accuracy: events ? correct / events : 0, events };
}

export interface OrderSelection {
  order: number;
  model: MarkovModel;
  results: ({ order: number } & MarkovEvaluation)[];
}

/**
 * Train once at the highest order and keep the order with the lowest validation NLL.
 * @example selectMarkovOrder(train, valid, {vocabSize: 50}).order // 4
 */
export function selectMarkovOrder(
  train: readonly (readonly number[])[],
  valid: readonly (readonly number[])[],
  options: { vocabSize: number; orders?: number[] },
): OrderSelection {
  const orders = (options.orders ?? [1, 2, 3, 4, 5, 6]).filter((o) => Number.isInteger(o) && o >= 0);
  if (orders.length === 0) throw new MixtapeError('BAD_ARGUMENT', 'give at least one Markov order to try');
  const full = trainMarkov(train, { order: Math.max(...orders), vocabSize: options.vocabSize });
  const results = orders.map((order) => ({ order, ...markovNll(withOrder(full, order), valid) }));
  const best = results.reduce((a, b) => (b.nll < a.nll ? b : a));
  return { order: best.order, model: withOrder(full, best.order), results };
}

/**
 * Sample the next token; `temperature` reshapes the distribution (p^(1/T)); `mask` (1 = allowed)
 * restricts the choice, e.g. to a grammar.
 * @example markovSample(model, [1, 2], createRng(7))
 */
export function markovSample(model: MarkovModel, context: readonly number[], rng: Rng, temperature = 1, mask?: ArrayLike<number>): number {
  const dist = markovDistribution(model, context);
  const t = temperature > 0 ? temperature : 1e-3;
  let max = 0;
  for (let i = 0; i < dist.length; i++) if ((!mask || mask[i]) && dist[i] > max) max = dist[i];
  for (let i = 0; i < dist.length; i++) dist[i] = !mask || mask[i] ? Math.pow(dist[i] / max, 1 / t) : 0;
  const token = categorical(dist, rng);
  return token >= 0 ? token : markovArgmax(model, context);
}

/**
 * Generate `length` tokens after a primer.
 * @example markovGenerate(model, 64, createRng(1), {primer: [14]})
 */
export function markovGenerate(
  model: MarkovModel,
  length: number,
  rng: Rng,
  options: { primer?: readonly number[]; temperature?: number; allowed?: (history: readonly number[]) => ArrayLike<number> } = {},
): number[] {
  const history = [...(options.primer ?? [])];
  const out: number[] = [];
  for (let i = 0; i < length; i++) {
    const token = markovSample(model, history.slice(-model.order), rng, options.temperature ?? 1, options.allowed?.(history));
    history.push(token);
    out.push(token);
  }
  return out;
}

/** Plain JSON form. @example JSON.stringify(markovToJSON(model)) */
export function markovToJSON(model: MarkovModel): MarkovJSON {
  return {
    kind: 'markov',
    version: 1,
    order: model.order,
    vocabSize: model.vocabSize,
    levels: model.levels.map((level) => [...level.entries()].map(([key, ctx]): [string, number[]] => [key, [...ctx.counts.entries()].flat()])),
  };
}

/** Rebuild a model from markovToJSON output. @example markovFromJSON(JSON.parse(text)) */
export function markovFromJSON(json: MarkovJSON): MarkovModel {
  if (!json || json.kind !== 'markov' || !Array.isArray(json.levels)) throw new MixtapeError('BAD_ARGUMENT', 'that is not a saved Markov model');
  checkOptions(json);
  const levels = json.levels.map((level) => {
    const map = new Map<string, ContextCounts>();
    for (const [key, flat] of level) {
      const counts = new Map<number, number>();
      let total = 0;
      for (let i = 0; i + 1 < flat.length; i += 2) {
        counts.set(flat[i], flat[i + 1]);
        total += flat[i + 1];
      }
      map.set(key, { total, counts });
    }
    return map;
  });
  return { order: json.order, vocabSize: json.vocabSize, levels };
}
