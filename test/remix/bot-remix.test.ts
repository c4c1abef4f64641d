/** /remix in the fake Discord: a new track linked to its parent, by the author and by others; bad input answered at once. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, trackPosted, trackIdOf, ephemeralAnswer, type Harness } from '../bot/harness.ts';
import { createTestStudio, makeMidi, sinePcm } from '../bot/test-studio.ts';
import type { RemixRequest } from '../../src/studio/remix-effects.ts';
import { applySpectral } from '../../src/render/spectral.ts';
import type { Studio } from '../../src/bot/types.ts';

let h: Harness;
const remixCalls: RemixRequest[] = [];
before(async () => {
  const base = createTestStudio();
  const studio: Studio = {
    ...base,
    // The real spectral code on a short tone; the real renderer is tested in remix.test.ts.
    async remixTrack(req, onProgress) {
      remixCalls.push(req);
      onProgress?.({ fraction: 0.5, stage: 'transforming' });
      const pcm = applySpectral(sinePcm(440, 0.5), 'pitch-shift', { semitones: req.semitones ?? 5 });
      return {
        title: `${req.title} · ${req.effect} remix`, genre: req.genre, modelName: '', bars: 4, tempo: 120, seed: req.seed,
        temperature: req.temperature, meter: '4/4', instrument: req.instrument, durationSeconds: 0.5, midi: makeMidi(4),
        audio: [{ format: 'ogg', bytes: new TextEncoder().encode('OggS-remix') }], png: (await base.composeTrack({ genre: 'jazz', bars: 1 })).png,
        pcm, timings: { generateMs: 1, renderMs: 1, encodeMs: 1, imageMs: 1 },
      };
    },
  };
  h = await startHarness({ studio });
});
after(async () => { await h?.stop(); });

test('/remix makes a new track linked to its parent, for the author and for someone else', async () => {
  const parent = await trackPosted(h.fake, h.fake.slash(h.users.alice, 'compose', { genre: 'jazz', bars: 4, seed: 4 }));
  const parentId = trackIdOf(parent);
  for (const [user, effect, extra] of [[h.users.alice, 'drift', {}], [h.users.bob, 'pitch-shift', { semitones: -3, seed: 99 }]] as const) {
    const m = await trackPosted(h.fake, h.fake.slash(user, 'remix', { track: parentId, effect, ...extra }), 10000);
    const id = trackIdOf(m);
    assert.notEqual(id, parentId);
    assert.match(m.embeds[0].title, new RegExp(`${effect} remix`));
    assert.match(m.embeds[0].footer.text, new RegExp(`from ${parentId}`), 'the message names its parent');
    const stored = await h.store.getTrack(id);
    assert.equal(stored!.parentTrackId, parentId);
    assert.equal(stored!.authorId, user.id);
    assert.equal((stored!.params.remix as { effect: string }).effect, effect);
  }
  assert.equal(remixCalls.length, 2);
  assert.equal(remixCalls[1].semitones, -3);
  assert.equal(remixCalls[1].seed, 99);
  assert.equal(remixCalls[1].title, 'Jazz study 4');
});

test('/remix answers bad input at once: unknown track, zero semitones', async () => {
  assert.match(await ephemeralAnswer(h.fake, h.fake.slash(h.users.carol, 'remix', { track: 'nope', effect: 'blur' })), /No track "nope"/);
  const parent = await trackPosted(h.fake, h.fake.slash(h.users.carol, 'compose', { genre: 'pop', bars: 2, seed: 8 }));
  assert.match(await ephemeralAnswer(h.fake, h.fake.slash(h.users.carol, 'remix', { track: trackIdOf(parent), effect: "pitch-shift", semitones: 0 })), /Semitones must be a whole number from -12 to 12, not 0/);
});
