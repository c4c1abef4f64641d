/**
 * Training batches from sequences: windows of `steps` inputs whose labels are the next
 * events. Inputs follow the codec's input specs (class indices or feature vectors).
 */
import type { Codec, Sequence } from './codecs/codec.ts';
import type { Rng } from '../random.ts';
import { shuffled } from '../random.ts';

/** The batch layout the networks train on. Targets of -1 are ignored. */
export interface Batch {
  inputs: (Int32Array | Float32Array)[];
  targets: Int32Array[];
  batch: number;
  steps: number;
}

/** Where one window starts. */
export interface Window {
  seq: number;
  start: number;
}

/**
 * Window starts covering every sequence with the given stride (short pieces give one padded window).
 * @example windowsOf([{tokens: new Array(100).fill(0), stepsPerBar: 16, startStep: 0}], 32, 32).length // 4
 */
export function windowsOf(sequences: Sequence[], steps: number, stride: number): Window[] {
  const out: Window[] = [];
  sequences.forEach((s, seq) => {
    const last = Math.max(0, s.tokens.length - steps - 1);
    for (let start = 0; start <= last; start += stride) out.push({ seq, start });
    if (last % stride !== 0) out.push({ seq, start: last });
  });
  return out;
}

/**
 * Fills one batch. With `lastOnly` only the event after the window is a target (the
 * bidirectional model reads a whole window and predicts what follows it).
 */
export function makeBatch(codec: Codec, sequences: Sequence[], windows: Window[], steps: number, lastOnly = false): Batch {
  const n = windows.length;
  const inputs = codec.inputs.map((spec) => (spec.kind === 'dense' ? new Float32Array(n * steps * spec.size) : new Int32Array(n * steps)));
  const targets = codec.heads.map(() => new Int32Array(n * steps).fill(-1));
  windows.forEach((w, b) => {
    const s = sequences[w.seq];
    for (let k = 0; k < steps; k++) {
      const t = w.start + k;
      if (t + 1 >= s.tokens.length) break;
      const row = b * steps + k;
      codec.input(s, t).forEach((value, i) => {
        const spec = codec.inputs[i];
        if (spec.kind === 'dense') (inputs[i] as Float32Array).set(value as Float32Array, row * spec.size);
        else inputs[i][row] = value as number;
      });
      if (lastOnly && k !== Math.min(steps, s.tokens.length - 1 - w.start) - 1) continue;
      codec.labels(s, t + 1).forEach((label, h) => (targets[h][row] = label));
    }
  });
  return { inputs, targets, batch: n, steps };
}

/**
 * Shuffled batches over all windows, deterministic for an rng state.
 * @example [...batchesOf(codec, seqs, {steps: 64, stride: 32, batchSize: 64, rng})].length
 */
export function* batchesOf(
  codec: Codec,
  sequences: Sequence[],
  opts: { steps: number; stride: number; batchSize: number; rng?: Rng; lastOnly?: boolean; maxWindows?: number },
): Generator<Batch> {
  let windows = windowsOf(sequences, opts.steps, opts.stride);
  if (opts.rng) windows = shuffled(windows, opts.rng);
  if (opts.maxWindows) windows = windows.slice(0, opts.maxWindows);
  for (let i = 0; i < windows.length; i += opts.batchSize) {
    yield makeBatch(codec, sequences, windows.slice(i, i + opts.batchSize), opts.steps, opts.lastOnly);
  }
}
