/**
 * Data-parallel training on two cores: each step splits the batch by rows, this thread computes
 * the gradients of one half while a worker thread (holding a replica of the network) computes
 * the other, and both threads sum the two and apply the same Adam step, so the replicas stay
 * identical without sending weights. The gradient of each half is taken on
 * sum_k NLL_k / (positions of head k in the WHOLE batch), so the sum is exactly the gradient of
 * the whole batch: the step is the one a single worker takes (up to float rounding).
 *
 * Gradients never travel in messages: both threads write them into shared memory
 * (GradientSlots) and read the other's there; messages carry only the batch half and a few
 * numbers. Why: copying and transferring a megabyte or two per step made garbage that V8
 * collected in pauses which, with two threads waiting for each other every step, stalled both.
 * Each thread adds mine + theirs itself (the same float additions in the same order, so the
 * same sums), and the worker starts on its sum as soon as this thread has its own gradients.
 */
import { Worker } from 'node:worker_threads';
import type { Batch, SequenceNetwork, TrainStepResult } from './network.ts';
import { stepResult } from './network.ts';
import type { NetSpec, NamedWeight } from './spec.ts';

/**
 * Shared gradient buffers: this thread's gradients in two slots (alternating by step, so the
 * worker may still be reading one step's while this thread writes the next) and the worker's
 * in one (it writes them only after it has applied the previous step, by when this thread has
 * read them). `seq` is touched with Atomics around every hand-over, as a memory fence.
 */
export class GradientSlots {
  readonly buffer: SharedArrayBuffer;
  readonly mine: [Float32Array[], Float32Array[]];
  readonly theirs: Float32Array[];
  readonly seq: Int32Array;

  /** `sizes`: floats per variable, in the order of `variables()`. */
  constructor(sizes: number[], buffer?: SharedArrayBuffer) {
    const total = sizes.reduce((a, b) => a + b, 0);
    this.buffer = buffer ?? new SharedArrayBuffer(8 + 3 * total * 4);
    let at = 8;
    const views = () => sizes.map((n) => {
      const v = new Float32Array(this.buffer, at, n);
      at += n * 4;
      return v;
    });
    this.seq = new Int32Array(this.buffer, 0, 2);
    this.mine = [views(), views()];
    this.theirs = views();
  }

  /** Publishes writes made before (the other thread calls `acquire` before reading). */
  release(): void {
    Atomics.add(this.seq, 0, 1);
  }

  /** Pairs with the other thread's `release`. */
  acquire(): void {
    Atomics.load(this.seq, 0);
  }

  /** out = mine[slot] + theirs, array by array (both threads run exactly this). */
  sum(slot: number, out: Float32Array[]): Float32Array[] {
    const a = this.mine[slot];
    const b = this.theirs;
    out.forEach((o, i) => {
      const x = a[i];
      const y = b[i];
      for (let j = 0; j < o.length; j++) o[j] = x[j] + y[j];
    });
    return out;
  }
}

/** What the replica worker is sent. */
export type ReplicaMessage =
  | { type: 'init'; spec: NetSpec; weights: NamedWeight[]; learningRate: number; clipNorm: number; backend?: string; shared: SharedArrayBuffer }
  | { type: 'gradients'; batch: Batch; scales: number[] }
  | { type: 'apply'; slot: number; alone: boolean }
  | { type: 'weights'; weights: NamedWeight[] };

/** What it answers. */
/** `cpuMs`: the worker thread's CPU time since its previous gradients (that step's apply included). */
export type ReplicaReply =
  | { type: 'ready' }
  | { type: 'gradients'; nll: number[]; correct: number[]; count: number[]; cpuMs: number }
  | { type: 'error'; message: string };

/** Rows [from, to) of a batch. @example sliceRows(b, 0, b.batch / 2).batch // b.batch / 2 */
export function sliceRows(b: Batch, from: number, to: number): Batch {
  const T = b.steps;
  const rows = (a: Int32Array | Float32Array) => {
    const per = a.length / (b.batch * T) * T; // values per row (dense inputs carry `size` per step)
    return a.subarray(from * per, to * per);
  };
  return { inputs: b.inputs.map(rows), targets: b.targets.map((t) => rows(t) as Int32Array), batch: to - from, steps: T };
}

/** Floats per variable of a network. */
export const variableSizes = (net: SequenceNetwork): number[] => net.variables().map((v) => v.size);

