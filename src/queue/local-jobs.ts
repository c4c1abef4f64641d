/**
 * The embedded job queue: payloads run in this process on the in-process scheduler, and each
 * is written to the `jobs` table first, so a restart resumes what was queued or running
 * (the handler is idempotent) instead of leaving a member's "thinking..." unanswered.
 */
import { MixtapeError } from '../engine/errors.ts';
import { jobEventText } from '../bot/progress.ts';
import { jobRun, runJob, parsePayload, type JobPayload, type JobRuntime } from '../jobs/index.ts';
import type { DurableQueue, JobQueue } from './types.ts';
import { perUserMessage, queueFullMessage } from './memory-queue.ts';

/** After this long a saved job is not resumed but reported as interrupted. */
export const RESUME_WITHIN_MS = 60 * 60 * 1000;

export const guildFullMessage = (limit: number): string =>
  `this server already has ${limit} pieces in the queue — try again in a minute`;

export const INTERRUPTED_MESSAGE = 'Mixtape restarted and could not finish your request in time. Please send it again.';
const PAUSED_TEXT = '⏸ Mixtape is restarting: your request is saved and continues when it is back.';

export interface LocalJobs extends DurableQueue {
  /** Runs again the jobs a previous process left queued or running; returns how many. */
  resume(): Promise<{ resumed: number; interrupted: number }>;
}

