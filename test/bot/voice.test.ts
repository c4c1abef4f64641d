import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, setVoice, trackPosted, trackIdOf, ephemeralAnswer, replyText, type Harness } from './harness.ts';
import { toneHz } from './test-studio.ts';
import { decodedFrames, joinedPcm } from '../fake-discord/voice.ts';
import type { FakeUser } from '../fake-discord/server.ts';

let h: Harness;
before(async () => { h = await startHarness(); });
after(async () => { await h?.stop(); });

/** Puts a user in (or out of) the voice channel, waits until the bot has seen it, and a moment more. */
async function voice(user: FakeUser, inChannel: boolean) {
  await setVoice(h, user, inChannel);
  await new Promise((r) => setTimeout(r, 20));
}

/** Dominant frequency of the left channel by zero crossings, over the non-silent part. */
function frequency(pcm: Int16Array): { hz: number; rms: number } {
  const left: number[] = [];
  for (let i = 0; i < pcm.length; i += 2) left.push(pcm[i]);
  const loud = left.filter((v) => Math.abs(v) > 500);
  if (!loud.length) return { hz: 0, rms: 0 };
  const start = left.findIndex((v) => Math.abs(v) > 500);
  let end = left.length - 1;
  while (end > start && Math.abs(left[end]) <= 500) end--;
  const part = left.slice(start + 960, end - 960); // skip the codec's ramp in/out
  let crossings = 0;
  for (let i = 1; i < part.length; i++) if ((part[i - 1] < 0) !== (part[i] < 0)) crossings++;
  const rms = Math.sqrt(part.reduce((s, v) => s + v * v, 0) / part.length);
  return { hz: crossings / 2 / (part.length / 48000), rms };
}

const botLeft = () => h.fake.gatewayOps.some((o) => o.op === 4 && o.d.channel_id === null);

test('a voice command from someone not in a voice channel gets an ephemeral answer', async () => {
  const it = h.fake.slash(h.users.carol, 'play', {});
  assert.match(await ephemeralAnswer(h.fake, it), /Join a voice channel/);
  const skip = h.fake.slash(h.users.carol, 'skip', {});
  assert.match(await ephemeralAnswer(h.fake, skip), /Nothing is playing/);
});

test('/play joins voice; the fake voice server receives encrypted Opus that decodes to the track', async () => {
  const msg = await trackPosted(h.fake, h.fake.slash(h.users.alice, 'compose', { genre: 'jazz', bars: 3, seed: 3 }));
  const id = trackIdOf(msg);
  await voice(h.users.alice, true);
  const it = h.fake.slash(h.users.alice, 'play', { track: id });
  await replyText(h.fake, it, (t) => t.includes('Playing'), 20000);
  const join = h.fake.gatewayOps.find((o) => o.op === 4 && o.d.channel_id === h.fake.voiceChannelId);
  assert.ok(join, 'the bot asked the gateway to join the channel');
  const session = await h.fake.waitFor(() => h.fake.voice.sessions.find((s) => decodedFrames(s) > 48000 * 1.2), 15000, '1.2 s of audio');
  assert.equal(session.mode, 'aead_aes256_gcm_rtpsize');
  assert.ok(session.maxDaveProtocolVersion >= 1, 'the bot offers DAVE');
  assert.equal(session.badPackets, 0);
  assert.ok(session.speaking.includes(true));
  const { hz, rms } = frequency(joinedPcm(session));
  const want = toneHz(3);
  assert.ok(rms > 2000, `audible (rms ${rms.toFixed(0)})`);
  assert.ok(Math.abs(hz - want) < want * 0.05, `heard ${hz.toFixed(1)} Hz, the track is ${want} Hz`);
  // The queue ends: the bot leaves the channel.
  await h.fake.waitFor(botLeft, 10000, 'the bot to leave');
  await voice(h.users.alice, false);
});

test('/queue, /nowplaying, vote-skip with two listeners, and leaving an empty channel', async () => {
  h.fake.gatewayOps.length = 0;
  const a = trackIdOf(await trackPosted(h.fake, h.fake.slash(h.users.alice, 'compose', { genre: 'pop', bars: 12, seed: 20 })));
  const b = trackIdOf(await trackPosted(h.fake, h.fake.slash(h.users.alice, 'compose', { genre: 'pop', bars: 12, seed: 21 })));
  await voice(h.users.alice, true);
  await voice(h.users.bob, true);
  await replyText(h.fake, h.fake.slash(h.users.alice, 'play', { track: a }), (t) => t.includes('Playing'), 20000);
  await replyText(h.fake, h.fake.slash(h.users.bob, 'play', { track: b }), (t) => t.includes('Queued'), 10000);
  const q = h.fake.slash(h.users.bob, 'queue', {});
  const qText = await replyText(h.fake, q, (t) => t.includes('Now:'));
  assert.match(qText, /Pop study 20/);
  assert.match(qText, /1\. \*\*Pop study 21/);
  const np = await replyText(h.fake, h.fake.slash(h.users.bob, 'nowplaying', {}), (t) => t.includes('Now playing'));
  assert.match(np, /Pop study 20/);
  // Carol is not listening: she cannot vote.
  assert.match(await ephemeralAnswer(h.fake, h.fake.slash(h.users.carol, 'skip', {})), /Join <#/);
  const s1 = await replyText(h.fake, h.fake.slash(h.users.alice, 'skip', {}), (t) => t.includes('Skip vote'));
  assert.match(s1, /1\/2/);
  const s2 = await replyText(h.fake, h.fake.slash(h.users.bob, 'skip', {}), (t) => t.includes('Skipped'));
  assert.match(s2, /Pop study 20/);
  await replyText(h.fake, h.fake.slash(h.users.bob, 'nowplaying', {}), (t) => t.includes('Pop study 21'));
  // Everyone leaves: so does the bot.
  await voice(h.users.alice, false);
  assert.ok(!botLeft());
  await voice(h.users.bob, false);
  await h.fake.waitFor(botLeft, 5000, 'the bot to leave the empty channel');
});

test('/mixtape play queues the top tracks; /stop leaves', async () => {
  h.fake.gatewayOps.length = 0;
  const m = await trackPosted(h.fake, h.fake.slash(h.users.bob, 'compose', { genre: 'celtic', bars: 12, seed: 30 }));
  const click = h.fake.click(h.users.carol, m.id, `mt:up:${trackIdOf(m)}`);
  await h.fake.waitFor(() => click.responses.length, 5000, 'vote');
  await voice(h.users.carol, true);
  const it = h.fake.slash(h.users.carol, 'mixtape play', { period: 'all', genre: 'celtic' });
  await replyText(h.fake, it, (t) => t.includes('Celtic study 30'), 20000);
  const stop = await replyText(h.fake, h.fake.slash(h.users.carol, 'stop', {}), (t) => t.includes('Stopped'));
  assert.ok(stop);
  await h.fake.waitFor(botLeft, 5000, 'the bot to leave');
  await voice(h.users.carol, false);
});