/**
 * Trains `net` (in this thread) with a replica in a worker thread. Create, `await ready()`, then
 * `await step(batch)` instead of `net.trainStep(batch)`; `close()` at the end. After
 * `net.setWeights` (resume, restore), call `syncWeights()`.
 * @example const dp = new DataParallel(net); await dp.ready(); await dp.step(b)
 */
export class DataParallel {
  readonly net: SequenceNetwork;
  #worker: Worker;
  #waiting: ((r: ReplicaReply) => void) | undefined;
  #failure: Error | undefined;
  #ready: Promise<void>;
  #slots: GradientSlots;
  #sum: Float32Array[];
  #slot = 0;
  /** CPU time of the worker thread spent on steps so far, in ms (for benchmarks). */
  workerCpuMs = 0;

  constructor(net: SequenceNetwork, options: { backend?: string } = {}) {
    this.net = net;
    const sizes = variableSizes(net);
    this.#slots = new GradientSlots(sizes);
    this.#sum = sizes.map((n) => new Float32Array(n));
    this.#worker = new Worker(new URL('./parallel-worker.ts', import.meta.url));
    this.#worker.on('message', (r: ReplicaReply) => {
      const w = this.#waiting;
      this.#waiting = undefined;
      w?.(r);
    });
    const fail = (e: Error) => {
      this.#failure ??= e;
      const w = this.#waiting;
      this.#waiting = undefined;
      w?.({ type: 'error', message: e.message });
    };
    this.#worker.on('error', (e) => fail(new Error(`the training worker failed: ${e.message}`)));
    this.#worker.on('exit', (code) => fail(new Error(`the training worker stopped (exit ${code})`)));
    this.#ready = this.#ask({ type: 'init', spec: net.spec, weights: net.getWeights(), learningRate: net.learningRate, clipNorm: net.clipNorm, backend: options.backend, shared: this.#slots.buffer }).then(() => {});
  }

  /** Resolves once the replica holds the network's weights. */
  ready(): Promise<void> {
    return this.#ready;
  }

  /** Sends the network's current weights to the replica (after setWeights; Adam's moments are kept). */
  async syncWeights(): Promise<void> {
    this.#post({ type: 'weights', weights: this.net.getWeights() });
  }

  /** One data-parallel Adam step; the same result as net.trainStep(b). Batches of one row run here alone. */
  async step(b: Batch): Promise<TrainStepResult> {
    if (this.#failure) throw this.#failure;
    const counts = this.net.headCounts(b);
    const scales = counts.map((c) => 1 / Math.max(1, c));
    const slot = this.#slot;
    this.#slot ^= 1;
    const slots = this.#slots;
    if (b.batch < 2) {
      const g = this.net.gradients(b, scales, slots.mine[slot]);
      slots.release();
      this.#post({ type: 'apply', slot, alone: true });
      this.net.applyGradients(g.grads);
      return stepResult(g.nll, g.correct, g.count);
    }
    const half = b.batch >> 1;
    const theirs = this.#ask({ type: 'gradients', batch: sliceRows(b, half, b.batch), scales });
    const mine = this.net.gradients(sliceRows(b, 0, half), scales, slots.mine[slot]);
    slots.release();
    const reply = await theirs;
    if (reply.type !== 'gradients') throw new Error(reply.type === 'error' ? reply.message : 'the training worker gave an unexpected answer');
    this.workerCpuMs += reply.cpuMs;
    // The replica sums and applies the identical step while this thread does the same.
    this.#post({ type: 'apply', slot, alone: false });
    slots.acquire();
    this.net.applyGradients(slots.sum(slot, this.#sum));
    const sum = (a: number[], c: number[]) => a.map((v, k) => v + c[k]);
    return stepResult(sum(mine.nll, reply.nll), sum(mine.correct, reply.correct), sum(mine.count, reply.count));
  }

  /** Stops the worker. */
  async close(): Promise<void> {
    await this.#worker.terminate();
  }

  #post(m: ReplicaMessage): void {
    this.#worker.postMessage(m);
  }

  #ask(m: ReplicaMessage): Promise<ReplicaReply> {
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => {
      this.#waiting = (r) => (r.type === 'error' ? reject(new Error(r.message)) : resolve(r));
      this.#post(m);
    });
  }
}
