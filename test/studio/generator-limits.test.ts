/** The generation worker's deadline and heap ceiling: a bad request fails alone, quickly, with a clear message. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Generator } from '../../src/studio/generator.ts';
import { isMixtapeError } from '../../src/engine/errors.ts';

test('a request past its deadline fails alone; the requests behind it are answered by a fresh worker', async () => {
  const generator = new Generator({ deadlineMs: 5000 });
  try {
    await generator.compose({ genre: 'celtic', bars: 1, seed: 1 }); // models loaded, worker warm
    const started = Date.now();
    // Beam search (128 beams) over 64 bars of the polyphonic model takes over a minute; the deadline
    // leaves the pieces behind it (a fresh worker loading its model) time even on a busy machine.
    const slow = generator.compose({ genre: 'classical', bars: 64, seed: 2 }, { beam: { size: 128, branchFactor: 8 } });
    const after = [3, 4].map((seed) => generator.compose({ genre: 'celtic', bars: 1, seed }));
    await assert.rejects(slow, (e: unknown) => isMixtapeError(e) && e.code === 'TOO_LARGE' && /took longer than 5 s to compose and was stopped/.test(e.message));
    assert.ok(Date.now() - started < 15000, 'stopped near its deadline');
    const pieces = await Promise.all(after);
    assert.deepEqual(pieces.map((p) => [p.seed, p.totalBars]), [[3, 1], [4, 1]]);
  } finally {
    await generator.close();
  }
});

test('a worker that runs out of memory fails the request it was on with a clear message, not the process', async () => {
  // A heap far too small to load a model: the worker dies of it, the caller gets TOO_LARGE.
  const generator = new Generator({ maxHeapMb: 8 });
  try {
    await assert.rejects(generator.compose({ genre: 'pop', bars: 64, seed: 1 }), (e: unknown) =>
      isMixtapeError(e) && e.code === 'TOO_LARGE' && /needed more than 8 MB of memory to compose and was stopped/.test(e.message));
    // Each request fails on its own (a fresh worker each time), none is left hanging.
    await assert.rejects(generator.compose({ genre: 'pop', bars: 1, seed: 2 }), (e: unknown) => isMixtapeError(e) && e.code === 'TOO_LARGE');
  } finally {
    await generator.close();
  }
});
