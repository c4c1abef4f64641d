/**
 * When the weekly recordings are made. With REDIS_URL: a BullMQ job scheduler per guild
 * (`upsertJobScheduler`, the guild's cron in UTC) fires a job at the set time, and any process
 * with the worker may run it. Without: a timer checks every minute. Either way a check at
 * start catches up a week whose time passed while no process ran, and the (guild, week) claim
 * in the database keeps it to one post.
 */
import { Queue, Worker, type RepeatOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { redisConnection } from '../queue/bullmq.ts';
import { cronOf, parseWeeklyTime, type WeeklyTime } from './schedule.ts';
import { postWeekly, type WeeklyDeps, type WeeklyOutcome } from './weekly.ts';

const SETTING = 'weeklyMixtape';

export interface WeeklySchedulerOptions {
  deps: WeeklyDeps;
  redisUrl?: string;
  /** BullMQ key prefix and queue name (tests use unique ones). */
  prefix?: string;
  queueName?: string;
  /** How often the schedule is checked (local) or the job schedulers synced (Redis); default 60 s. */
  tickMs?: number;
  now?: () => Date;
  /** The repeat of a guild's job (default: its weekly cron in UTC); tests fire more often. */
  repeat?: (t: WeeklyTime) => Omit<RepeatOptions, 'key'>;
}

export class WeeklyScheduler {
  private readonly o: WeeklySchedulerOptions;
  private timer: NodeJS.Timeout | undefined;
  private queue: Queue | undefined;
  private worker: Worker | undefined;
  private redis: Redis[] = [];
  private running: Promise<unknown> = Promise.resolve();
  /** What each guild's last run gave (for logs and tests). */
  readonly outcomes: { guildId: string; outcome: WeeklyOutcome | 'failed'; via: 'tick' | 'job' }[] = [];

  constructor(o: WeeklySchedulerOptions) {
    this.o = o;
  }

  private now(): Date {
    return this.o.now?.() ?? new Date();
  }

  /** Starts checking (and, with Redis, the job schedulers and their worker). */
  async start(): Promise<void> {
    if (this.o.redisUrl) {
      const name = this.o.queueName ?? 'mixtape-weekly';
      const prefix = this.o.prefix ? { prefix: this.o.prefix } : {};
      this.redis = [redisConnection(this.o.redisUrl), redisConnection(this.o.redisUrl)];
      this.queue = new Queue(name, { connection: this.redis[0], ...prefix });
      this.queue.on('error', (err) => this.o.deps.log.warn({ err: err.message }, 'weekly queue error'));
      this.worker = new Worker(name, async (job) => this.run(String(job.data.guildId), 'job'), { connection: this.redis[1], concurrency: 1, ...prefix });
      this.worker.on('error', (err) => this.o.deps.log.warn({ err: err.message }, 'weekly worker error'));
      await this.sync();
    }
    await this.tick(); // catch up a week missed while no process ran
    this.timer = setInterval(() => void (this.o.redisUrl ? this.sync() : this.tick()), this.o.tickMs ?? 60_000);
    this.timer.unref();
  }

  /** Checks every scheduled guild now (one after another). */
  async tick(): Promise<void> {
    const guilds = await this.o.deps.store.guildsWithSetting(SETTING).catch(() => []);
    for (const g of guilds) await this.run(g.guildId, 'tick');
  }

  /** One job scheduler per guild with a weekly time (updated when the time changed), none for the others. */
  async sync(): Promise<void> {
    if (!this.queue) return;
    try {
      const guilds = await this.o.deps.store.guildsWithSetting(SETTING);
      const wanted = new Set<string>();
      for (const g of guilds) {
        const t = parseWeeklyTime(g.value);
        if (!t) continue;
        const id = `weekly:${g.guildId}`;
        wanted.add(id);
        await this.queue.upsertJobScheduler(id, this.o.repeat?.(t) ?? { pattern: cronOf(t), tz: 'UTC' }, { name: 'weekly', data: { guildId: g.guildId } });
      }
      for (const s of await this.queue.getJobSchedulers(0, -1)) {
        if (!wanted.has(s.key)) await this.queue.removeJobScheduler(s.key);
      }
    } catch (e) {
      this.o.deps.log.warn({ err: (e as Error).message }, 'could not sync the weekly schedules');
    }
  }

  /** Runs one guild's weekly post; runs never overlap in this process. */
  private run(guildId: string, via: 'tick' | 'job'): Promise<void> {
    const next = this.running.then(async () => {
      try {
        const outcome = await postWeekly(this.o.deps, guildId, this.now());
        this.outcomes.push({ guildId, outcome, via });
      } catch (e) {
        this.outcomes.push({ guildId, outcome: 'failed', via });
        this.o.deps.log.warn({ err: (e as Error).message, guildId }, 'weekly mixtape failed; will try again');
      }
    });
    this.running = next;
    return next;
  }

  /** The job schedulers in Redis (tests and checks). */
  async schedulers(): Promise<string[]> {
    return this.queue ? (await this.queue.getJobSchedulers(0, -1)).map((s) => s.key) : [];
  }

  /** Stops timers and closes the queue and worker (schedulers stay in Redis for the next start). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.worker?.close().catch(() => undefined);
    await this.queue?.close().catch(() => undefined);
    await this.running.catch(() => undefined);
    for (const r of this.redis) r.disconnect();
  }
}
