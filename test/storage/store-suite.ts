/**
 * The Store contract, run unchanged against every provider (see sqlite.test.ts, postgres.test.ts).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MixtapeError } from '../../src/engine/errors.ts';
import type { Store, TrackInput } from '../../src/storage/types.ts';

export interface SuiteTarget {
  /** Open a store on a fresh database (or re-open the same one when `fresh` is false). */
  open(fresh: boolean): Promise<Store>;
  /** Drop what `open(true)` created. */
  cleanup(): Promise<void>;
}

let counter = 0;
const uniq = (p: string) => `${p}${Date.now().toString(36)}${(counter++).toString(36)}`;

const trackInput = (over: Partial<TrackInput> = {}): TrackInput => ({
  guildId: 'g1',
  authorId: 'alice',
  title: 'Morning Reel',
  genre: 'celtic',
  bars: 16,
  tempo: 112,
  seed: 3_000_000_000,
  temperature: 0.9,
  instrument: 'acoustic guitar',
  params: { topP: 0.95 },
  midi: new Uint8Array([0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 6]),
  ...over,
});

const isCode = (code: string) => (e: unknown) => e instanceof MixtapeError && e.code === code;

export function storeSuite(name: string, target: SuiteTarget): void {
  describe(`Store on ${name}`, () => {
    let store: Store;
    before(async () => {
      store = await target.open(true);
    });
    after(async () => {
      await store.close();
      await target.cleanup();
    });

    test('migrations: a fresh database answers, and re-opening it applies nothing twice', async () => {
      await store.ping();
      const t = await store.createTrack(trackInput({ title: 'survives reopen' }));
      const again = await target.open(false);
      try {
        assert.equal((await again.getTrack(t.id))?.title, 'survives reopen');
        await again.ping();
      } finally {
        await again.close();
      }
    });

    test('users and guild settings round-trip', async () => {
      assert.deepEqual(await store.upsertUser('u-settings', 'Ann'), { id: 'u-settings', name: 'Ann' });
      assert.deepEqual(await store.upsertUser('u-settings', 'Annie'), { id: 'u-settings', name: 'Annie' });
      const guild = uniq('g');
      assert.deepEqual(await store.getGuildSettings(guild), { mixtapeChannelId: null, maxJobsPerUser: null });
      await store.upsertGuild(guild);
      await store.upsertGuild(guild);
      assert.deepEqual(await store.setGuildSettings(guild, { mixtapeChannelId: '123' }), {
        mixtapeChannelId: '123',
        maxJobsPerUser: null,
      });
      await store.setGuildSettings(guild, { maxJobsPerUser: 3 });
      assert.deepEqual(await store.getGuildSettings(guild), { mixtapeChannelId: '123', maxJobsPerUser: 3 });
      await assert.rejects(store.setGuildSettings(guild, { maxJobsPerUser: 0 }), isCode('BAD_ARGUMENT'));
    });

    test('generic settings: set, reset, and an audit row per change in one transaction', async () => {
      const guild = uniq('g');
      assert.deepEqual(await store.getSettings(guild), {});
      await store.setSetting(guild, 'weeklyPost', 'fri 18:00', 'u1');
      await store.setSetting(guild, 'webPages', true, 'u2');
      await store.setSetting(guild, 'weeklyPost', 'sat 10:00', 'u2');
      assert.deepEqual(await store.getSettings(guild), { weeklyPost: 'sat 10:00', webPages: true });
      await store.setSetting(guild, 'webPages', null, 'u1');
      assert.deepEqual(await store.getSettings(guild), { weeklyPost: 'sat 10:00' });
      const log = await store.settingChanges(guild, 10);
      assert.deepEqual(log.map((c) => [c.key, c.value, c.userId]), [
        ['webPages', null, 'u1'], ['weeklyPost', 'sat 10:00', 'u2'], ['webPages', true, 'u2'], ['weeklyPost', 'fri 18:00', 'u1'],
      ]);
      assert.ok(log.every((c) => c.createdAt instanceof Date && c.guildId === guild));
      await assert.rejects(store.setSetting(guild, 'bad key!', 1, 'u1'), isCode('BAD_ARGUMENT'));
      await assert.rejects(store.settingChanges(guild, 0), isCode('BAD_ARGUMENT'));
      assert.equal((await store.settingChanges(guild, 10)).length, 4, 'a refused change writes nothing');
    });

    test('tracks: create, locate, read back every field, soft delete by author or admin only', async () => {
      const parent = await store.createTrack(trackInput());
      const t = await store.createTrack(trackInput({ parentTrackId: parent.id, title: 'Variation' }));
      assert.equal(t.seed, 3_000_000_000);
      assert.deepEqual(t.params, { topP: 0.95 });
      assert.deepEqual([...t.midi], [0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 6]);
      assert.equal(t.parentTrackId, parent.id);
      await store.setTrackMessage(t.id, 'c1', 'm1');
      const read = await store.getTrack(t.id);
      assert.equal(read?.channelId, 'c1');
      assert.equal(read?.messageId, 'm1');
      assert.equal(read?.instrument, 'acoustic guitar');
      assert.ok(read?.createdAt instanceof Date);
      await assert.rejects(store.setTrackMessage('nope', 'c', 'm'), isCode('NOT_FOUND'));

      assert.equal(await store.deleteTrack(t.id, 'mallory', false), false);
      assert.ok(await store.getTrack(t.id));
      assert.equal(await store.deleteTrack(t.id, 'alice', false), true);
      assert.equal(await store.getTrack(t.id), null);
      assert.equal(await store.deleteTrack(t.id, 'alice', false), false, 'already deleted');
      assert.equal(await store.deleteTrack(parent.id, 'mod', true), true, 'an admin may delete');
    });

    test('deleting a track removes its MIDI, audio and votes', async () => {
      const t = await store.createTrack(trackInput({ authorId: 'del-a' }));
      await store.setTrackAudio(t.id, new Uint8Array([0x4f, 0x67, 0x67, 0x53]));
      await store.vote(t.id, 'fan', 1);
      assert.equal(await store.deleteTrack(t.id, 'del-a', false), true);
      assert.equal(await store.getTrackAudio(t.id), null);
      assert.deepEqual(await store.trackScore(t.id), { up: 0, down: 0, score: 0 });
      await assert.rejects(store.createTrack(trackInput({ id: t.id })), 'the id is not reused');
    });

    test("a member's data: summary, then everything removed in one go; others' variations stay", async () => {
      const me = uniq('leaver');
      const other = uniq('stayer');
      await store.upsertUser(me, 'Leaver');
      const mine = await store.createTrack(trackInput({ authorId: me }));
      const mine2 = await store.createTrack(trackInput({ authorId: me, guildId: uniq('g') }));
      await store.setTrackAudio(mine.id, new Uint8Array([1, 2, 3]));
      const theirs = await store.createTrack(trackInput({ authorId: other }));
      const variation = await store.createTrack(trackInput({ authorId: other, parentTrackId: mine.id }));
      await store.vote(mine.id, other, 1);
      await store.vote(theirs.id, me, -1);
      const m = await store.createModel({ ownerId: me, name: 'mine', baseGenre: 'pop', kind: 'k', weights: new Uint8Array(8), card: {}, shared: true, guildId: 'g1' });
      const used = await store.createTrack(trackInput({ authorId: other, modelId: m.id }));
      await store.createJob({ kind: 'compose', userId: me });
      assert.deepEqual(await store.userDataSummary(me), { tracks: 2, votesCast: 1, models: 1 });

      await store.setTrackMessage(mine.id, 'c1', 'm1');
      const { messages, ...counts } = await store.deleteUserData(me);
      assert.deepEqual(counts, { tracks: 2, audio: 1, votesCast: 1, votesReceived: 1, models: 1, jobs: 1, profile: true });
      assert.deepEqual(messages, [{ trackId: mine.id, guildId: 'g1', channelId: 'c1', messageId: 'm1' }]);
      for (const id of [mine.id, mine2.id]) assert.equal(await store.getTrack(id), null);
      assert.equal(await store.getTrackAudio(mine.id), null);
      assert.deepEqual(await store.trackScore(theirs.id), { up: 0, down: 0, score: 0 }, 'their vote is gone');
      assert.equal(await store.getModel(m.id, me), null);
      assert.equal((await store.getTrack(variation.id))?.parentTrackId, null, 'the variation stays, unlinked');
      assert.equal((await store.getTrack(used.id))?.modelId, null, 'tracks made with the model stay');
      assert.deepEqual(await store.userDataSummary(me), { tracks: 0, votesCast: 0, models: 0 });
      assert.deepEqual((await store.deleteUserData(me)).profile, false, 'twice is harmless');
    });

    test('votes: cast, change, remove, double click, deleted track', async () => {
      const t = await store.createTrack(trackInput());
      assert.deepEqual(await store.vote(t.id, 'u1', 1), { up: 1, down: 0, score: 1 });
      assert.deepEqual(await store.vote(t.id, 'u1', 1), { up: 1, down: 0, score: 1 }, 'same vote twice');
      assert.deepEqual(await store.vote(t.id, 'u2', -1), { up: 1, down: 1, score: 0 });
      assert.deepEqual(await store.vote(t.id, 'u1', -1), { up: 0, down: 2, score: -2 }, 'changed');
      assert.deepEqual(await store.vote(t.id, 'u1', 0), { up: 0, down: 1, score: -1 }, 'removed');
      assert.deepEqual(await store.vote(t.id, 'u1', 0), { up: 0, down: 1, score: -1 }, 'removing twice');
      assert.deepEqual(await store.trackScore(t.id), { up: 0, down: 1, score: -1 });
      await assert.rejects(store.vote(t.id, 'u1', 2 as 1), isCode('BAD_ARGUMENT'));
      await assert.rejects(store.vote('missing', 'u1', 1), isCode('NOT_FOUND'));
      await store.deleteTrack(t.id, 'alice', false);
      await assert.rejects(store.vote(t.id, 'u3', 1), isCode('NOT_FOUND'));
    });

    test('votes: concurrent double clicks leave one vote and no error', async () => {
      const t = await store.createTrack(trackInput());
      const results = await Promise.all(Array.from({ length: 6 }, () => store.vote(t.id, 'clicker', 1)));
      for (const r of results) assert.equal(r.up, 1);
      assert.deepEqual(await store.trackScore(t.id), { up: 1, down: 0, score: 1 });
      const mixed = await Promise.allSettled([store.vote(t.id, 'racer', 1), store.vote(t.id, 'racer', -1)]);
      assert.ok(mixed.every((r) => r.status === 'fulfilled'));
      const final = await store.trackScore(t.id);
      assert.equal(final.up + final.down, 2, 'one vote per user');
    });

    test('leaderboard: score, ties, genre, window, deleted tracks, limit', async () => {
      const guild = uniq('lb');
      const mk = (title: string, genre = 'celtic') => store.createTrack(trackInput({ guildId: guild, title, genre }));
      const a = await mk('A');
      const b = await mk('B');
      const c = await mk('C');
      const d = await mk('D', 'jazz');
      const gone = await mk('Gone');
      await store.createTrack(trackInput({ guildId: uniq('other'), title: 'Elsewhere' }));
      // A: +2 -1 = 1 (2 up); B: +1 = 1 (1 up); C: +1 = 1 (1 up, later than B); D: +3; Gone: +5 then deleted.
      for (const u of ['u1', 'u2']) await store.vote(a.id, u, 1);
      await store.vote(a.id, 'u3', -1);
      await store.vote(b.id, 'u1', 1);
      await store.vote(c.id, 'u1', 1);
      for (const u of ['u1', 'u2', 'u3']) await store.vote(d.id, u, 1);
      for (const u of ['u1', 'u2', 'u3', 'u4', 'u5']) await store.vote(gone.id, u, 1);
      await store.deleteTrack(gone.id, 'alice', false);

      const board = await store.leaderboard({ guildId: guild, limit: 10 });
      assert.deepEqual(
        board.map((e) => [e.rank, e.title, e.score, e.up, e.down]),
        [
          [1, 'D', 3, 3, 0],
          [2, 'A', 1, 2, 1],
          [3, 'B', 1, 1, 0],
          [4, 'C', 1, 1, 0],
        ],
      );
      assert.equal(board[0]?.authorId, 'alice');
      assert.equal(board[0]?.genre, 'jazz');
      assert.ok(board[0]?.createdAt instanceof Date);

      const jazz = await store.leaderboard({ guildId: guild, genre: 'jazz', limit: 10 });
      assert.deepEqual(jazz.map((e) => e.title), ['D']);
      assert.deepEqual((await store.leaderboard({ guildId: guild, limit: 2 })).map((e) => e.title), ['D', 'A']);

      // Only votes cast or changed since the window's start count.
      await new Promise((r) => setTimeout(r, 20));
      const since = new Date();
      await new Promise((r) => setTimeout(r, 5));
      await store.vote(c.id, 'u2', 1);
      await store.vote(b.id, 'u1', 1); // unchanged re-click: stays outside the window
      await store.vote(a.id, 'u3', 1); // changed: now inside
      const week = await store.leaderboard({ guildId: guild, since, limit: 10 });
      assert.deepEqual(
        week.map((e) => [e.title, e.score]),
        [
          ['A', 1],
          ['C', 1],
        ],
      );
      await assert.rejects(store.leaderboard({ guildId: guild, limit: 0 }), isCode('BAD_ARGUMENT'));
    });

    test('models: create, list, get by id or name, sharing, rename, delete', async () => {
      const owner = uniq('owner');
      const other = uniq('other');
      const weights = new Uint8Array(1000).map((_, i) => i % 251);
      const m = await store.createModel({
        ownerId: owner,
        name: 'My Reels',
        baseGenre: 'celtic',
        kind: 'lstm-finetune',
        weights,
        card: { epochs: 5 },
        guildId: 'g1',
      });
      assert.equal(m.sizeBytes, 1000);
      assert.equal(m.shared, false);
      assert.deepEqual(m.card, { epochs: 5 });
      assert.deepEqual(await store.getModelWeights(m.id), weights);
      await assert.rejects(store.getModelWeights('missing'), isCode('NOT_FOUND'));
      await assert.rejects(
        store.createModel({ ownerId: owner, name: ' My Reels ', baseGenre: 'celtic', kind: 'k', weights, card: {} }),
        isCode('BAD_ARGUMENT'),
        'names are unique per owner',
      );
      await assert.rejects(
        store.createModel({ ownerId: owner, name: '   ', baseGenre: 'celtic', kind: 'k', weights, card: {} }),
        isCode('BAD_ARGUMENT'),
      );
      const theirs = await store.createModel({ ownerId: other, name: 'My Reels', baseGenre: 'jazz', kind: 'k', weights, card: {}, guildId: 'g1' });

      assert.equal((await store.getModel('My Reels', owner))?.id, m.id);
      assert.equal((await store.getModel(m.id, owner))?.id, m.id);
      assert.equal(await store.getModel(m.id, other), null, 'private');
      assert.deepEqual((await store.listModels(other, { includeSharedInGuild: 'g1' })).map((x) => x.id), [theirs.id]);

      assert.equal((await store.setModelShared(m.id, owner, true)).shared, true);
      await assert.rejects(store.setModelShared(m.id, other, false), isCode('NOT_FOUND'));
      assert.equal((await store.getModel(m.id, other, 'g1'))?.id, m.id, 'shared in its guild');
      assert.equal(await store.getModel(m.id, other, 'g2'), null, 'not in another guild');
      assert.equal(await store.getModel(m.id, other), null, 'nor without a guild');
      // Sharing it from another server moves the sharing there: one server at a time.
      assert.equal((await store.setModelShared(m.id, owner, true, 'g9')).guildId, 'g9');
      assert.equal((await store.getModel(m.id, other, 'g9'))?.id, m.id);
      assert.equal(await store.getModel(m.id, other, 'g1'), null);
      await store.setModelShared(m.id, owner, true, 'g1');
      assert.equal((await store.getModel('My Reels', other))?.id, theirs.id, 'own name wins over shared');
      const listed = await store.listModels(other, { includeSharedInGuild: 'g1' });
      assert.deepEqual(new Set(listed.map((x) => x.id)), new Set([m.id, theirs.id]));
      assert.deepEqual((await store.listModels(other)).map((x) => x.id), [theirs.id]);

      const renamed = await store.renameModel(m.id, owner, 'Jigs');
      assert.equal(renamed.name, 'Jigs');
      assert.equal(renamed.sizeBytes, 1000);
      await store.createModel({ ownerId: owner, name: 'Taken', baseGenre: 'celtic', kind: 'k', weights, card: {} });
      await assert.rejects(store.renameModel(m.id, owner, 'Taken'), isCode('BAD_ARGUMENT'));
      await assert.rejects(store.renameModel(m.id, other, 'Mine now'), isCode('NOT_FOUND'));

      const t = await store.createTrack(trackInput({ modelId: m.id }));
      assert.equal(await store.deleteModel(m.id, other), false);
      assert.equal(await store.deleteModel(m.id, owner), true);
      assert.equal(await store.getModel(m.id, owner), null);
      assert.equal((await store.getTrack(t.id))?.modelId, null, 'tracks outlive their model');
    });

    test('profile: tracks, votes received from others, models, recent tracks', async () => {
      const me = uniq('me');
      const guild = uniq('pg');
      const t1 = await store.createTrack(trackInput({ authorId: me, guildId: guild, title: 'one' }));
      const t2 = await store.createTrack(trackInput({ authorId: me, guildId: guild, title: 'two' }));
      const t3 = await store.createTrack(trackInput({ authorId: me, guildId: uniq('x'), title: 'elsewhere' }));
      const t4 = await store.createTrack(trackInput({ authorId: me, guildId: guild, title: 'deleted' }));
      await store.vote(t1.id, 'fan1', 1);
      await store.vote(t1.id, 'fan2', 1);
      await store.vote(t2.id, 'critic', -1);
      await assert.rejects(store.vote(t2.id, me, 1), isCode('BAD_ARGUMENT'), 'own votes are refused');
      await store.vote(t3.id, 'fan1', 1);
      await store.vote(t4.id, 'fan1', 1);
      await store.deleteTrack(t4.id, me, false);
      await store.createModel({ ownerId: me, name: 'm', baseGenre: 'pop', kind: 'k', weights: new Uint8Array(1), card: {} });

      const inGuild = await store.userProfile(me, guild);
      assert.equal(inGuild.tracks, 2);
      assert.deepEqual(inGuild.votesReceived, { up: 2, down: 1 });
      assert.equal(inGuild.models, 1);
      assert.deepEqual(new Set(inGuild.recentTracks.map((t) => [t.title, t.score].join(':'))), new Set(['one:2', 'two:-1']));
      const everywhere = await store.userProfile(me);
      assert.equal(everywhere.tracks, 3);
      assert.deepEqual(everywhere.votesReceived, { up: 3, down: 1 });
      assert.deepEqual(await store.userProfile(uniq('nobody')), { tracks: 0, votesReceived: { up: 0, down: 0 }, models: 0, recentTracks: [] });
    });

    test('jobs: create, update, read', async () => {
      const job = await store.createJob({ kind: 'compose', userId: 'u1', guildId: 'g1' });
      assert.equal(job.status, 'queued');
      assert.equal(job.progress, 0);
      const running = await store.updateJob(job.id, { status: 'running', progress: 0.5 });
      assert.equal(running.status, 'running');
      assert.equal(running.progress, 0.5);
      const failed = await store.updateJob(job.id, { status: 'failed', error: 'no notes', progress: 7 });
      assert.equal(failed.progress, 1);
      assert.equal((await store.getJob(job.id))?.error, 'no notes');
      assert.equal(await store.getJob('missing'), null);
      await assert.rejects(store.updateJob('missing', { status: 'done' }), isCode('NOT_FOUND'));
      await assert.rejects(store.updateJob(job.id, { status: 'weird' as 'done' }), isCode('BAD_ARGUMENT'));
    });
  });
}
