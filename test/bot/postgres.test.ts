/** The main flows again, against PostgreSQL (127.0.0.1:5432, database test, a fresh schema). */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, trackPosted, trackIdOf, replyText, ephemeralAnswer, type Harness } from './harness.ts';
import { makeMidi } from './test-studio.ts';

let h: Harness;
before(async () => { h = await startHarness({ database: 'postgres' }); });
after(async () => { await h?.stop(); });

test('PostgreSQL: compose, vote by buttons, leaderboard', async () => {
  assert.equal(h.store.provider, 'postgresql');
  const m = await trackPosted(h.fake, h.fake.slash(h.users.alice, 'compose', { genre: 'classical', bars: 2, seed: 5 }));
  const id = trackIdOf(m);
  for (const [user, action] of [['bob', 'up'], ['carol', 'up'], ['carol', 'down'], ['bob', 'up']] as const) {
    const it = h.fake.click(h.users[user], m.id, `mt:${action}:${id}`);
    await h.fake.waitFor(() => it.responses.length, 5000, 'vote');
  }
  assert.deepEqual(await h.store.trackScore(id), { up: 1, down: 1, score: 0 });
  const up = h.fake.click(h.users.admin, m.id, `mt:up:${id}`);
  await h.fake.waitFor(() => up.responses.length, 5000, 'vote');
  const text = await replyText(h.fake, h.fake.slash(h.users.bob, 'mixtape top', { period: 'month' }), (t) => t.includes('1.'));
  assert.match(text, /Classical study 5.*\*\*\+1\*\* \(👍 2 · 👎 1\)/);
});

test('PostgreSQL: train a model and compose with it; continue an upload', async () => {
  const file1 = { attachment: h.fake.attachment('a.mid', makeMidi(2), 'audio/midi') };
  await replyText(h.fake, h.fake.slash(h.users.bob, 'train', { name: 'pg-model', file1 }), (t) => t.includes('is ready'));
  const m = await trackPosted(h.fake, h.fake.slash(h.users.bob, 'compose', { genre: 'jazz', bars: 2, model: 'pg-model' }));
  assert.match(m.embeds[0].description, /pg-model/);
  const file = { attachment: h.fake.attachment('b.mid', makeMidi(1), 'audio/midi') };
  await trackPosted(h.fake, h.fake.slash(h.users.carol, 'continue', { file, bars: 2 }));
  h.outage.unavailable = true;
  assert.match(await ephemeralAnswer(h.fake, h.fake.slash(h.users.bob, 'profile view', {})), /database is unavailable/);
  h.outage.unavailable = false;
});
