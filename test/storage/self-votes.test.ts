/**
 * Self-votes never count: not in a tally, the leaderboard or a profile, even when a row
 * exists (written before the rule, or by another program); casting one is refused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { openStore } from '../../src/storage/index.ts';
import { MixtapeError } from '../../src/engine/errors.ts';

test('the author\'s own vote never changes a score; leaderboard, tally and profile agree', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mixtape-self-'));
  const path = join(dir, 'test.db');
  const store = await openStore({ databaseUrl: `file:${path}` });
  try {
    const input = { guildId: 'g', title: 't', genre: 'pop', bars: 4, tempo: 100, seed: 1, temperature: 1, instrument: 'piano', midi: new Uint8Array(14) };
    const mine = await store.createTrack({ ...input, authorId: 'me', title: 'mine' });
    const theirs = await store.createTrack({ ...input, authorId: 'you', title: 'theirs' });
    await assert.rejects(store.vote(mine.id, 'me', 1), (e) => e instanceof MixtapeError && e.code === 'BAD_ARGUMENT' && /own pieces/.test(e.message));
    await store.vote(theirs.id, 'me', 1);
    // A self-vote row from before the rule: +1 on my own track, which would put it first.
    const raw = createClient({ url: `file:${path}` });
    const now = new Date().toISOString();
    await raw.execute({ sql: 'INSERT INTO votes (track_id, user_id, value, created_at, updated_at) VALUES (?, ?, 1, ?, ?)', args: [mine.id, 'me', now, now] });
    raw.close();
    assert.deepEqual(await store.trackScore(mine.id), { up: 0, down: 0, score: 0 });
    const top = await store.leaderboard({ guildId: 'g', limit: 10 });
    assert.deepEqual(top.map((e) => [e.title, e.score]), [['theirs', 1]]);
    const profile = await store.userProfile('me', 'g');
    assert.deepEqual(profile.votesReceived, { up: 0, down: 0 });
    assert.equal(profile.recentTracks.find((t) => t.title === 'mine')?.score, 0);
    // Others' votes count as before; the author can still take the old vote back.
    assert.deepEqual(await store.vote(mine.id, 'you', -1), { up: 0, down: 1, score: -1 });
    assert.deepEqual(await store.vote(mine.id, 'me', 0), { up: 0, down: 1, score: -1 });
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
