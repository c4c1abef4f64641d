import { test } from 'node:test';
import assert from 'node:assert/strict';
import { categorical, createRng, seedFrom, shuffled } from '../../src/engine/random.ts';

test('same seed, same stream; different seed, different stream', () => {
  const a = createRng(42);
  const b = createRng(42);
  const c = createRng(43);
  const sa = Array.from({ length: 5 }, () => a.next());
  assert.deepEqual(sa, Array.from({ length: 5 }, () => b.next()));
  assert.notDeepEqual(sa, Array.from({ length: 5 }, () => c.next()));
  assert.deepEqual([createRng('celtic').next()], [createRng(seedFrom('celtic')).next()]);
});

test('next, int and normal have the right ranges and moments', () => {
  const rng = createRng(7);
  let sum = 0;
  let sq = 0;
  const counts = new Array(6).fill(0);
  for (let i = 0; i < 20000; i++) {
    const u = rng.next();
    assert.ok(u >= 0 && u < 1);
    counts[rng.int(6)]++;
    const z = rng.normal();
    sum += z;
    sq += z * z;
  }
  for (const c of counts) assert.ok(c > 3000 && c < 3700, `die face count ${c}`);
  assert.ok(Math.abs(sum / 20000) < 0.05);
  assert.ok(Math.abs(sq / 20000 - 1) < 0.05);
});

test('categorical follows the weights and never picks zero-weight entries', () => {
  const rng = createRng(1);
  const counts = [0, 0, 0, 0];
  for (let i = 0; i < 10000; i++) counts[categorical([1, 0, 3, 0], rng)]++;
  assert.equal(counts[1] + counts[3], 0);
  assert.ok(Math.abs(counts[2] / 10000 - 0.75) < 0.03);
  assert.equal(categorical([0, 0], rng), -1);
  assert.equal(categorical([0, 5], rng), 1);
  assert.deepEqual(shuffled([1, 2, 3, 4], createRng(3)).sort(), [1, 2, 3, 4]);
});
