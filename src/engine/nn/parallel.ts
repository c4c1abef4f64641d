/**
 * Data-parallel training on two cores: each step splits the batch by rows, this thread computes
 * the gradients of one half while a worker thread (holding a replica of the network) computes
 * the other, and both threads sum the two and apply the same Adam step, so the replicas stay
 * identical without sending weights. The gradient of each half is taken on
 * sum_k NLL_k / (positions of head k in the WHOLE batch), so the sum is exactly the gradient of
 * the whole batch: the step is the one a single worker takes (up to float rounding).
 *
 * Gradients never travel in messages: both threads write them into shared memory
 * (GradientSlots) and read the other's there; messages carry only the batch half. Why: copying
 * and transferring a megabyte or two per step made garbage that V8 collected in pauses which,
 * with two threads waiting for each other every step, stalled both. Each thread adds
 * mine + theirs itself (the same float additions in the same order, so the same sums), and the
 * worker starts on its sum as soon as this thread has its own gradients.
 *
 * The worker says it is done through the shared memory too (a counter this thread waits on with
 * Atomics.wait): its reply message reached this thread 2-6 ms after it was sent (measured here,
 * with this thread already waiting), 2-5 % of a step. The blocking wait is bounded (2 s); past
 * it this thread polls asynchronously, so that the worker's exit or error is still seen.
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
  /** [fence, steps the worker has finished, worker failed (1)]. */
  readonly seq: Int32Array;
  /** The worker's last gradients: NLL, correct and count per head, then its CPU ms. */
  readonly stats: Float64Array;

  /** `sizes`: floats per variable, in the order of `variables()`; `heads`: the network's heads. */
  constructor(sizes: number[], heads: number, buffer?: SharedArrayBuffer) {
    const total = sizes.reduce((a, b) => a + b, 0);
    const head = 16 + 8 * (3 * heads + 1);
    this.buffer = buffer ?? new SharedArrayBuffer(head + 3 * total * 4);
    this.seq = new Int32Array(this.buffer, 0, 3);
    this.stats = new Float64Array(this.buffer, 16, 3 * heads + 1);
    let at = head;
    const views = () => sizes.map((n) => {
      const v = new Float32Array(this.buffer, at, n);
      at += n * 4;
      return v;
    });
    this.mine = [views(), views()];
    this.theirs = views();
  }

  /** Worker side: its gradients for step `step` are in `theirs`, its sums in `stats`. */
  finished(step: number): void {
    Atomics.store(this.seq, 1, step);
    Atomics.notify(this.seq, 1);
  }

  /** Worker side: it failed (the message follows); wakes a waiting main thread. */
  failed(): void {
    Atomics.store(this.seq, 2, 1);
    Atomics.notify(this.seq, 1);
  }

  /** Main side: waits up to `ms` for step `step`; true once the worker has finished it. */
  waitFor(step: number, ms: number): boolean {
    const s = this.seq;
    if (Atomics.load(s, 1) !== step && Atomics.load(s, 2) === 0) Atomics.wait(s, 1, Atomics.load(s, 1), ms);
    return Atomics.load(s, 1) === step;
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
  | { type: 'gradients'; batch: Batch; scales: number[]; step: number }
  | { type: 'apply'; slot: number; alone: boolean }
  | { type: 'weights'; weights: NamedWeight[] };

/** What it answers by message (gradients are answered in GradientSlots). */
export type ReplicaReply = { type: 'ready' } | { type: 'error'; message: string };

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
  #step = 0;
  /** Rejects when the worker fails (for the asynchronous wait). */
  #failed: Promise<never>;
  #fail: (e: Error) => void = () => {};
  /** CPU time of the worker thread spent on steps so far, in ms (for benchmarks). */
  workerCpuMs = 0;

  constructor(net: SequenceNetwork, options: { backend?: string } = {}) {
    this.net = net;
    const sizes = variableSizes(net);
    this.#slots = new GradientSlots(sizes, net.spec.heads.length);
    this.#failed = new Promise<never>((_, reject) => { this.#fail = reject; });
    this.#failed.catch(() => {});
    this.#sum = sizes.map((n) => new Float32Array(n));
    this.#worker = new Worker(new URL('./parallel-worker.ts', import.meta.url));
    this.#worker.on('message', (r: ReplicaReply) => {
      if (r.type === 'error') this.#failure ??= new Error(r.message);
      if (r.type === 'error') this.#fail(this.#failure!);
      const w = this.#waiting;
      this.#waiting = undefined;
      w?.(r);
    });
    const fail = (e: Error) => {
      this.#failure ??= e;
      this.#fail(this.#failure);
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
    const step = ++this.#step;
    this.#post({ type: 'gradients', batch: sliceRows(b, half, b.batch), scales, step });
    const mine = this.net.gradients(sliceRows(b, 0, half), scales, slots.mine[slot]);
    slots.release();
    await this.#theirs(step);
    // The replica sums and applies the identical step while this thread does the same.
    this.#post({ type: 'apply', slot, alone: false });
    slots.acquire();
    this.net.applyGradients(slots.sum(slot, this.#sum));
    const H = mine.nll.length;
    const st = slots.stats;
    this.workerCpuMs += st[3 * H];
    return stepResult(mine.nll.map((v, k) => v + st[k]), mine.correct.map((v, k) => v + st[H + k]), mine.count.map((v, k) => v + st[2 * H + k]));
  }

  /** Until the worker has finished `step`: blocking briefly, then asynchronously (to see it fail). */
  async #theirs(step: number): Promise<void> {
    const slots = this.#slots;
    if (slots.waitFor(step, 2000)) return;
    // Long steps (huge batches, a busy machine): poll, letting the worker's exit or error arrive.
    while (!this.#failure) {
      await Promise.race([new Promise((r) => setTimeout(r, 5)), this.#failed]).catch(() => {});
      if (slots.waitFor(step, 0)) return;
    }
    throw this.#failure;
  }

  /** Stops the worker. */
  async close(): Promise<void> {
    await this.#worker.terminate();
  }

  #post(m: ReplicaMessage): void {
    if (this.#failure) throw this.#failure;
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
