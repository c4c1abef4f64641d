/**
 * Turns token sequences into training batches: windows of T + 1 tokens cut with a stride,
 * shuffled with a seed; inputs are the first T tokens, targets the next T (one input, one head).
 */
import type { Batch } from './network.ts';
import { MixtapeError } from '../errors.ts';

/** Deterministic PRNG (mulberry32). @example seeded(1)() // 0.627... */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** In-place Fisher-Yates shuffle with a seed. */
export function shuffle<T>(items: T[], seed: number): T[] {
  const rand = seeded(seed);
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/** Windows of `steps + 1` tokens every `stride` tokens. @example cutWindows([[1,2,3,4]], 2, 1).length // 2 */
export function cutWindows(sequences: number[][], steps: number, stride = steps): number[][] {
  if (!(Number.isInteger(steps) && steps > 0 && Number.isInteger(stride) && stride > 0)) {
    throw new MixtapeError('BAD_ARGUMENT', 'window steps and stride must be positive integers');
  }
  const out: number[][] = [];
  for (const seq of sequences) {
    for (let start = 0; start + steps + 1 <= seq.length; start += stride) out.push(seq.slice(start, start + steps + 1));
  }
  return out;
}

/** One batch from windows of steps + 1 tokens. */
export function windowsToBatch(windows: number[][], steps: number): Batch {
  const B = windows.length;
  const inputs = new Int32Array(B * steps);
  const targets = new Int32Array(B * steps);
  windows.forEach((w, b) => {
    for (let t = 0; t < steps; t++) {
      inputs[b * steps + t] = w[t];
      targets[b * steps + t] = w[t + 1];
    }
  });
  return { inputs: [inputs], targets: [targets], batch: B, steps };
}

export interface BatchOptions { steps: number; batchSize: number; stride?: number; seed?: number; dropLast?: boolean }

/**
 * Shuffled batches from token sequences (a new order per seed, e.g. seed + epoch).
 * @example [...makeBatches([[0,1,0,1,0,1]], { steps: 2, batchSize: 2 })][0].batch // 2
 */
export function* makeBatches(sequences: number[][], options: BatchOptions): Generator<Batch> {
  const windows = shuffle(cutWindows(sequences, options.steps, options.stride ?? options.steps), options.seed ?? 0);
  for (let i = 0; i < windows.length; i += options.batchSize) {
    const chunk = windows.slice(i, i + options.batchSize);
    if (options.dropLast && chunk.length < options.batchSize) break;
    yield windowsToBatch(chunk, options.steps);
  }
}
