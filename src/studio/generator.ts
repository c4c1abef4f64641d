/**
 * Generation off the caller's thread: one long-lived worker that keeps the models loaded.
 * Requests are answered in order; a crashed worker fails its pending requests and the next
 * request starts a fresh one.
 */
import { Worker } from 'node:worker_threads';
import type { Composition } from '../engine/compose.ts';
import { MixtapeError } from '../engine/errors.ts';
import type { ErrorCode } from '../engine/errors.ts';
import type { ComposeExtras } from './generate-score.ts';
import type { ComposeRequest } from './types.ts';

export type GeneratorMessage = { id: number; type: 'warm' } | { id: number; type: 'compose'; req: ComposeRequest; extras: ComposeExtras };
export type GeneratorReply =
  | { id: number; type: 'piece'; piece: Composition }
  | { id: number; type: 'warmed'; models: string[] }
  | { id: number; type: 'error'; code?: string; message: string };

type Pending = { resolve: (r: GeneratorReply) => void; reject: (e: Error) => void };

/** A generation worker; `compose` resolves with the same Composition as `generateScore`. */
export class Generator {
  #worker: Worker | undefined;
  #pending = new Map<number, Pending>();
  #nextId = 1;

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
    await worker?.terminate();
  }

  #send(message: GeneratorMessage): Promise<GeneratorReply> {
    const worker = this.#ensure();
    const id = this.#nextId++;
    // Busy, the worker holds the process open (a CLI awaiting its piece); idle, it does not.
    worker.ref();
    return new Promise<GeneratorReply>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      worker.postMessage({ ...message, id });
    }).then((reply) => {
      if (reply.type !== 'error') return reply;
      throw reply.code ? new MixtapeError(reply.code as ErrorCode, reply.message) : new Error(reply.message);
    });
  }

  #ensure(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(new URL('./generate-worker.ts', import.meta.url));
    worker.on('message', (reply: GeneratorReply) => {
      const pending = this.#pending.get(reply.id);
      this.#pending.delete(reply.id);
      if (this.#pending.size === 0) worker.unref();
      pending?.resolve(reply);
    });
    const fail = (error: Error) => {
      if (this.#worker === worker) this.#worker = undefined;
      for (const p of this.#pending.values()) p.reject(error);
      this.#pending.clear();
    };
    worker.on('error', (e) => fail(new Error(`the generation worker failed: ${e.message}`)));
    worker.on('exit', (code) => fail(new Error(`the generation worker stopped (exit ${code})`)));
    this.#worker = worker;
    return worker;
  }
}