/** The in-process DurableQueue on top of a scheduler (`createMemoryQueue`). */
export function createLocalJobs(opts: {
  queue: JobQueue;
  runtime: JobRuntime;
  maxPerGuild?: number;
  /** With several shard processes, each resumes only its own guilds' jobs. */
  owns?: (guildId: string) => boolean;
}): LocalJobs {
  const { queue, runtime: rt } = opts;
  const { store, log } = rt;
  const maxPerGuild = opts.maxPerGuild ?? 50;
  const perGuild = new Map<string, number>();
  let closing = false;
  // Places held between admit (before deferring) and enqueue, so a burst cannot slip past the limits.
  const held = { users: new Map<string, number>(), guilds: new Map<string, number>(), total: 0 };
  const hold = (userId: string, guildId: string, by: 1 | -1) => {
    held.users.set(userId, (held.users.get(userId) ?? 0) + by);
    held.guilds.set(guildId, (held.guilds.get(guildId) ?? 0) + by);
    held.total += by;
  };

  const admitGuild = (guildId: string) => {
    if ((perGuild.get(guildId) ?? 0) + (held.guilds.get(guildId) ?? 0) >= maxPerGuild) throw new MixtapeError('LIMIT', guildFullMessage(maxPerGuild));
  };

  const schedule = (p: JobPayload, persisted: Promise<unknown>, options: { resumed?: boolean; maxPerUser?: number } = {}) => {
    const run = jobRun(p.id, p, rt, undefined);
    const job = queue.submit<unknown>({
      id: p.id,
      userId: p.reply.userId,
      guildId: p.reply.guildId,
      kind: p.kind,
      ...(options.resumed ? { maxPerUser: Number.MAX_SAFE_INTEGER } : options.maxPerUser ? { maxPerUser: options.maxPerUser } : {}),
      run: async (jc) => {
        await persisted;
        await store.updateJob(p.id, { status: 'running', started: true });
        const outcome = await runJob(p, rt, { ...run, reportProgress: (f, d) => { run.reportProgress(f, d); jc.reportProgress(f, d); } });
        await store.updateJob(p.id, outcome === 'failed' ? { status: 'failed', error: 'answered with an error' } : { status: 'done', progress: 1 });
      },
      onEvent: (e) => {
        if (e.type === 'progress') return; // shown by the run itself
        const text = jobEventText(e, p.verb);
        if (text) run.progress.show(text);
      },
    });
    perGuild.set(p.reply.guildId, (perGuild.get(p.reply.guildId) ?? 0) + 1);
    job.promise.then(
      () => undefined,
      async (e: unknown) => {
        if (closing && e instanceof MixtapeError && e.code === 'UNAVAILABLE') {
          // Shut down before it started: it stays 'queued' in the table for the next start.
          await run.progress.finish();
          await rt.delivery.progress(p.reply, PAUSED_TEXT);
          return;
        }
        log.error({ err: e, jobId: p.id }, 'job could not finish');
        await store.updateJob(p.id, { status: 'failed', error: e instanceof Error ? e.message.slice(0, 500) : 'failed' }).catch(() => undefined);
      },
    ).finally(() => {
      perGuild.set(p.reply.guildId, (perGuild.get(p.reply.guildId) ?? 1) - 1);
    });
    if (job.position > 0) run.progress.show(jobEventText({ type: 'position', id: p.id, position: job.position }, p.verb)!);
    return job;
  };

  return {
    mode: 'memory',

    async admit(userId, guildId, admitOptions = {}) {
      if (closing) throw new MixtapeError('UNAVAILABLE', 'the bot is restarting — try again in a minute');
      admitGuild(guildId);
      const stats = queue.stats();
      const { maxQueue, running, waiting } = stats;
      const maxPerUser = admitOptions.maxPerUser ?? stats.maxPerUser;
      if (queue.userJobs(userId) + (held.users.get(userId) ?? 0) >= maxPerUser) throw new MixtapeError('LIMIT', perUserMessage(maxPerUser));
      if (running + waiting + held.total >= maxQueue) throw new MixtapeError('LIMIT', queueFullMessage(maxQueue));
      hold(userId, guildId, 1);
      let released = false;
      return () => {
        if (!released) hold(userId, guildId, -1);
        released = true;
      };
    },

    async enqueue(payload, admitOptions = {}) {
      const p = parsePayload(payload);
      // The place admit held for this member is taken now.
      if ((held.users.get(p.reply.userId) ?? 0) > 0) hold(p.reply.userId, p.reply.guildId, -1);
      admitGuild(p.reply.guildId);
      let save!: () => void;
      let fail!: (e: unknown) => void;
      const persisted = new Promise<void>((resolve, reject) => { save = resolve; fail = reject; });
      persisted.catch(() => undefined);
      const job = schedule(p, persisted, { maxPerUser: admitOptions.maxPerUser }); // throws LIMIT synchronously: nothing saved
      try {
        await store.createJob({ id: p.id, kind: p.kind, userId: p.reply.userId, guildId: p.reply.guildId, payload: p });
        save();
      } catch (e) {
        fail(e);
        throw e;
      }
      return { id: job.id, position: job.position };
    },

    async resume() {
      let resumed = 0;
      let interrupted = 0;
      for (const row of await store.listJobs(['queued', 'running'])) {
        let p: JobPayload;
        try {
          p = parsePayload(row.payload);
        } catch {
          await store.updateJob(row.id, { status: 'failed', error: 'no payload to resume' });
          continue;
        }
        if (opts.owns && !opts.owns(p.reply.guildId)) continue; // another shard's process resumes it
        if (Date.now() - row.createdAt.getTime() > RESUME_WITHIN_MS) {
          interrupted += 1;
          await store.updateJob(row.id, { status: 'failed', error: 'interrupted by a restart' });
          await rt.delivery.error(p.reply, INTERRUPTED_MESSAGE).catch((e) => log.warn({ err: (e as Error).message, jobId: row.id }, 'could not tell the member'));
          continue;
        }
        try {
          schedule(p, Promise.resolve(), { resumed: true });
          resumed += 1;
        } catch (e) {
          interrupted += 1;
          await store.updateJob(row.id, { status: 'failed', error: 'queue full at restart' });
          await rt.delivery.error(p.reply, INTERRUPTED_MESSAGE).catch(() => undefined);
          log.warn({ err: (e as Error).message, jobId: row.id }, 'could not resume a job');
        }
      }
      if (resumed || interrupted) log.info({ resumed, interrupted }, 'jobs from before the restart');
      return { resumed, interrupted };
    },

    async counts() {
      const s = queue.stats();
      return { waiting: s.waiting, active: s.running, completed: s.completed, failed: s.failed };
    },

    async close() {
      closing = true;
      await queue.close();
    },
  };
}
