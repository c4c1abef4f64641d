/**
 * Every button, on every kind of stored track, by its author and by another member: the
 * clicker's rights apply (their models, this server's shared ones), and every track replays.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { PermissionFlagsBits } from 'discord.js';
import { startHarness, ephemeralAnswer, trackPosted, trackIdOf, replyText, type Harness } from './harness.ts';
import { makeMidi, type TestStudio } from './test-studio.ts';
import type { FakeMessage } from '../fake-discord/server.ts';

const MEMBER = PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages | PermissionFlagsBits.UseApplicationCommands;
let h: Harness;
let studio: TestStudio;
before(async () => {
  h = await startHarness({ members: { mod: MEMBER | PermissionFlagsBits.ManageMessages } });
  studio = h.studio as TestStudio;
});
after(async () => { await h?.stop(); });

const modelBytes = (name: string) => new TextEncoder().encode(JSON.stringify({ name }));

async function makeModels() {
  const alice = h.users.alice.id;
  await h.store.upsertUser(alice, 'alice');
  const priv = await h.store.createModel({ ownerId: alice, name: 'secret-style', baseGenre: 'jazz', kind: 'lstm-finetune', weights: modelBytes('secret-style'), card: {}, guildId: h.fake.guildId });
  const shared = await h.store.createModel({ ownerId: alice, name: 'open-style', baseGenre: 'pop', kind: 'lstm-finetune', weights: modelBytes('open-style'), card: {}, guildId: h.fake.guildId, shared: true });
  return { priv, shared };
}

/** Clicks a button and returns either the posted track message or the ephemeral refusal. */
async function click(user: string, msg: FakeMessage, action: 'var' | 'ext'): Promise<{ posted?: FakeMessage; refused?: string }> {
  const before = studio.composeCalls.length;
  const it = h.fake.click(h.users[user], msg.id, `mt:${action}:${trackIdOf(msg)}`);
  const result = await h.fake.waitFor(() => {
    const e = h.fake.ephemeral(it);
    if (e) return { refused: e };
    const m = h.fake.original(it);
    return m && m.attachments.length >= 3 && m.components.length ? { posted: m } : undefined;
  }, 10000, `the ${action} click by ${user}`);
  if (result.refused) assert.equal(studio.composeCalls.length, before, 'a refused click composes nothing');
  return result;
}

test('Variation and Extend work on every track, by the author and by another member, with the clicker\'s rights', async () => {
  const { priv, shared } = await makeModels();
  const file = h.fake.attachment('theme.mid', makeMidi(2), 'audio/midi');
  const cases: { name: string; make: () => Promise<FakeMessage>; privateModel?: boolean; expect: Record<string, unknown> }[] = [
    { name: 'genre only (no optional setting)', make: () => trackPosted(h.fake, h.fake.slash(h.users.alice, 'compose', { genre: 'celtic', bars: 2 })), expect: { instrument: undefined, genre: 'celtic' } },
    {
      name: 'every optional setting',
      make: () => trackPosted(h.fake, h.fake.slash(h.users.alice, 'compose', { genre: 'jazz', bars: 3, temperature: 1.3, instrument: 'flute', tempo: 150, seed: 5, meter: '6/8' })),
      expect: { instrument: 'flute', tempo: 150, temperature: 1.3, genre: 'jazz', meter: '6/8' },
    },
    {
      name: 'a tune type',
      make: () => trackPosted(h.fake, h.fake.slash(h.users.alice, 'compose', { genre: 'celtic', bars: 2, type: 'slip jig' })),
      expect: { genre: 'celtic', tuneType: 'slip jig' },
    },
    { name: 'a continued upload', make: () => trackPosted(h.fake, h.fake.slash(h.users.alice, 'continue', { file: { attachment: file }, bars: 2, genre: 'game' })), expect: { instrument: undefined, genre: 'game' } },
    { name: 'a shared personal model', make: () => trackPosted(h.fake, h.fake.slash(h.users.alice, 'compose', { genre: 'pop', bars: 2, model: 'open-style' })), expect: { model: shared.id } },
    { name: 'a private personal model', make: () => trackPosted(h.fake, h.fake.slash(h.users.alice, 'compose', { genre: 'jazz', bars: 2, model: 'secret-style' })), privateModel: true, expect: { model: priv.id } },
  ];
  for (const c of cases) {
    const msg = await c.make();
    const stored = (await h.store.getTrack(trackIdOf(msg)))!;
    if (c.name.startsWith('genre only') || c.name.startsWith('a continued')) assert.equal(stored.instrument, 'default', 'stored as the studio names it');
    for (const user of ['alice', 'bob']) {
      for (const action of ['var', 'ext'] as const) {
        const r = await click(user, msg, action);
        const what = `${c.name}, ${action} by ${user}`;
        if (c.privateModel && user === 'bob') {
          assert.match(r.refused ?? '', /not shared with this server/, what);
          continue;
        }
        assert.ok(r.posted, `${what}: ${r.refused}`);
        const req = studio.composeCalls.at(-1)!;
        for (const [k, v] of Object.entries(c.expect)) {
          assert.deepEqual(k === 'model' ? req.model?.id : (req as any)[k], v, `${what}: ${k}`);
        }
        assert.equal(Boolean(req.primerMidi), action === 'ext', what);
        const made = (await h.store.getTrack(trackIdOf(r.posted!)))!;
        assert.equal(made.authorId, h.users[user].id, `${what}: the clicker is the new track's author`);
        assert.equal(made.parentTrackId, stored.id);
      }
    }
  }
});

