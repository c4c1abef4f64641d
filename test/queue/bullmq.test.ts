import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { Redis } from 'ioredis';
import { createBullJobs } from '../../src/queue/bullmq.ts';
import { startBullWorker } from '../../src/worker/bullmq-worker.ts';
import { openStore } from '../../src/storage/index.ts';
import { DEFAULT_LIMITS } from '../../src/bot/types.ts';
import { jobRun, runJob, type ComposePayload, type JobRuntime } from '../../src/jobs/index.ts';
import type { Delivery } from '../../src/delivery/rest.ts';
import { createTestStudio } from '../bot/test-studio.ts';
import { until } from '../bot/harness.ts';

const REDIS = 'redis://127.0.0.1:6379';
const queueName = `mt_test_${process.pid}_${Date.now().toString(36)}`;
const dir = mkdtempSync(join(tmpdir(), 'mixtape-bullmq-'));
after(async () => {
  const redis = new Redis(REDIS);
  const keys = await redis.keys(`bull:${queueName}:*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
  rmSync(dir, { recursive: true, force: true });
});

/** A delivery that records what it was asked to send. */
function recorder() {
  const answers: { token: string; files: number }[] = [];
  const progress: string[] = [];
  const byToken = new Map<string, string[]>();
  const errors: string[] = [];
  const delivery: Delivery = {
    async answer(t, body) { answers.push({ token: t.token, files: body.files?.length ?? 0 }); return { channelId: t.channelId, messageId: `m-${t.token}`, via: 'reply' }; },
    async progress(t, text) { progress.push(text); byToken.set(t.token, [...(byToken.get(t.token) ?? []), text]); },
    async error(_t, text) { errors.push(text); },
    async post(channelId) { return { channelId, messageId: 'p', via: 'channel' }; },
  };
  return { delivery, answers, progress, errors, byToken };
}

let n = 0;
const payload = (userId: string, guildId = '200000000000000001'): ComposePayload => ({
  kind: 'compose', id: `job-${process.pid}-${++n}`, verb: 'Composing', queuedAt: Date.now(),
  reply: { applicationId: '100000000000000001', token: `tok-${n}`, guildId, channelId: '300000000000000001', userId, userName: `u${userId}`, deadline: Date.now() + 900_000 },
  request: { genre: 'jazz', bars: 2, seed: n },
});

test('BullMQ: members and guilds are admitted at enqueue; a job enqueued twice runs once; a worker answers each once', { timeout: 60_000 }, async () => {
  const log = pino({ level: 'silent' });
  const r = recorder();
  const jobs = createBullJobs({ redisUrl: REDIS, queueName, log, delivery: r.delivery, limits: { maxPerUser: 2, maxPerGuild: 3, maxQueue: 10 }, positionEveryMs: 100 });
  const store = await openStore({ databaseUrl: `file:${join(dir, 'q.db')}` });
  try {
    const a1 = payload('400000000000000001');
    await jobs.enqueue(a1);
    await jobs.enqueue(a1); // the same job again: still one
    await jobs.enqueue(payload('400000000000000001'));
    await assert.rejects(jobs.admit('400000000000000001', '200000000000000001'), /already have 2 pieces/);
    const release = await jobs.admit('400000000000000002', '200000000000000001'); // held: the guild is now full
    await assert.rejects(jobs.admit('400000000000000003', '200000000000000001'), /this server already has 3 pieces/);
    release();
    const last = payload('400000000000000002');
    await jobs.enqueue(last);
    const counts = await jobs.counts();
    assert.equal(counts.waiting, 3);
    assert.ok(r.progress.some((t) => /position \*\*\d\*\*/.test(t)), 'the position is shown');

    const studio = createTestStudio({ composeMs: 400 });
    const runtime: JobRuntime = { store, studio, log, delivery: r.delivery, limits: { ...DEFAULT_LIMITS, progressEditMs: 50 } };
    const worker = startBullWorker({ redisUrl: REDIS, queueName, concurrency: 1, runtime, lockMs: 2000, stalledMs: 1000 });
    try {
      await until(async () => r.answers.length >= 3, 20_000, 'three answers');
      await until(async () => (await jobs.counts()).completed === 3, 5000, 'three completed');
      assert.deepEqual(new Set(r.answers.map((x) => x.token)).size, 3, 'one answer per job');
      // The last job's reply followed its place in the queue: 3, then 2, then 1.
      const shown = (r.byToken.get(last.reply.token) ?? []).flatMap((t) => /position \*\*(\d+)\*\*/.exec(t)?.[1] ?? []);
      assert.deepEqual(shown, ['3', '2', '1']);
      assert.equal(studio.composeCalls.length, 3);
      // Finished jobs no longer count: the member may queue again.
      const again = await jobs.admit('400000000000000001', '200000000000000001');
      again();

      // Two runs of one job at once (a worker that lost its lock): one track row.
      const p = payload('400000000000000009');
      await Promise.all([runJob(p, runtime, jobRun(p.id, p, runtime)), runJob(p, runtime, jobRun(p.id, p, runtime))]);
      assert.equal((await store.userProfile('400000000000000009')).tracks, 1);
      assert.equal(r.errors.length, 0, r.errors.join());
    } finally {
      await worker.close();
    }
  } finally {
    await jobs.close();
    await store.close();
  }
});
