/** Generation in the worker thread gives the very piece the caller's thread gives, errors included. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { Generator } from '../../src/studio/generator.ts';
import { generateScore } from '../../src/studio/generate-score.ts';
import { isMixtapeError } from '../../src/engine/errors.ts';

const generator = new Generator();
after(() => generator.close());

test('a piece composed in the worker equals the one composed in this thread for the same seed', async () => {
  const req = { genre: 'celtic', bars: 8, seed: 7 };
  const [inWorker, here] = await Promise.all([generator.compose(req), generateScore(req)]);
  assert.deepEqual(inWorker.score, here.score);
  assert.equal(inWorker.totalBars, 8);
  assert.equal(inWorker.temperature, here.temperature);
});

test('requests sent together are all answered, each with its own piece', async () => {
  const pieces = await Promise.all([1, 2, 3].map((seed) => generator.compose({ genre: 'celtic', bars: 2, seed })));
  assert.deepEqual(pieces.map((p) => p.seed), [1, 2, 3]);
  assert.notDeepEqual(pieces[0].score.tracks, pieces[1].score.tracks);
});

test("the worker's errors arrive as the same typed errors, and the worker keeps serving", async () => {
  await assert.rejects(generator.compose({ genre: 'celtic', bars: 4, primerMidi: new TextEncoder().encode('not a midi file at all') }), (e: unknown) => isMixtapeError(e) && e.code === 'NOT_MIDI');
  await assert.rejects(generator.compose({ genre: 'polka', bars: 4 }), (e: unknown) => isMixtapeError(e) && e.code === 'UNKNOWN_GENRE');
  assert.equal((await generator.compose({ genre: 'celtic', bars: 1, seed: 5 })).totalBars, 1);
});

test('a closed generator starts a fresh worker for the next request', async () => {
  await generator.close();
  assert.equal((await generator.compose({ genre: 'celtic', bars: 1, seed: 9 })).totalBars, 1);
});
