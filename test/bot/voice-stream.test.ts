/**
 * /play of a track whose audio must be rendered again from its MIDI (no cached PCM, no stored
 * Ogg): playback starts with the first rendered chunk, while the rest is still being rendered,
 * and the whole render is cached for the next /play.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, setVoice, trackPosted, trackIdOf, replyText, type Harness } from './harness.ts';
import { createTestStudio, sinePcm } from './test-studio.ts';
import { decodedFrames, joinedPcm } from '../fake-discord/voice.ts';
import type { FakeUser } from '../fake-discord/server.ts';

/** The render's tone: not any composed track's, so what is heard can only come from the render. */
const RENDER_HZ = 700;

let h: Harness;
let release: () => void = () => {};
const renders: { midi: Uint8Array; finished: boolean }[] = [];
before(async () => {
  const studio = {
    ...createTestStudio(),
    /** 1.5 s, then the rest only when the test releases it. */
    async *renderPcmStream(midi: Uint8Array) {
      const r = { midi, finished: false };
      renders.push(r);
      yield sinePcm(RENDER_HZ, 1.5);
      await new Promise<void>((resolve) => { release = resolve; });
      yield sinePcm(RENDER_HZ, 1.5);
      r.finished = true;
    },
  };
  h = await startHarness({ studio });
});
after(async () => { release(); await h?.stop(); });

const voice = (user: FakeUser, inChannel: boolean) => setVoice(h, user, inChannel);

/** Zero-crossing frequency of the left channel over its loud samples. */
function hz(pcm: Int16Array): number {
  const left: number[] = [];
  for (let i = 0; i < pcm.length; i += 2) if (Math.abs(pcm[i]) > 0 || left.length) left.push(pcm[i]);
  const part = left.slice(960, -960);
  let crossings = 0;
  for (let i = 1; i < part.length; i++) if ((part[i - 1] < 0) !== (part[i] < 0)) crossings++;
  return crossings / 2 / (part.length / 48000);
}

const botLeft = () => h.fake.gatewayOps.some((o) => o.op === 4 && o.d.channel_id === null);

test('/play of a track rendered from MIDI starts before the render is done, and the render is cached', { timeout: 30000 }, async () => {
  const id = trackIdOf(await trackPosted(h.fake, h.fake.slash(h.users.alice, 'compose', { genre: 'jazz', bars: 2, seed: 5 })));
  h.bot.ctx.audio.delete(id); // an old track: no PCM in memory, and the test studio's Ogg is not real Opus
  assert.equal(await h.store.getTrackAudio(id).catch(() => null), null);
  await voice(h.users.alice, true);
  const sessionsBefore = h.fake.voice.sessions.length;
  await replyText(h.fake, h.fake.slash(h.users.alice, 'play', { track: id }), (t) => t.includes('Playing'), 20000);

  // A second of the render heard while its second half is not rendered yet.
  const session = await h.fake.waitFor(() => {
    const s = h.fake.voice.sessions[sessionsBefore];
    return s && decodedFrames(s) > 48000 ? s : undefined;
  }, 15000, 'a second of audio');
  assert.equal(renders.length, 1);
  assert.equal(renders[0].finished, false, 'still rendering');
  const heard = hz(joinedPcm(session));
  assert.ok(Math.abs(heard - RENDER_HZ) < RENDER_HZ * 0.05, `heard ${heard.toFixed(0)} Hz, the render is ${RENDER_HZ} Hz`);

  // The rest is rendered and played to the end; then the bot leaves.
  release();
  await h.fake.waitFor(botLeft, 15000, 'the bot to leave after the track');
  assert.ok(renders[0].finished);
  assert.ok(decodedFrames(session) >= 48000 * 2.9, `${(decodedFrames(session) / 48000).toFixed(2)} s played of 3 s`);

  // Played again: from the cache, not rendered again.
  assert.equal(h.bot.ctx.audio.get(id)?.pcm?.length, 48000 * 3 * 2);
  h.fake.gatewayOps.length = 0;
  await replyText(h.fake, h.fake.slash(h.users.alice, 'play', { track: id }), (t) => t.includes('Playing'), 20000);
  await h.fake.waitFor(botLeft, 15000, 'the bot to leave after the second play');
  assert.equal(renders.length, 1);
  await voice(h.users.alice, false);
});
