/**
 * The shared job queue: BullMQ on Redis (REDIS_URL). Gateways enqueue payloads, any number of
 * `mixtape worker` processes run them. BullMQ's open-source edition has no per-group limits,
 * so members and guilds are admitted here, at enqueue, against Redis sets of their live jobs.
 */
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { MixtapeError } from '../engine/errors.ts';
import { jobEventText } from '../bot/progress.ts';
import { parsePayload, type JobPayload } from '../jobs/index.ts';
import type { Delivery } from '../delivery/rest.ts';
import type { AdmitOptions, DurableQueue } from './types.ts';
import { perUserMessage, queueFullMessage } from './memory-queue.ts';
import { guildFullMessage } from './local-jobs.ts';

/** States in which a job still counts against its member's and guild's limits. */
const LIVE_STATES = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'paused']);

export interface BullSettings {
  redisUrl: string;
  queueName: string;
  /** Redis key prefix (tests use a unique one per run). */
  prefix?: string;
}

/** A Redis connection as BullMQ wants it (no per-request retry limit: a worker waits for Redis to return). */
export function redisConnection(url: string): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
  redis.on('error', () => undefined); // reported by the calls that fail; must not crash the process
  return redis;
}

/** The Redis keys of a member's and a guild's live jobs. */
export function liveKeys(s: BullSettings, userId: string, guildId: string): { user: string; guild: string } {
  const base = `${s.prefix ?? 'bull'}:${s.queueName}:mixtape`;
  return { user: `${base}:u:${userId}`, guild: `${base}:g:${guildId}` };
}

export interface BullQueueOptions extends BullSettings {
  limits: { maxPerUser: number; maxPerGuild: number; maxQueue: number };
  delivery: Delivery;
  log: Logger;
  /** How often the positions of waiting jobs are refreshed on their replies (ms). */
  positionEveryMs?: number;
}

export interface BullJobs extends DurableQueue {
  queue: Queue;
  redis: Redis;
}

/** The producer side (gateway, all-in-one). */
export function createBullJobs(opts: BullQueueOptions): BullJobs {
  const redis = redisConnection(opts.redisUrl);
  const queue = new Queue(opts.queueName, { connection: redis, ...(opts.prefix ? { prefix: opts.prefix } : {}) });
  queue.on('error', (err) => opts.log.warn({ err: err.message }, 'queue connection error'));
  // Places held between admit and enqueue, so a burst from one member cannot slip past the limit.
  const held = new Map<string, number>();
  const bump = (k: string, by: number) => held.set(k, (held.get(k) ?? 0) + by);

  // Queue positions of the jobs this process enqueued, shown on their replies until a worker starts them.
  const watched = new Map<string, { p: JobPayload; shown: number }>();
  let polling = false;
  const poll = async () => {
    if (polling || watched.size === 0) return;
    polling = true;
    try {
      const ids = await queue.getRanges(['wait'], 0, -1, true); // next to run first
      const at = new Map(ids.map((id, n) => [id, n + 1]));
      for (const [id, w] of watched) {
        const position = at.get(id);
        if (position === undefined) { watched.delete(id); continue; } // started (the worker shows progress) or gone
        if (position === w.shown) continue;
        w.shown = position;
        await opts.delivery.progress(w.p.reply, jobEventText({ type: 'position', id, position }, w.p.verb)!).catch(() => undefined);
      }
    } catch (e) {
      opts.log.debug({ err: (e as Error).message }, 'could not read queue positions');
    } finally {
      polling = false;
    }
  };
  const timer = setInterval(() => void poll(), opts.positionEveryMs ?? 2000);
  timer.unref();

  /** How many of these job ids are still live; finished ones are dropped from the set. */
  const liveCount = async (key: string, limit: number): Promise<number> => {
    const ids = await redis.smembers(key);
    if (ids.length < limit) return ids.length;
    let live = 0;
    for (const id of ids) {
      const state = await queue.getJobState(id);
      if (LIVE_STATES.has(state)) live += 1;
      else await redis.srem(key, id);
    }
    return live;
  };

  const check = async (userId: string, guildId: string, maxPerUser: number) => {
    const keys = liveKeys(opts, userId, guildId);
    const [user, guild, counts] = await Promise.all([
      liveCount(keys.user, Math.max(1, maxPerUser - (held.get(keys.user) ?? 0))),
      liveCount(keys.guild, Math.max(1, opts.limits.maxPerGuild - (held.get(keys.guild) ?? 0))),
      queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized'),
    ]);
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    if (user + (held.get(keys.user) ?? 0) >= maxPerUser) throw new MixtapeError('LIMIT', perUserMessage(maxPerUser));
    if (guild + (held.get(keys.guild) ?? 0) >= opts.limits.maxPerGuild) throw new MixtapeError('LIMIT', guildFullMessage(opts.limits.maxPerGuild));
    if (total + (held.get('*') ?? 0) >= opts.limits.maxQueue) throw new MixtapeError('LIMIT', queueFullMessage(opts.limits.maxQueue));
    return keys;
  };

  return {
    mode: 'bullmq',
    queue,
    redis,

    async admit(userId, guildId, admitOptions: AdmitOptions = {}) {
      const keys = await check(userId, guildId, admitOptions.maxPerUser ?? opts.limits.maxPerUser);
      for (const k of [keys.user, keys.guild, '*']) bump(k, 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        for (const k of [keys.user, keys.guild, '*']) bump(k, -1);
      };
    },

    async enqueue(payload: JobPayload, admitOptions: AdmitOptions = {}) {
      const p = parsePayload(payload);
      const keys = liveKeys(opts, p.reply.userId, p.reply.guildId);
      // The place admit held is taken now (a payload enqueued without admit is checked as it is).
      if ((held.get(keys.user) ?? 0) > 0) for (const k of [keys.user, keys.guild, '*']) bump(k, -1);
      else await check(p.reply.userId, p.reply.guildId, admitOptions.maxPerUser ?? opts.limits.maxPerUser);
      await redis.multi().sadd(keys.user, p.id).sadd(keys.guild, p.id).exec();
      // jobId = payload id: adding the same job twice (a retried enqueue) keeps one job.
      await queue.add(p.kind, p, {
        jobId: p.id,
        attempts: 3, // only a failed delivery throws; a member's mistake is answered, not retried
        backoff: { type: 'fixed', delay: 2000 },
        removeOnComplete: { age: 3600, count: 10_000 },
        removeOnFail: { age: 24 * 3600 },
      });
      const position = await queue.getWaitingCount();
      if (position > 0) {
        await opts.delivery.progress(p.reply, jobEventText({ type: 'position', id: p.id, position }, p.verb)!);
        watched.set(p.id, { p, shown: position });
      }
      return { id: p.id, position };
    },

    async counts() {
      return queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed');
    },

    async close() {
      clearInterval(timer);
      await queue.close();
      await redis.quit().catch(() => undefined);
    },
  };
}
