/**
 * Generation off the caller's thread: one long-lived worker that keeps the models loaded.
 * The worker takes requests one at a time, in order. Each request has a deadline (from the
 * moment the worker starts it) and the worker a heap ceiling (`resourceLimits`): a request
 * past its deadline, or one that exhausts the heap, fails alone with a clear message; the
 * worker is replaced and the requests behind it are sent to the new one.
 */
import { Worker } from 'node:worker_threads';
import type { Composition } from '../engine/compose.ts';
import { MixtapeError } from '../engine/errors.ts';
import type { ErrorCode } from '../engine/errors.ts';
import type { ComposeExtras } from './generate-score.ts';
import type { ComposeRequest } from './types.ts';

export type GeneratorMessage = { id: number; type: 'warm' } | { id: number; type: 'compose'; req: ComposeRequest; extras: ComposeExtras };
export type GeneratorReply =
  | { id: number; type: 'started' }
  | { id: number; type: 'piece'; piece: Composition }
  | { id: number; type: 'warmed'; models: string[] }
  | { id: number; type: 'error'; code?: string; message: string };

export interface GeneratorOptions {
  /** Longest one composition may take once started, ms (default 60 s). */
  deadlineMs?: number;
  /** Heap ceiling of the worker, MB (default 1024). */
  maxHeapMb?: number;
}

/** Defaults: a 64-bar piece takes a few seconds; the shipped models need well under 200 MB. */
export const GENERATION_DEADLINE_MS = 60_000;
export const GENERATION_HEAP_MB = 1024;
/** Loading every model may take longer than one piece. */
const WARM_DEADLINE_MS = 180_000;

type Pending = { message: GeneratorMessage; resolve: (r: GeneratorReply) => void; reject: (e: Error) => void; timer?: NodeJS.Timeout };

/** A generation worker; `compose` resolves with the same Composition as `generateScore`. */
export class Generator {
  #worker: Worker | undefined;
  #pending = new Map<number, Pending>();
  #nextId = 1;
  readonly deadlineMs: number;
  readonly maxHeapMb: number;

  constructor(options: GeneratorOptions = {}) {
    this.deadlineMs = options.deadlineMs ?? GENERATION_DEADLINE_MS;
    this.maxHeapMb = options.maxHeapMb ?? GENERATION_HEAP_MB;
  }

  /** Loads every shipped model in the worker; resolves with those that loaded. */
  async warm(): Promise<string[]> {
    const reply = await this.#send({ id: 0, type: 'warm' });
    return reply.type === 'warmed' ? reply.models : [];
  }

  /** Generates a piece in the worker. @example await new Generator().compose({ genre: 'celtic', bars: 16 }) */
  async compose(req: ComposeRequest, extras: ComposeExtras = {}): Promise<Composition> {
    const reply = await this.#send({ id: 0, type: 'compose', req, extras });
    if (reply.type === 'piece') return reply.piece;
    throw new Error('the generation worker gave an unexpected answer');
  }

  /** Stops the worker; pending requests fail. */
  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    for (const p of this.#pending.values()) {
      clearTimeout(p.timer);
      p.reject(new Error('the generation worker was closed'));
    }
    this.#pending.clear();
    await worker?.terminate();
  }

  #send(message: GeneratorMessage): Promise<GeneratorReply> {
    const id = this.#nextId++;
    return new Promise<GeneratorReply>((resolve, reject) => {
      const full = { ...message, id };
      this.#pending.set(id, { message: full, resolve, reject });
      const worker = this.#ensure();
      // Busy, the worker holds the process open (a CLI awaiting its piece); idle, it does not.
      worker.ref();
      worker.postMessage(full);
    }).then((reply) => {
      if (reply.type !== 'error') return reply;
      throw reply.code ? new MixtapeError(reply.code as ErrorCode, reply.message) : new Error(reply.message);
    });
  }

  #ensure(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(new URL('./generate-worker.ts', import.meta.url), {
      resourceLimits: { maxOldGenerationSizeMb: this.maxHeapMb, maxYoungGenerationSizeMb: 64 },
    });
    worker.on('message', (reply: GeneratorReply) => {
      const pending = this.#pending.get(reply.id);
      if (!pending) return;
      if (reply.type === 'started') {
        const ms = pending.message.type === 'warm' ? Math.max(WARM_DEADLINE_MS, this.deadlineMs) : this.deadlineMs;
        pending.timer = setTimeout(() => this.#replace(worker, reply.id, new MixtapeError('TOO_LARGE',
          `This piece took longer than ${Math.round(ms / 1000)} s to compose and was stopped. Try fewer bars, or a shorter or simpler MIDI file.`)), ms);
        return;
      }
      clearTimeout(pending.timer);
      this.#pending.delete(reply.id);
      if (this.#pending.size === 0) worker.unref();
      pending.resolve(reply);
    });
    let crash: Error | undefined;
    worker.on('error', (e: Error & { code?: string }) => {
      crash = e.code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? new MixtapeError('TOO_LARGE', `This piece needed more than ${this.maxHeapMb} MB of memory to compose and was stopped. Try fewer bars, or a shorter or simpler MIDI file.`)
        : new Error(`the generation worker failed: ${e.message}`);
    });
    worker.on('exit', (code) => {
      if (this.#worker !== worker) return; // replaced or closed on purpose
      this.#replace(worker, this.#active(), crash ?? new Error(`the generation worker stopped (exit ${code})`));
    });
    this.#worker = worker;
    return worker;
  }

  /** The request the worker is on: the oldest pending (it takes them in order). */
  #active(): number | undefined {
    return this.#pending.keys().next().value;
  }

  /** Fails request `id` alone, drops the worker and hands the others to a fresh one, in order. */
  #replace(worker: Worker, id: number | undefined, error: Error): void {
    if (this.#worker === worker) this.#worker = undefined;
    void worker.terminate();
    const failed = id === undefined ? undefined : this.#pending.get(id);
    if (failed && id !== undefined) {
      clearTimeout(failed.timer);
      this.#pending.delete(id);
      failed.reject(error);
    }
    if (this.#pending.size === 0) return;
    const next = this.#ensure();
    next.ref();
    for (const p of this.#pending.values()) {
      clearTimeout(p.timer);
      p.timer = undefined;
      next.postMessage(p.message);
    }
  }
}
