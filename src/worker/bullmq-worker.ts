/**
 * The worker loop on BullMQ: takes payloads from Redis and runs them (studio -> storage ->
 * delivery). At-least-once: a worker killed mid-job loses its lock, and another one takes the
 * job over after `lockMs` + `stalledMs`; the handler is idempotent, so the member still gets
 * exactly one answer. close() stops taking jobs and waits for the running ones (SIGTERM).
 */
import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { jobRun, parsePayload, runJob, type JobOutcome, type JobRuntime } from '../jobs/index.ts';
import { liveKeys, redisConnection, type BullSettings } from '../queue/bullmq.ts';

export interface BullWorkerOptions extends BullSettings {
  runtime: JobRuntime;
  /** Jobs at once in this process. */
  concurrency: number;
  /** How long a job's lock lasts without renewal (renewed every half of it). Default 10 s. */
  lockMs?: number;
  /** How often stalled jobs (a dead worker's) are looked for. Default 5 s. */
  stalledMs?: number;
}

export interface RunningWorker {
  worker: Worker;
  redis: Redis;
  /** Jobs by state in the shared queue (queue depth for metrics). */
  counts(): Promise<Record<string, number>>;
  /** Stop taking jobs, finish the running ones, disconnect. */
  close(): Promise<void>;
}

/** Starts a worker; it runs until close(). */
export function startBullWorker(opts: BullWorkerOptions): RunningWorker {
  const rt = opts.runtime;
  const redis = redisConnection(opts.redisUrl);
  const handle = async (job: Job): Promise<JobOutcome> => {
    const p = parsePayload(job.data);
    const run = {
      ...jobRun(job.id!, p, rt, (f) => void job.updateProgress(Math.round(f * 100)).catch(() => undefined)),
      retriesLeft: Math.max(0, (job.opts.attempts ?? 1) - job.attemptsMade - 1),
    };
    run.progress.show(`🎼 ${p.verb}…`);
    if (job.attemptsStarted > 1) rt.log.info({ jobId: job.id, attempt: job.attemptsStarted }, 'job taken over');
    const outcome = await runJob(p, rt, run);
    const keys = liveKeys(opts, p.reply.userId, p.reply.guildId);
    await redis.multi().srem(keys.user, p.id).srem(keys.guild, p.id).exec().catch(() => undefined);
    return outcome;
  };
  const worker = new Worker(opts.queueName, handle, {
    connection: redis,
    ...(opts.prefix ? { prefix: opts.prefix } : {}),
    concurrency: opts.concurrency,
    lockDuration: opts.lockMs ?? 10_000,
    stalledInterval: opts.stalledMs ?? 5_000,
    maxStalledCount: 3,
  });
  worker.on('error', (err) => rt.log.warn({ err: err.message }, 'worker connection error'));
  worker.on('stalled', (jobId) => {
    rt.metrics?.inc('mixtape_jobs_stalled_total');
    rt.log.warn({ jobId }, 'a job stalled (its worker died or hung): it runs again');
  });
  worker.on('failed', (job, err) => {
    rt.metrics?.inc('mixtape_job_failures_total');
    rt.log.error({ jobId: job?.id, err: err.message }, 'job failed');
  });
  const queue = new Queue(opts.queueName, { connection: redis, ...(opts.prefix ? { prefix: opts.prefix } : {}) });
  return {
    worker,
    redis,
    counts: () => queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed'),
    async close() {
      await worker.close();
      await queue.close();
      await redis.quit().catch(() => undefined);
    },
  };
}
