/**
 * Turning a model's logits into choices: temperature, nucleus (top-p) filtering,
 * masks for grammar, seeded sampling, and a small beam search.
 * Plain arrays in, plain numbers out; no TensorFlow.
 */

/** A source of uniform numbers in [0, 1): the engine's seeded generator satisfies it. */
export interface Uniform {
  next(): number;
}

/**
 * Log-softmax of logits / temperature, with optional mask (false = forbidden).
 * @example logSoftmax([0, 0], 1) // [-0.693, -0.693]
 */
export function logSoftmax(logits: ArrayLike<number>, temperature = 1, mask?: ArrayLike<boolean>): Float64Array {
  const t = Math.max(temperature, 1e-4);
  const out = new Float64Array(logits.length);
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) {
    out[i] = mask && !mask[i] ? -Infinity : logits[i] / t;
    if (out[i] > max) max = out[i];
  }
  if (max === -Infinity) return out.fill(-Math.log(logits.length));
  let sum = 0;
  for (let i = 0; i < out.length; i++) sum += Math.exp(out[i] - max);
  const logZ = max + Math.log(sum);
  for (let i = 0; i < out.length; i++) out[i] -= logZ;
  return out;
}

/**
 * Probabilities after temperature, mask and top-p (the smallest set whose mass reaches p).
 * @example probabilities([2, 1, -5], { topP: 0.9 }) // the last entry becomes 0
 */
export function probabilities(
  logits: ArrayLike<number>,
  opts: { temperature?: number; topP?: number; mask?: ArrayLike<boolean> } = {},
): Float64Array {
  const logp = logSoftmax(logits, opts.temperature ?? 1, opts.mask);
  const probs = logp.map(Math.exp);
  const topP = opts.topP ?? 1;
  if (topP >= 1) return probs;
  const order = Array.from(probs.keys()).sort((a, b) => probs[b] - probs[a]);
  let mass = 0;
  let keep = 0;
  while (keep < order.length && mass < topP) mass += probs[order[keep++]];
  const kept = new Float64Array(probs.length);
  for (let i = 0; i < keep; i++) kept[order[i]] = probs[order[i]] / mass;
  return kept;
}

/** Draws an index from a probability vector. @example sampleIndex([0, 1, 0], rng) // 1 */
export function sampleIndex(probs: ArrayLike<number>, rng: Uniform): number {
  let r = rng.next();
  let last = 0;
  for (let i = 0; i < probs.length; i++) {
    if (probs[i] <= 0) continue;
    last = i;
    r -= probs[i];
    if (r < 0) return i;
  }
  return last;
}

/** Index of the largest value. @example argmax([1, 3, 2]) // 1 */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/** One hypothesis of a beam search. */
export interface Beam<S> {
  tokens: number[];
  logProb: number;
  state: S;
}

/**
 * Beam search over a step function (Magenta style: beam size, branch factor, steps per
 * iteration). Each iteration extends every beam by `stepsPerIteration` sampled tokens,
 * `branchFactor` times, and keeps the `beamSize` most likely; sampling inside keeps variety.
 */
export function beamSearch<S>(opts: {
  initial: S;
  steps: number;
  beamSize: number;
  branchFactor: number;
  stepsPerIteration: number;
  /** Log-probabilities of the next token given a beam's state (already tempered/filtered). */
  next: (state: S, tokens: number[]) => Float64Array;
  /** Returns the new state after feeding `token` (must not mutate `state`). */
  advance: (state: S, token: number) => S;
  rng: Uniform;
}): Beam<S> {
  let beams: Beam<S>[] = [{ tokens: [], logProb: 0, state: opts.initial }];
  let done = 0;
  while (done < opts.steps) {
    const span = Math.min(opts.stepsPerIteration, opts.steps - done);
    const candidates: Beam<S>[] = [];
    for (const beam of beams) {
      for (let b = 0; b < opts.branchFactor; b++) {
        let cand = beam;
        for (let s = 0; s < span; s++) {
          const logp = opts.next(cand.state, cand.tokens);
          const token = sampleIndex(logp.map(Math.exp), opts.rng);
          cand = { tokens: [...cand.tokens, token], logProb: cand.logProb + logp[token], state: opts.advance(cand.state, token) };
        }
        candidates.push(cand);
      }
    }
    candidates.sort((a, b) => b.logProb - a.logProb);
    beams = candidates.slice(0, opts.beamSize);
    done += span;
  }
  return beams[0];
}
