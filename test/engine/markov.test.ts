import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  markovArgmax,
  markovDistribution,
  markovFromJSON,
  markovGenerate,
  markovLogProb,
  markovNll,
  markovToJSON,
  selectMarkovOrder,
  trainMarkov,
} from '../../src/engine/markov.ts';
import { createRng } from '../../src/engine/random.ts';
import { isMixtapeError } from '../../src/engine/errors.ts';

const cycle = (pattern: number[], times: number) => Array.from({ length: times }, () => pattern).flat();

test('distributions are proper and never zero, for seen and unseen contexts', () => {
  const model = trainMarkov([cycle([0, 1, 2], 50)], { order: 2, vocabSize: 6 });
  for (const ctx of [[], [0], [0, 1], [5, 5], [2, 5]]) {
    const d = markovDistribution(model, ctx);
    assert.ok(Math.abs(d.reduce((a, b) => a + b, 0) - 1) < 1e-12);
    assert.ok(d.every((p) => p > 0));
    for (let t = 0; t < 6; t++) assert.ok(Math.abs(Math.log(d[t]) - markovLogProb(model, ctx, t)) < 1e-12);
  }
  assert.ok(markovDistribution(model, [0, 1])[2] > 0.95);
  assert.equal(markovArgmax(model, [0, 1]), 2);
  assert.equal(markovLogProb(model, [0], 9), -Infinity);
  const untrained = markovDistribution(trainMarkov([], { order: 3, vocabSize: 4 }), [1, 2, 3]);
  assert.deepEqual([...untrained], [0.25, 0.25, 0.25, 0.25]);
});

test('argmax shortcut agrees with the full distribution on random data', () => {
  const rng = createRng(11);
  const seqs = Array.from({ length: 20 }, () => Array.from({ length: 60 }, () => Math.min(rng.int(8), rng.int(30))));
  const model = trainMarkov(seqs, { order: 3, vocabSize: 30 });
  for (let i = 0; i < 300; i++) {
    const ctx = Array.from({ length: rng.int(5) }, () => rng.int(i % 2 ? 8 : 30));
    const d = markovDistribution(model, ctx);
    const best = d.indexOf(Math.max(...d));
    assert.ok(Math.abs(d[markovArgmax(model, ctx)] - d[best]) < 1e-15, `context ${ctx}`);
  }
});

test('nll and accuracy; order selection prefers the order the data needs', () => {
  const train = [cycle([0, 0, 1], 100), cycle([0, 0, 1], 50)];
  const valid = [cycle([0, 0, 1], 20)];
  const sel = selectMarkovOrder(train, valid, { vocabSize: 3, orders: [0, 1, 2, 3] });
  assert.ok(sel.order >= 2, `picked ${sel.order}`);
  const byOrder = Object.fromEntries(sel.results.map((r) => [r.order, r]));
  assert.ok(byOrder[1].nll > byOrder[2].nll);
  assert.ok(byOrder[2].accuracy > 0.95);
  assert.ok(byOrder[0].accuracy < 0.7);
  assert.equal(byOrder[2].events, 60);
  assert.equal(sel.model.order, sel.order);
  // A uniform-ish model over 3 tokens has nll near log(3).
  const flat = markovNll(trainMarkov([[0, 1, 2]], { order: 0, vocabSize: 3 }), [[0, 1, 2, 2, 1, 0]]);
  assert.ok(Math.abs(flat.nll - Math.log(3)) < 1e-9);
});

test('JSON round trip keeps every probability; bad input is a typed error', () => {
  const model = trainMarkov([[1, 2, 3, 1, 2, 4, 1, 2, 3]], { order: 2, vocabSize: 5 });
  const back = markovFromJSON(JSON.parse(JSON.stringify(markovToJSON(model))));
  for (const ctx of [[], [1], [1, 2], [3, 1]]) assert.deepEqual(markovDistribution(back, ctx), markovDistribution(model, ctx));
  for (const bad of [() => trainMarkov([[7]], { order: 1, vocabSize: 5 }), () => trainMarkov([], { order: -1, vocabSize: 5 }), () => markovFromJSON({} as never)]) {
    assert.throws(bad, (e) => isMixtapeError(e) && e.code === 'BAD_ARGUMENT');
  }
});

test('generation follows the chain and respects a mask', () => {
  const model = trainMarkov([cycle([0, 1, 2, 3], 40)], { order: 2, vocabSize: 4 });
  const out = markovGenerate(model, 12, createRng(3), { primer: [0, 1], temperature: 0.01 });
  assert.deepEqual(out, cycle([2, 3, 0, 1], 3));
  const masked = markovGenerate(model, 20, createRng(4), { allowed: () => [1, 0, 1, 0] });
  assert.ok(masked.every((t) => t === 0 || t === 2));
  assert.deepEqual(markovGenerate(model, 8, createRng(9)), markovGenerate(model, 8, createRng(9)));
});

test('trains on a 100k-token corpus (correctness of counts at scale)', () => {
  const rng = createRng(2);
  const seqs = Array.from({ length: 100 }, () => Array.from({ length: 1000 }, () => rng.int(50)));
  const model = trainMarkov(seqs, { order: 3, vocabSize: 50 });
  assert.equal(model.levels[0].get('')!.total, 100000);
  const ev = markovNll(model, seqs.slice(0, 5));
  assert.equal(ev.events, 5000);
  assert.ok(ev.nll < Math.log(50) + 0.01);
});
