/** A member's data: /profile delete (with a confirmation only they can give) and /track delete. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, ephemeralAnswer, trackPosted, trackIdOf, type Harness } from './harness.ts';

let h: Harness;
before(async () => { h = await startHarness(); });
after(async () => { await h?.stop(); });

const OGG = new Uint8Array([0x4f, 0x67, 0x67, 0x53, 1, 2, 3]);

test('/track delete removes the stored MIDI and audio, and the message loses its buttons', async () => {
  const m = await trackPosted(h.fake, h.fake.slash(h.users.carol, 'compose', { genre: 'pop', bars: 1 }));
  const id = trackIdOf(m);
  await h.store.setTrackAudio(id, OGG);
  assert.match(await ephemeralAnswer(h.fake, h.fake.slash(h.users.carol, 'track delete', { id })), /Deleted/);
  assert.equal(await h.store.getTrack(id), null);
  assert.equal(await h.store.getTrackAudio(id), null);
  await h.fake.waitFor(() => h.fake.messages.get(m.id)?.components.length === 0, 5000, 'message retired');
});

test('/profile delete asks first, only the member can confirm, and then everything goes', async () => {
  const a1 = await trackPosted(h.fake, h.fake.slash(h.users.alice, 'compose', { genre: 'jazz', bars: 1, seed: 1 }));
  const a2 = await trackPosted(h.fake, h.fake.slash(h.users.alice, 'compose', { genre: 'jazz', bars: 1, seed: 2 }));
  const b1 = await trackPosted(h.fake, h.fake.slash(h.users.bob, 'compose', { genre: 'jazz', bars: 1, seed: 3 }));
  const ids = [trackIdOf(a1), trackIdOf(a2), trackIdOf(b1)];
  await h.store.setTrackAudio(ids[0], OGG);
  const vote = async (user: string, msg: typeof a1) => {
    const it = h.fake.click(h.users[user], msg.id, `mt:up:${trackIdOf(msg)}`);
    await h.fake.waitFor(() => it.responses.length > 0, 5000, 'vote');
  };
  await vote('bob', a1);
  await vote('alice', b1);
  await h.store.createModel({ ownerId: h.users.alice.id, name: 'mine', baseGenre: 'jazz', kind: 'k', weights: new Uint8Array(4), card: {}, guildId: h.fake.guildId });
  const variation = trackIdOf(await trackPosted(h.fake, h.fake.click(h.users.bob, a1.id, `mt:var:${trackIdOf(a1)}`)));

  const ask = async () => {
    const it = h.fake.slash(h.users.alice, 'profile delete', {});
    const text = await ephemeralAnswer(h.fake, it);
    return { it, text, msg: h.fake.original(it)! };
  };
  const first = await ask();
  assert.match(first.text, /\*\*2 tracks\*\*.*\*\*1 vote\*\*.*\*\*1 personal model\*\*/s);
  const [yes, no] = first.msg.components[0].components.map((b: any) => b.custom_id);
  // Bob cannot confirm for Alice.
  assert.match(await ephemeralAnswer(h.fake, h.fake.click(h.users.bob, first.msg.id, yes)), /Only the member who asked/);
  assert.ok(await h.store.getTrack(trackIdOf(a1)));
  // Cancel deletes nothing.
  h.fake.click(h.users.alice, first.msg.id, no);
  await h.fake.waitFor(() => /Nothing was deleted/.test(h.fake.messages.get(first.msg.id)!.content), 5000, 'cancelled');
  assert.deepEqual(await h.store.userDataSummary(h.users.alice.id), { tracks: 2, votesCast: 1, models: 1 });

  const second = await ask();
  h.fake.click(h.users.alice, second.msg.id, second.msg.components[0].components[0].custom_id);
  await h.fake.waitFor(() => /Deleted 2 tracks, 1 vote you cast, 1 model/.test(h.fake.messages.get(second.msg.id)!.content), 5000, 'deleted');
  for (const m of [a1, a2]) {
    assert.equal(await h.store.getTrack(ids[m === a1 ? 0 : 1]), null);
    await h.fake.waitFor(() => h.fake.messages.get(m.id)?.components.length === 0, 5000, 'message retired');
  }
  assert.equal(await h.store.getTrackAudio(ids[0]), null);
  assert.deepEqual(await h.store.trackScore(ids[2]), { up: 0, down: 0, score: 0 }, "Alice's vote is gone");
  assert.deepEqual(await h.store.listModels(h.users.alice.id), []);
  assert.deepEqual(await h.store.userProfile(h.users.alice.id), { tracks: 0, votesReceived: { up: 0, down: 0 }, models: 0, recentTracks: [] });
  // Bob's variation of Alice's track stays, without the link.
  assert.equal((await h.store.getTrack(variation))?.parentTrackId, null);
  // The old button is spent.
  const again = h.fake.click(h.users.alice, second.msg.id, second.msg.components.length ? second.msg.components[0].components[0].custom_id : yes);
  await h.fake.waitFor(() => again.responses.length > 0, 5000, 'answered');
});
