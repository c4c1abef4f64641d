/**
 * Data-parallel training on two cores: each step splits the batch by rows, this thread computes
 * the gradients of one half while a worker thread (holding a replica of the network) computes
 * the other, the two are summed, and both threads apply the same Adam step, so the replicas stay
 * identical without sending weights. The gradient of each half is taken on
 * sum_k NLL_k / (positions of head k in the WHOLE batch), so the sum is exactly the gradient of
 * the whole batch: the step is the one a single worker takes (up to float rounding).
 */
import { Worker } from 'node:worker_threads';
import type { Batch, GradientResult, SequenceNetwork, TrainStepResult } from './network.ts';
import { stepResult } from './network.ts';
import type { NetSpec, NamedWeight } from './spec.ts';

/** What the replica worker is sent. */
export type ReplicaMessage =
  | { type: 'init'; spec: NetSpec; weights: NamedWeight[]; learningRate: number; clipNorm: number; backend?: string }
  | { type: 'gradients'; batch: Batch; scales: number[] }
  | { type: 'apply'; grads: Float32Array[] }
  | { type: 'weights'; weights: NamedWeight[] };

/** What it answers. */
/** `cpuMs`: the worker thread's CPU time since its previous gradients (that step's apply included). */
export type ReplicaReply = { type: 'ready' } | { type: 'gradients'; result: GradientResult; cpuMs: number } | { type: 'error'; message: string };

/** Rows [from, to) of a batch. @example sliceRows(b, 0, b.batch / 2).batch // b.batch / 2 */
export function sliceRows(b: Batch, from: number, to: number): Batch {
  const T = b.steps;
  const rows = (a: Int32Array | Float32Array) => {
    const per = a.length / (b.batch * T) * T; // values per row (dense inputs carry `size` per step)
    return a.subarray(from * per, to * per);
  };
  return { inputs: b.inputs.map(rows), targets: b.targets.map((t) => rows(t) as Int32Array), batch: to - from, steps: T };
}

/** Adds b into a, array by array. */
function addInto(a: Float32Array[], b: Float32Array[]): void {
  a.forEach((x, i) => {
    const y = b[i];
    for (let j = 0; j < x.length; j++) x[j] += y[j];
  });
}

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
  /** CPU time of the worker thread spent on steps so far, in ms (for benchmarks). */
  workerCpuMs = 0;

  constructor(net: SequenceNetwork, options: { backend?: string } = {}) {
    this.net = net;
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
    this.#ready = this.#ask({ type: 'init', spec: net.spec, weights: net.getWeights(), learningRate: net.learningRate, clipNorm: net.clipNorm, backend: options.backend }).then(() => {});
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
    if (b.batch < 2) {
      const g = this.net.gradients(b, scales);
      this.#post({ type: 'apply', grads: g.grads.map((x) => x.slice()) });
      this.net.applyGradients(g.grads);
      return stepResult(g.nll, g.correct, g.count);
    }
    const half = b.batch >> 1;
    const theirs = this.#ask({ type: 'gradients', batch: sliceRows(b, half, b.batch), scales });
    const mine = this.net.gradients(sliceRows(b, 0, half), scales);
    const reply = await theirs;
    if (reply.type !== 'gradients') throw new Error(reply.type === 'error' ? reply.message : 'the training worker gave an unexpected answer');
    const other = reply.result;
    this.workerCpuMs += reply.cpuMs;
    addInto(mine.grads, other.grads);
    // The replica gets its own copy (transferred); both apply the identical step.
    const copy = mine.grads.map((g) => g.slice());
    this.#post({ type: 'apply', grads: copy }, copy.map((g) => g.buffer as ArrayBuffer));
    this.net.applyGradients(mine.grads);
    const sum = (a: number[], c: number[]) => a.map((v, k) => v + c[k]);
    return stepResult(sum(mine.nll, other.nll), sum(mine.correct, other.correct), sum(mine.count, other.count));
  }

  /** Stops the worker. */
  async close(): Promise<void> {
    await this.#worker.terminate();
  }

  #post(m: ReplicaMessage, transfer: ArrayBuffer[] = []): void {
    this.#worker.postMessage(m, transfer);
  }

  #ask(m: ReplicaMessage): Promise<ReplicaReply> {
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => {
      this.#waiting = (r) => (r.type === 'error' ? reject(new Error(r.message)) : resolve(r));
      this.#post(m);
    });
  }
}
