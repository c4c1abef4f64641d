/**
 * The job queue. Commands depend on the `JobQueue` interface only; `createQueue` picks the
 * implementation (in-process today; a shared, Redis-backed one could slot in here).
 */
import type { Limits } from '../config.ts';
import { createMemoryQueue } from './memory-queue.ts';
import type { JobQueue } from './types.ts';

export type * from './types.ts';
export { createMemoryQueue, perUserMessage, queueFullMessage, QUEUE_DEFAULTS } from './memory-queue.ts';

/**
 * The queue for the configured limits.
 * @example const queue = createQueue(loadConfig().limits)
 */
export function createQueue(limits: Pick<Limits, 'concurrency' | 'maxQueue' | 'maxJobsPerUser'>): JobQueue {
  return createMemoryQueue({ concurrency: limits.concurrency, maxQueue: limits.maxQueue, maxPerUser: limits.maxJobsPerUser });
}
