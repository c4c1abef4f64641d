/**
 * The job queue contract. Commands only see this interface, so an in-process queue
 * (`createMemoryQueue`) and a shared one (e.g. Redis-backed) are interchangeable.
 * The queue only schedules: the heavy work runs in worker threads elsewhere.
 */

export interface JobContext {
  /** The job's id. */
  id: string;
  /** Report progress (0..1) and an optional short note, e.g. "epoch 3/10". */
  reportProgress(fraction: number, detail?: string): void;
}

export interface JobSpec<T> {
  /** The job's id (a durable job keeps its id across restarts); a random one when absent. */
  id?: string;
  userId: string;
  /** What the job does, e.g. 'compose' or 'train'. */
  kind: string;
  guildId?: string;
  /** Per-user limit for this job (e.g. a guild override); the queue's default when absent. */
  maxPerUser?: number;
  run: (ctx: JobContext) => Promise<T>;
  /** Listen to this job's events from the start (same as `onEvent(id, ...)` right after submit). */
  onEvent?: (event: JobEvent) => void;
}

export interface SubmittedJob<T> {
  id: string;
  /** 0 = running now, 1 = next to start, ... at submit time (see `onPosition` for updates). */
  position: number;
  /** Settles with the job's result or its error. */
  promise: Promise<T>;
}

/** Something that happened to a job: `position` while waiting, `progress` while running. */
export type JobEvent =
  | { type: 'position'; id: string; position: number }
  | { type: 'started'; id: string }
  | { type: 'progress'; id: string; fraction: number; detail?: string }
  | { type: 'done'; id: string }
  | { type: 'failed'; id: string; error: string };

export interface QueueStats {
  /** Jobs running now. */
  running: number;
  /** Jobs waiting to start. */
  waiting: number;
  /** Jobs finished (done or failed) since the queue was created. */
  completed: number;
  failed: number;
  concurrency: number;
  maxQueue: number;
  maxPerUser: number;
}

export interface JobQueue {
  /**
   * Add a job. Throws MixtapeError LIMIT when the user already has `maxPerUser` jobs
   * (waiting or running) or the queue holds `maxQueue` jobs.
   */
  submit<T>(spec: JobSpec<T>): SubmittedJob<T>;
  /** Listen to one job's events (position changes, start, progress, end). Returns an unsubscribe function. */
  onEvent(id: string, listener: (event: JobEvent) => void): () => void;
  /** Listen to every job's events. Returns an unsubscribe function. */
  onAnyEvent(listener: (event: JobEvent) => void): () => void;
  /** Current position of a waiting job: 0 running, 1.. waiting, -1 unknown/finished. */
  position(id: string): number;
  /** How many jobs this user has waiting or running. */
  userJobs(userId: string): number;
  stats(): QueueStats;
  /** Stop accepting jobs; waiting jobs fail with UNAVAILABLE; resolves when running jobs end. */
  close(): Promise<void>;
}

export interface QueueOptions {
  /** Jobs running at once (default 1). */
  concurrency?: number;
  /** Jobs waiting or running at once, in total (default 20). */
  maxQueue?: number;
  /** Jobs waiting or running per user (default 2). */
  maxPerUser?: number;
}

/**
 * The queue of job payloads (plain data, see src/jobs/payload.ts): the in-process one
 * (persisted in the jobs table) or BullMQ on Redis. Admission (per member, per guild, in
 * total) happens at enqueue; positions and progress are shown on the member's reply.
 */
export interface AdmitOptions {
  /** The guild's own per-member limit (/settings job-limit); the queue's default when absent. */
  maxPerUser?: number;
}

export interface DurableQueue {
  readonly mode: 'memory' | 'bullmq';
  /**
   * Holds a place for the member's next job, or throws MixtapeError LIMIT when the member, the
   * guild or the queue is full. `enqueue` takes the place; call the returned function when not enqueuing.
   */
  admit(userId: string, guildId: string, options?: AdmitOptions): Promise<() => void>;
  /** Enqueues the job (idempotent by payload id); its position (0 = running or about to). Throws LIMIT like `admit`. */
  enqueue(payload: import('../jobs/payload.ts').JobPayload, options?: AdmitOptions): Promise<{ id: string; position: number }>;
  /** Jobs by state, for /healthz, metrics and the load test. */
  counts(): Promise<Record<string, number>>;
  /** Stop accepting; in-process: wait for running jobs, keep waiting ones for the next start. */
  close(): Promise<void>;
}
