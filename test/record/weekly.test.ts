/**
 * The weekly mixtape in the fake Discord: posted once per server per week, whether checked by
 * the local timer or fired by a BullMQ job scheduler, across restarts; /mixtape record on demand.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { Queue } from 'bullmq';
import { startHarness, trackPosted, trackIdOf, replyText, ephemeralAnswer, type Harness } from '../bot/harness.ts';
import { createTestStudio, sinePcm } from '../bot/test-studio.ts';
import { readMidi } from '../../src/engine/midi.ts';
import { recordMixtape } from '../../src/studio/record.ts';
import { WeeklyScheduler } from '../../src/record/scheduler.ts';
import { CROSSFADE_SECONDS } from '../../src/record/weekly.ts';
import type { Studio } from '../../src/bot/types.ts';
import { decodeWithFfmpeg } from '../render/helpers.ts';

let h: Harness;
const log = pino({ level: 'silent' });
/** The test studio, recording with the real code; each piece's audio is a tone as long as its MIDI (120 bpm). */
const recordingStudio = (): Studio => ({
  ...createTestStudio(),
  recordMixtape: (pieces, options) => recordMixtape(pieces, options ?? {}, async (midi) => sinePcm(440, readMidi(midi).lengthBeats / 2)),
});
before(async () => { h = await startHarness({ studio: recordingStudio() }); });
after(async () => { await h?.stop(); });

const postsIn = (x: Harness) => [...x.fake.messages.values()].filter((m) => m.content.startsWith("📼 This week's mixtape"));
const posts = () => postsIn(h);
const FRIDAY_1805 = new Date('2026-12-04T18:05:00Z'); // 2026-W49, after "fri 18:00"

async function votedTracks(h: Harness): Promise<{ ids: string[]; seconds: number[] }> {
  const ids: string[] = [];
  const seconds: number[] = [];
  for (const [bars, seed] of [[4, 61], [6, 62], [3, 63]]) {
    const m = await trackPosted(h.fake, h.fake.slash(h.users.alice, 'compose', { genre: 'celtic', bars, seed }));
    const id = trackIdOf(m);
    ids.push(id);
    seconds.push(readMidi((await h.store.getTrack(id))!.midi).lengthBeats / 2);
    const up = h.fake.click(h.users.bob, m.id, `mt:up:${id}`);
    await h.fake.waitFor(() => up.responses.length, 5000, 'a vote');
  }
  return { ids, seconds };
}

test('weekly post: once per server per week across restarts (local timer), its length the tracks minus the cross-fades', async () => {
  const { seconds } = await votedTracks(h);
  // A server manager sets the time and the channel with /settings; a member may not.
  assert.match(await ephemeralAnswer(h.fake, h.fake.slash(h.users.alice, 'settings weekly-post', { value: 'fri 18:00' })), /Only members with Manage Server/);
  assert.match(await ephemeralAnswer(h.fake, h.fake.slash(h.users.admin, 'settings weekly-post', { value: 'someday' })), /like "fri 18:00"/);
  assert.match(await ephemeralAnswer(h.fake, h.fake.slash(h.users.admin, 'settings weekly-post', { value: 'Fri 18:00' })), /weekly-post\*\* is now fri 18:00/);
  assert.match(await ephemeralAnswer(h.fake, h.fake.slash(h.users.admin, 'settings weekly-channel', { value: h.fake.textChannelId })), /weekly-channel\*\* is now/);
  const deps = { store: h.store, studio: h.studio, log, client: h.bot.client };
  let now = new Date('2026-12-04T17:00:00Z');
  const a = new WeeklyScheduler({ deps, now: () => now, tickMs: 3_600_000 });
  await a.start();
  assert.equal(a.outcomes.at(-1)?.outcome, 'not-due');
  now = FRIDAY_1805;
  await a.tick();
  assert.equal(a.outcomes.at(-1)?.outcome, 'posted');
  await a.tick();
  assert.equal(a.outcomes.at(-1)?.outcome, 'already-posted');
  await a.stop();
  // A restart: a new scheduler checks at start and finds the week done.
  const b = new WeeklyScheduler({ deps, now: () => new Date('2026-12-06T23:00:00Z'), tickMs: 3_600_000 });
  await b.start();
  assert.equal(b.outcomes.at(-1)?.outcome, 'already-posted');
  await b.stop();
  assert.equal(posts().length, 1);
  const post = posts()[0];
  assert.equal(post.channel_id, h.fake.textChannelId);
  assert.deepEqual(post.attachments.map((f) => f.filename.split('.').pop()).sort(), ['mp3', 'ogg']);
  assert.match(post.embeds[0].description, /`0:00` \*\*1\.\*\*/);
  assert.equal(post.embeds[0].description.split('\n').length, 3);
  const ogg = post.attachments.find((f) => f.filename.endsWith('.ogg'))!;
  const bytes = h.fake.served.get(new URL(ogg.url).pathname)!.bytes;
  const heard = decodeWithFfmpeg(bytes).length / 48000;
  const expected = seconds.reduce((x, y) => x + y, 0) - 2 * CROSSFADE_SECONDS;
  assert.ok(Math.abs(heard - expected) < 0.06, `recording ${heard.toFixed(3)} s, tracks minus cross-fades ${expected.toFixed(3)} s`);
  assert.equal((await h.store.getWeeklyPost(h.fake.guildId, '2026-W49'))?.messageId, post.id);
});

