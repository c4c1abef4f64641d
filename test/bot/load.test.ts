import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { startHarness, trackPosted, ephemeralAnswer, replyText, type Harness } from './harness.ts';
import { createTestStudio } from './test-studio.ts';
import { startBot } from '../../src/bot/bot.ts';
import { createMemoryQueue } from '../../src/queue/index.ts';

let h: Harness;
const busyUsers = Array.from({ length: 10 }, (_, n) => `busy${n}`);
before(async () => {
  h = await startHarness({ studio: createTestStudio({ composeMs: 2500 }), queue: { concurrency: 10, maxQueue: 12, maxPerUser: 2 }, users: busyUsers });
});
after(async () => { await h?.stop(); });

test('the first answer arrives within 3 s while 10 compositions run, and a full queue says so', async () => {
  const running = busyUsers.map((u) => h.fake.slash(h.users[u], 'compose', { genre: 'dance', bars: 2 }));
  await h.fake.waitFor(() => h.queue.stats().running === 10, 5000, '10 running jobs');
  const probe = h.fake.slash(h.users.alice, 'compose', { genre: 'jazz', bars: 2 });
  const help = h.fake.slash(h.users.bob, 'help', {});
  await h.fake.waitFor(() => probe.responses.length && help.responses.length, 5000, 'first answers');
  assert.equal(probe.responses[0].type, 5);
  assert.ok(h.fake.firstResponseMs(probe)! < 3000, `defer took ${h.fake.firstResponseMs(probe)} ms`);
  assert.ok(h.fake.firstResponseMs(help)! < 3000);
  // The probe waits its turn and says where it stands.
  await replyText(h.fake, probe, (t) => /position \*\*1\*\*/.test(t), 5000);
  h.fake.slash(h.users.carol, 'compose', { genre: 'jazz', bars: 2 });
  const full = h.fake.slash(h.users.admin, 'compose', { genre: 'jazz', bars: 2 });
  assert.match(await ephemeralAnswer(h.fake, full), /The queue is full \(12 jobs\)/);
  for (const it of running) await trackPosted(h.fake, it, 15000);
  await trackPosted(h.fake, probe, 15000);
});

test('a restart does not register unchanged commands again', async () => {
  assert.equal(h.fake.commandPuts.length, 1);
  const second = await startBot(
    { discordToken: 'fake.bot.token-for-tests', discordApiUrl: h.fake.apiUrl, devGuildId: h.fake.guildId },
    { store: h.store, queue: createMemoryQueue(), studio: h.studio, log: pino({ level: 'silent' }) },
  );
  try {
    assert.equal(second.registration, 'unchanged');
    assert.equal(h.fake.commandPuts.length, 1);
  } finally {
    await second.stop();
  }
});
