/**
 * The in-process job queue: FIFO, `concurrency` jobs at a time, a per-user and a total limit.
 * It only schedules (the heavy work runs in worker threads); jobs start on a later turn of
 * the event loop, so `submit` returns at once and a burst of jobs never blocks it.
 */
import { randomBytes } from 'node:crypto';
import { MixtapeError } from '../engine/errors.ts';
import type { JobEvent, JobQueue, JobSpec, QueueOptions, QueueStats, SubmittedJob } from './types.ts';

interface Entry {
  id: string;
  userId: string;
  spec: JobSpec<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  /** The last position told to listeners, to announce only changes. */
  lastPosition: number;
}

export const QUEUE_DEFAULTS = { concurrency: 1, maxQueue: 20, maxPerUser: 2 } as const;

/** The "you already have N" message. @example perUserMessage(2) */
export const perUserMessage = (limit: number): string =>
  `you already have ${limit} ${limit === 1 ? 'piece' : 'pieces'} in the queue — wait for one to finish`;

/** The "queue is full" message. @example queueFullMessage(20) */
export const queueFullMessage = (limit: number): string =>
  `the queue is full (${limit} jobs) — try again in a minute`;

/**
 * Create an in-process queue.
 * @example const queue = createMemoryQueue({ concurrency: 1, maxQueue: 20, maxPerUser: 2 })
 */
export function createMemoryQueue(options: QueueOptions = {}): JobQueue {
  const concurrency = positiveInt(options.concurrency, QUEUE_DEFAULTS.concurrency);
  const maxQueue = positiveInt(options.maxQueue, QUEUE_DEFAULTS.maxQueue);
  const maxPerUser = positiveInt(options.maxPerUser, QUEUE_DEFAULTS.maxPerUser);

  const waiting: Entry[] = [];
  const running = new Map<string, Entry>();
  const settled = new Set<Promise<unknown>>();
  const listeners = new Map<string, Set<(e: JobEvent) => void>>();
  const anyListeners = new Set<(e: JobEvent) => void>();
  let completed = 0;
  let failed = 0;
  let closed = false;

  const emit = (event: JobEvent) => {
    for (const fn of [...(listeners.get(event.id) ?? []), ...anyListeners]) {
      try {
        fn(event);
      } catch {
        // A listener's bug (e.g. a failed message edit) must not stop the queue.
      }
    }
  };

  const userJobs = (userId: string) =>
    waiting.filter((e) => e.userId === userId).length + [...running.values()].filter((e) => e.userId === userId).length;

  const position = (id: string): number => {
    if (running.has(id)) return 0;
    const i = waiting.findIndex((e) => e.id === id);
    return i < 0 ? -1 : i + 1;
  };

  const announcePositions = () => {
    waiting.forEach((entry, i) => {
      if (entry.lastPosition !== i + 1) {
        entry.lastPosition = i + 1;
        emit({ type: 'position', id: entry.id, position: i + 1 });
      }
    });
  };

  const finish = (entry: Entry, outcome: { ok: true; value: unknown } | { ok: false; error: unknown }) => {
    running.delete(entry.id);
    if (outcome.ok) {
      completed += 1;
      emit({ type: 'done', id: entry.id });
      entry.resolve(outcome.value);
    } else {
      failed += 1;
      emit({ type: 'failed', id: entry.id, error: errorMessage(outcome.error) });
      entry.reject(outcome.error);
    }
    listeners.delete(entry.id);
    pump();
  };

  const start = (entry: Entry) => {
    entry.lastPosition = 0;
    running.set(entry.id, entry);
    // Run on a later turn: submit() returns first, and a synchronous throw becomes a failure.
    const done = new Promise<void>((resolve) => {
      setImmediate(() => {
        emit({ type: 'started', id: entry.id });
        let live = true;
        const ctx = {
          id: entry.id,
          reportProgress: (fraction: number, detail?: string) => {
            if (!live) return;
            const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
            emit({ type: 'progress', id: entry.id, fraction: f, ...(detail === undefined ? {} : { detail }) });
          },
        };
        Promise.resolve()
          .then(() => entry.spec.run(ctx))
          .then(
            (value) => ({ ok: true as const, value }),
            (error: unknown) => ({ ok: false as const, error }),
          )
          .then((outcome) => {
            live = false;
            finish(entry, outcome);
            resolve();
          });
      });
    });
    settled.add(done);
    void done.then(() => settled.delete(done));
  };

  function pump() {
    while (running.size < concurrency && waiting.length > 0) start(waiting.shift()!);
    announcePositions();
  }

  return {
    submit<T>(spec: JobSpec<T>): SubmittedJob<T> {
      if (closed) throw new MixtapeError('UNAVAILABLE', 'the bot is restarting — try again in a minute');
      const perUser = positiveInt(spec.maxPerUser, maxPerUser);
      if (userJobs(spec.userId) >= perUser) throw new MixtapeError('LIMIT', perUserMessage(perUser));
      if (waiting.length + running.size >= maxQueue) throw new MixtapeError('LIMIT', queueFullMessage(maxQueue));

      const id = spec.id ?? randomBytes(6).toString('base64url');
      let resolve!: (v: unknown) => void;
      let reject!: (e: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res as (v: unknown) => void;
        reject = rej;
      });
      // The caller may never await it; a failed job must not become an unhandled rejection.
      promise.catch(() => undefined);
      const entry: Entry = { id, userId: spec.userId, spec, resolve, reject, lastPosition: -1 };
      if (spec.onEvent) listeners.set(id, new Set([spec.onEvent]));
      waiting.push(entry);
      entry.lastPosition = waiting.length;
      pump();
      return { id, position: position(id), promise };
    },

    onEvent(id, listener) {
      const set = listeners.get(id) ?? new Set();
      set.add(listener);
      listeners.set(id, set);
      return () => {
        set.delete(listener);
      };
    },

    onAnyEvent(listener) {
      anyListeners.add(listener);
      return () => {
        anyListeners.delete(listener);
      };
    },

    position,
    userJobs,

    stats(): QueueStats {
      return { running: running.size, waiting: waiting.length, completed, failed, concurrency, maxQueue, maxPerUser };
    },

    async close() {
      closed = true;
      for (const entry of waiting.splice(0)) {
        failed += 1;
        const error = new MixtapeError('UNAVAILABLE', 'the bot is restarting — try again in a minute');
        emit({ type: 'failed', id: entry.id, error: error.message });
        listeners.delete(entry.id);
        entry.reject(error);
      }
      await Promise.all([...settled]);
    },
  };
}

function positiveInt(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isInteger(value) && value > 0 ? value : fallback;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