test('weekly post through a BullMQ job scheduler (Redis): fired many times, posted once; one scheduler per guild after a restart', async () => {
  const h = await startHarness({ studio: recordingStudio() }); // a server of its own: this week is not posted yet
  after(() => h.stop());
  await votedTracks(h);
  await h.store.setSetting(h.fake.guildId, 'weeklyMixtape', 'fri 18:00', h.users.admin.id);
  await h.store.setSetting(h.fake.guildId, 'mixtapeChannel', h.fake.textChannelId, h.users.admin.id);
  const posts = () => postsIn(h);
  const prefix = `mixtape-test-${process.pid}-${Date.now().toString(36)}`;
  const deps = { store: h.store, studio: h.studio, log, client: h.bot.client };
  const now = () => FRIDAY_1805;
  const options = { deps, redisUrl: 'redis://127.0.0.1:6379', prefix, now, tickMs: 3_600_000, repeat: () => ({ every: 250 }) };
  const before = posts().length;
  const c = new WeeklyScheduler(options);
  await c.start();
  try {
    await h.fake.waitFor(() => c.outcomes.filter((o) => o.via === 'job').length >= 3, 15000, 'three scheduled runs');
    assert.deepEqual(await c.schedulers(), [`weekly:${h.fake.guildId}`]);
  } finally {
    await c.stop();
  }
  const d = new WeeklyScheduler(options);
  await d.start();
  try {
    await h.fake.waitFor(() => d.outcomes.filter((o) => o.via === 'job').length >= 2, 15000, 'runs after the restart');
    assert.deepEqual(await d.schedulers(), [`weekly:${h.fake.guildId}`]);
  } finally {
    await d.stop();
    const q = new Queue('mixtape-weekly', { connection: { host: '127.0.0.1', port: 6379 }, prefix });
    await q.obliterate({ force: true }).catch(() => undefined);
    await q.close();
  }
  const outcomes = [...c.outcomes, ...d.outcomes].map((o) => o.outcome);
  assert.equal(outcomes.filter((o) => o === 'posted').length, 1, outcomes.join(','));
  assert.ok(outcomes.every((o) => o === 'posted' || o === 'already-posted'), outcomes.join(','));
  assert.equal(posts().length, before + 1);
});

test('/mixtape record: the top tracks as one recording with a tracklist; nothing voted: a clear answer', async () => {
  const text = await replyText(h.fake, h.fake.slash(h.users.carol, 'mixtape record', { period: 'all' }), (t) => t.includes('Mixtape of all time'), 20000);
  assert.equal(text.split('\n').filter((l) => l.startsWith('`')).length, 3, 'a tracklist of three');
  const reply = [...h.fake.messages.values()].find((m) => m.content.startsWith('📼 Recorded for'))!;
  assert.deepEqual(reply.attachments.map((f) => f.filename).sort(), ['mixtape-of-all-time.mp3', 'mixtape-of-all-time.ogg']);
  assert.match(await ephemeralAnswer(h.fake, h.fake.slash(h.users.carol, 'mixtape record', { genre: 'jazz' })), /No voted tracks/);
});
