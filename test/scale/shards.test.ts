import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import pino from 'pino';
import { FakeDiscord, shardOf, type FakeUser } from '../fake-discord/server.ts';
import { decodedFrames } from '../fake-discord/voice.ts';
import { openStore } from '../../src/storage/index.ts';
import { createMemoryQueue } from '../../src/queue/index.ts';
import { startBot, type RunningBot } from '../../src/bot/bot.ts';
import { createTestStudio } from '../bot/test-studio.ts';
import { replyText, trackPosted, trackIdOf } from '../bot/harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'mixtape-shards-'));
const fake = new FakeDiscord();
const bots: RunningBot[] = [];
after(async () => {
  for (const b of bots) { await b.stop(); await b.ctx.jobs.close(); }
  await fake.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('two shards: each guild is served by its shard; commands, votes, the mixtape and voice work in both', { timeout: 90_000 }, async () => {
  await fake.start();
  tls.setDefaultCACertificates([...tls.getCACertificates('default'), fake.voice.tls.cert]);
  const first = fake.defaultGuild;
  const firstShard = shardOf(first.guildId, 2);
  const second = fake.addGuild(1 - firstShard, 2);
  assert.notEqual(shardOf(second.guildId, 2), firstShard);
  const [alice, bob, carol] = ['alice', 'bob', 'carol'].map((n) => fake.addUser(n)) as [FakeUser, FakeUser, FakeUser];
  const store = await openStore({ databaseUrl: `file:${join(dir, 'shared.db')}` });
  const log = pino({ level: 'silent' });
  const studio = createTestStudio();
  for (const id of [0, 1]) {
    bots.push(await startBot(
      { discordToken: 'fake.bot.token-for-tests', discordApiUrl: fake.apiUrl, shards: { ids: [id], count: 2 }, registerCommands: id === 0 },
      { store, queue: createMemoryQueue({ concurrency: 2 }), studio, log, limits: { progressEditMs: 100 } },
    ));
  }
  const owner = (g: string) => bots[shardOf(g, 2)]!;
  assert.deepEqual([...owner(first.guildId).client.guilds.cache.keys()], [first.guildId]);
  assert.deepEqual([...owner(second.guildId).client.guilds.cache.keys()], [second.guildId]);
  assert.equal(fake.connections, 2);

  // A piece in each guild, answered in that guild's channel.
  const m1 = await trackPosted(fake, fake.slash(alice, 'compose', { genre: 'jazz', bars: 3, seed: 3 }, first.textChannelId));
  const m2 = await trackPosted(fake, fake.slash(bob, 'compose', { genre: 'pop', bars: 3, seed: 4 }, second.textChannelId));
  assert.equal(m1.channel_id, first.textChannelId);
  assert.equal(m2.channel_id, second.textChannelId);
  assert.equal((await store.getTrack(trackIdOf(m2)))?.guildId, second.guildId);

  // Votes by buttons on both shards; each guild's leaderboard shows its own piece.
  for (const m of [m1, m2]) {
    const click = fake.click(carol, m.id, `mt:up:${trackIdOf(m)}`);
    await fake.waitFor(() => click.responses.length, 5000, 'vote');
    assert.equal(click.responses[0].type, 7);
  }
  const top2 = await replyText(fake, fake.slash(carol, 'mixtape top', { period: 'all' }, second.textChannelId), (t) => t.includes('1.'));
  assert.ok(top2.includes(m2.embeds[0].title) && !top2.includes(m1.embeds[0].title), top2);
  const top1 = await replyText(fake, fake.slash(carol, 'mixtape top', { period: 'all' }, first.textChannelId), (t) => t.includes('1.'));
  assert.ok(top1.includes(m1.embeds[0].title) && !top1.includes(m2.embeds[0].title), top1);

  // Voice in both guilds: the shard that owns each guild plays it.
  fake.setVoice(alice, first.voiceChannelId);
  fake.setVoice(bob, second.voiceChannelId);
  await fake.waitFor(() => owner(first.guildId).client.guilds.cache.get(first.guildId)?.voiceStates.cache.get(alice.id)?.channelId
    && owner(second.guildId).client.guilds.cache.get(second.guildId)?.voiceStates.cache.get(bob.id)?.channelId, 5000, 'voice states');
  await replyText(fake, fake.slash(alice, 'play', { track: trackIdOf(m1) }, first.textChannelId), (t) => t.includes('Playing'), 20000);
  await replyText(fake, fake.slash(bob, 'play', { track: trackIdOf(m2) }, second.textChannelId), (t) => t.includes('Playing'), 20000);
  await fake.waitFor(() => fake.voice.sessions.filter((s) => decodedFrames(s) > 48000).length >= 2, 20000, 'audio from both shards');
  const joins = fake.gatewayOps.filter((o) => o.op === 4 && o.d.channel_id);
  assert.deepEqual(new Set(joins.map((o) => o.d.guild_id)), new Set([first.guildId, second.guildId]));
  await store.close();
});
