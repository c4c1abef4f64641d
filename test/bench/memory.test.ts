import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trainingMemory } from '../../src/bench/memory.ts';

test('trainingMemory runs the pitchdur network in a child process and reports its peak RSS', async () => {
  const m = await trainingMemory({ seconds: 0.5, batch: 8 });
  assert.equal(m.kind, 'pitchdur');
  assert.equal(m.batch, 8);
  assert.ok(m.trainSteps >= 1);
  assert.ok(m.sequencesPerSecond > 0);
  assert.ok(m.peakRssMiB >= m.rssMiB && m.rssMiB > m.startRssMiB, JSON.stringify(m));
});
