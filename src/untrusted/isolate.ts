/**
 * One piece of work on untrusted input, in its own worker thread with a deadline and a
 * memory ceiling: past either, the worker is terminated and the caller gets a typed error
 * that says what happened; the bot's event loop never runs the work itself.
 *
 * The ceiling (V8 `resourceLimits`) bounds JS objects; byte buffers live outside that heap,
 * so the work itself must bound what it allocates (the readers count real bytes).
 */
import { Worker } from 'node:worker_threads';
import { MixtapeError, isMixtapeError, type ErrorCode } from '../engine/errors.ts';

export interface IsolateOptions {
  /** Wall-clock limit, ms. */
  timeoutMs: number;
  /** V8 old-generation heap ceiling of the worker, MB. */
  maxHeapMb: number;
  /** What is being done, for the messages: e.g. 'Unpacking your zip'. */
  what: string;
}

/** What an isolated worker posts back. */
export type IsolateReply<T> = { ok: true; value: T } | { ok: false; code?: string; message: string };

/** Worker side: runs `fn` on the workerData and posts the answer (typed errors carried over). */
export async function serveIsolated<I, O>(port: { postMessage(m: unknown, transfer?: readonly ArrayBuffer[]): void }, input: I, fn: (input: I) => O | Promise<O>, transfer?: (out: O) => ArrayBuffer[]): Promise<void> {
  try {
    const value = await fn(input);
    port.postMessage({ ok: true, value } satisfies IsolateReply<O>, transfer?.(value));
  } catch (e) {
    port.postMessage({ ok: false, code: isMixtapeError(e) ? e.code : undefined, message: isMixtapeError(e) ? e.message : String((e as Error)?.message ?? e) } satisfies IsolateReply<O>);
  }
}

/**
 * Runs the worker module at `url` once with `input` as its workerData.
 * @example await runIsolated(new URL('./unzip-worker.ts', import.meta.url), { zip, limits }, { timeoutMs: 10000, maxHeapMb: 256, what: 'Unpacking your zip' })
 */
export function runIsolated<I, O>(url: URL, input: I, opts: IsolateOptions): Promise<O> {
  return new Promise<O>((resolve, reject) => {
    let settled = false;
    const worker = new Worker(url, {
      workerData: input,
      resourceLimits: { maxOldGenerationSizeMb: opts.maxHeapMb, maxYoungGenerationSizeMb: Math.min(64, Math.max(8, opts.maxHeapMb / 8)), stackSizeMb: 4 },
      stdout: false,
      stderr: false,
    });
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
      void worker.terminate();
    };
    const timer = setTimeout(() => finish(() => reject(new MixtapeError('TOO_LARGE',
      `${opts.what} took longer than ${Math.round(opts.timeoutMs / 100) / 10} s and was stopped. Try a smaller or simpler file.`))), opts.timeoutMs);
    worker.on('message', (reply: IsolateReply<O>) => finish(() => {
      if (reply.ok) resolve(reply.value);
      else reject(reply.code ? new MixtapeError(reply.code as ErrorCode, reply.message) : new Error(reply.message));
    }));
    worker.on('error', (e: Error & { code?: string }) => finish(() => reject(e.code === 'ERR_WORKER_OUT_OF_MEMORY'
      ? new MixtapeError('TOO_LARGE', `${opts.what} needed more than ${opts.maxHeapMb} MB of memory and was stopped. Try a smaller or simpler file.`)
      : new Error(`${opts.what} failed: ${e.message}`))));
    worker.on('exit', (code) => finish(() => reject(new Error(`${opts.what} stopped unexpectedly (exit ${code})`))));
  });
}
