import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { FakeDiscord } from '../fake-discord/server.ts';
import { openStore } from '../../src/storage/index.ts';
import { createMemoryQueue } from '../../src/queue/index.ts';
import { startBot, jobRuntime } from '../../src/bot/bot.ts';
import { jobRun, runJob, parsePayload } from '../../src/jobs/index.ts';
import { createTestStudio } from './test-studio.ts';
import { replyText, trackPosted, trackIdOf, until } from './harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'mixtape-restart-'));
const fake = new FakeDiscord();
after(async () => {
  await fake.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('embedded mode: a restart keeps the queued request and answers it; a job run twice answers once', async () => {
  await fake.start();
  const alice = fake.addUser('alice');
  const bob = fake.addUser('bob');
  const store = await openStore({ databaseUrl: `file:${join(dir, 'bot.db')}` });
  const log = pino({ level: 'silent' });
  const config = { discordToken: 'fake.bot.token-for-tests', discordApiUrl: fake.apiUrl, devGuildId: fake.guildId };
  const studio = createTestStudio({ composeMs: 800 });
  const first = await startBot(config, { store, queue: createMemoryQueue({ concurrency: 1 }), studio, log, limits: { progressEditMs: 50 } });
  const a = fake.slash(alice, 'compose', { genre: 'jazz', bars: 2, seed: 1 });
  const b = fake.slash(bob, 'compose', { genre: 'pop', bars: 2, seed: 2 });
  await replyText(fake, b, (t) => /position \*\*1\*\*/.test(t), 5000);
  // Stop while bob's piece waits: alice's finishes, bob's stays saved and says so.
  await first.stop();
  await first.ctx.jobs.close();
  await trackPosted(fake, a);
  await replyText(fake, b, (t) => t.includes('restarting'), 5000);
  const saved = await store.listJobs(['queued', 'running']);
  assert.equal(saved.length, 1);
  assert.equal(saved[0].userId, bob.id);

  const second = await startBot(config, { store, queue: createMemoryQueue({ concurrency: 1 }), studio, log, limits: { progressEditMs: 50 } });
  try {
    const msg = await trackPosted(fake, b, 10000);
    const track = await until(async () => { const t = await store.getTrack(trackIdOf(msg)); return t?.messageId ? t : null; }, 5000, 'stored');
    assert.equal(track.authorId, bob.id);
    assert.equal((await store.getJob(saved[0].id))?.status, 'done');

    // Run alice's finished job again (a worker that lost its lock): still one track, one message.
    const done = await store.getJob(trackIdOf(await trackPosted(fake, a)));
    assert.ok(done?.payload, 'the job was saved as data');
    const p = parsePayload(done.payload);
    const messages = fake.messages.size;
    const calls = studio.composeCalls.length;
    const rt = jobRuntime(config, { store, queue: createMemoryQueue(), studio, log, limits: { progressEditMs: 50 } });
    assert.equal(await runJob(p, rt, jobRun(p.id, p, rt)), 'already-answered');
    assert.equal(fake.messages.size, messages);
    assert.equal(studio.composeCalls.length, calls, 'nothing composed again');
    assert.equal((await store.userProfile(alice.id)).tracks, 1);
  } finally {
    await second.stop();
    await second.ctx.jobs.close();
    await store.close();
  }
});