test('a stored track with settings outside today\'s ranges still replays', async () => {
  // E.g. a piece continued from a 300 bpm, 100-bar upload, with an instrument since removed.
  const t = await h.store.createTrack({
    guildId: h.fake.guildId, authorId: h.users.carol.id, title: 'Old piece', genre: 'classical', bars: 100, tempo: 300, seed: 1,
    temperature: 5, instrument: 'theremin', params: { topP: 7 }, midi: makeMidi(2),
  });
  const host = await trackPosted(h.fake, h.fake.slash(h.users.carol, 'compose', { genre: 'pop', bars: 2 }));
  h.fake.messages.get(host.id)!.components[0].components.forEach((b: any) => { b.custom_id = b.custom_id.replace(trackIdOf(host), t.id); });
  const v = await click('bob', h.fake.messages.get(host.id)!, 'var');
  assert.ok(v.posted, v.refused);
  const req = studio.composeCalls.at(-1)!;
  assert.deepEqual([req.bars, req.tempo, req.temperature, req.instrument, req.topP], [64, 240, 2, undefined, undefined]);
  const e = await click('bob', h.fake.messages.get(host.id)!, 'ext');
  assert.ok(e.posted, e.refused);
});

test('no member composes with another member\'s private model, by name, by id or by continuing', async () => {
  const models = await h.store.listModels(h.users.alice.id);
  const priv = models.find((m) => m.name === 'secret-style')!;
  const before = studio.composeCalls.length;
  for (const model of [priv.name, priv.id]) {
    const it = h.fake.slash(h.users.bob, 'compose', { genre: 'jazz', bars: 2, model });
    assert.match(await ephemeralAnswer(h.fake, it), /no model named/);
  }
  const cont = h.fake.slash(h.users.bob, 'continue', { file: { attachment: h.fake.attachment('x.mid', makeMidi(2), 'audio/midi') }, model: priv.id });
  assert.match(await ephemeralAnswer(h.fake, cont), /no model named/);
  assert.equal(studio.composeCalls.length, before);
  // Not even visible to Bob's store lookups outside this server, nor listed for him.
  assert.equal(await h.store.getModel(priv.id, h.users.bob.id), null);
  assert.equal(await h.store.getModel(priv.id, h.users.bob.id, h.fake.guildId), null);
  assert.ok(!(await h.store.listModels(h.users.bob.id, { includeSharedInGuild: h.fake.guildId })).some((m) => m.id === priv.id));
  // A shared model is usable in its own server only.
  const shared = models.find((m) => m.name === 'open-style')!;
  assert.equal((await h.store.getModel(shared.id, h.users.bob.id, h.fake.guildId))?.id, shared.id);
  assert.equal(await h.store.getModel(shared.id, h.users.bob.id, 'another-guild'), null);
  assert.equal(await h.store.getModel(shared.id, h.users.bob.id), null);
});

test('a self-vote is refused and never counts; others\' votes do', async () => {
  const msg = await trackPosted(h.fake, h.fake.slash(h.users.carol, 'compose', { genre: 'dance', bars: 2, seed: 99 }));
  const id = trackIdOf(msg);
  const self = h.fake.click(h.users.carol, msg.id, `mt:up:${id}`);
  assert.match(await ephemeralAnswer(h.fake, self), /own pieces can't get your vote/);
  assert.deepEqual(await h.store.trackScore(id), { up: 0, down: 0, score: 0 });
  const other = h.fake.click(h.users.bob, msg.id, `mt:up:${id}`);
  await h.fake.waitFor(() => other.responses.length > 0, 5000, 'vote');
  assert.deepEqual(await h.store.trackScore(id), { up: 1, down: 0, score: 1 });
  const top = h.fake.slash(h.users.alice, 'mixtape top', { period: 'all', genre: 'dance' });
  assert.match(await replyText(h.fake, top, (t) => t.includes('1.')), /\*\*\+1\*\* \(👍 1 · 👎 0\)/);
  const profile = h.fake.slash(h.users.carol, 'profile view', {});
  assert.match(await replyText(h.fake, profile, (t) => t.includes('Votes received')), /Votes received: 👍 1 · 👎 0/);
});

test('moderation uses the permissions Discord computed for the interaction', async () => {
  const make = async () => trackIdOf(await trackPosted(h.fake, h.fake.slash(h.users.bob, 'compose', { genre: 'pop', bars: 1 })));
  const id = await make();
  // Carol has no Manage Messages: refused. The moderator has it only through the computed
  // permissions (no role grants it), and may delete.
  assert.match(await ephemeralAnswer(h.fake, h.fake.slash(h.users.carol, 'track delete', { id })), /Only the author/);
  assert.match(await ephemeralAnswer(h.fake, h.fake.slash(h.users.mod, 'track delete', { id })), /Deleted/);
  assert.equal(await h.store.getTrack(id), null);
  const id2 = await make();
  assert.match(await ephemeralAnswer(h.fake, h.fake.slash(h.users.admin, 'track delete', { id: id2 })), /Deleted/);
});
