import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initBackend } from '../../../src/engine/nn/backend.ts';
import { SequenceNetwork, type Batch, type NetSpec } from '../../../src/engine/nn/network.ts';
import { DataParallel, GradientSlots, sliceRows } from '../../../src/engine/nn/parallel.ts';

/** Seeded random batch; some targets are -1 (ignored) and unevenly spread, so the halves count differently. */
function randomBatch(spec: NetSpec, B: number, T: number, seed: number): Batch {
  let s = seed >>> 0;
  const next = (n: number) => ((s = (s * 1664525 + 1013904223) >>> 0) % n);
  const n = B * T;
  return {
    inputs: spec.inputs.map((inp) => (inp.kind === 'dense' ? Float32Array.from({ length: n * inp.size }, () => next(100) / 100) : Int32Array.from({ length: n }, () => next(inp.size)))),
    targets: spec.heads.map((v, k) => Int32Array.from({ length: n }, (_, i) => (k === 1 && i < n / 3 && next(3) === 0 ? -1 : next(v)))),
    batch: B,
    steps: T,
  };
}

const maxDiff = (a: SequenceNetwork, b: SequenceNetwork) => {
  const wb = b.getWeights();
  let d = 0;
  a.getWeights().forEach((w, i) => { for (let j = 0; j < w.data.length; j++) d = Math.max(d, Math.abs(w.data[j] - wb[i].data[j])); });
  return d;
};

test('a data-parallel step over two workers makes the same update as one worker', async () => {
  await initBackend('wasm');
  const spec: NetSpec = { inputs: [{ kind: 'onehot', size: 12 }, { kind: 'embedding', size: 9, dim: 4 }, { kind: 'dense', size: 3 }], hidden: [16, 16], dropout: 0, heads: [12, 5] };
  const single = new SequenceNetwork(spec, { learningRate: 0.01 });
  const pair = new SequenceNetwork(spec, { learningRate: 0.01 });
  pair.setWeights(single.getWeights());
  const dp = new DataParallel(pair, { backend: 'wasm' });
  try {
    await dp.ready();
    for (let step = 0; step < 4; step++) {
      const b = randomBatch(spec, step === 3 ? 7 : 8, 10, step + 1); // an odd batch too
      const one = single.trainStep(b);
      const two = await dp.step(b);
      one.loss.forEach((l, k) => assert.ok(Math.abs(l - two.loss[k]) < 1e-4, `step ${step} head ${k}: loss ${l} vs ${two.loss[k]}`));
      assert.deepEqual(two.accuracy.map((a) => a.toFixed(6)), one.accuracy.map((a) => a.toFixed(6)));
      const d = maxDiff(single, pair);
      assert.ok(d < 2e-5, `step ${step}: weights differ by ${d}`);
      assert.ok(maxDiff(single, new SequenceNetwork(spec)) > 1e-3, 'the weights did move');
    }
  } finally {
    await dp.close();
    single.dispose();
    pair.dispose();
  }
});

test('sliceRows cuts inputs (dense ones included) and targets by rows', () => {
  const spec: NetSpec = { inputs: [{ kind: 'onehot', size: 4 }, { kind: 'dense', size: 2 }], hidden: [4], dropout: 0, heads: [4] };
  const b = randomBatch(spec, 4, 3, 9);
  const part = sliceRows(b, 1, 3);
  assert.equal(part.batch, 2);
  assert.deepEqual([...part.inputs[0]], [...b.inputs[0].subarray(3, 9)]);
  assert.deepEqual([...part.inputs[1]], [...b.inputs[1].subarray(6, 18)]);
  assert.deepEqual([...part.targets[0]], [...b.targets[0].subarray(3, 9)]);
});

test('trainNetwork with two workers ends on the same weights as with one', async () => {
  await initBackend('wasm');
  const { trainNetwork } = await import('../../../src/engine/nn/trainer.ts');
  const spec: NetSpec = { inputs: [{ kind: 'onehot', size: 8 }], hidden: [12], dropout: 0, heads: [8] };
  const start = new SequenceNetwork(spec, { learningRate: 0.02 }).getWeights();
  const run = async (workers: number) => {
    const net = new SequenceNetwork(spec, { learningRate: 0.02 });
    net.setWeights(start);
    const batches = (split: string, epoch: number) => Array.from({ length: split === 'train' ? 3 : 1 }, (_, i) => randomBatch(spec, 6, 8, 100 * epoch + i + (split === 'train' ? 0 : 50)));
    const result = await trainNetwork({ net, makeBatches: batches, epochs: 2, workers });
    return { net, result };
  };
  const one = await run(1);
  const two = await run(2);
  assert.equal(two.result.epochs.length, 2);
  assert.ok(Math.abs(one.result.bestValidationLoss - two.result.bestValidationLoss) < 1e-4);
  assert.ok(maxDiff(one.net, two.net) < 5e-5, `weights differ by ${maxDiff(one.net, two.net)}`);
  one.net.dispose();
  two.net.dispose();
});

test('GradientSlots: disjoint shared views, mine + theirs by slot, and the worker-done counter', () => {
  const slots = new GradientSlots([3, 2], 2);
  const again = new GradientSlots([3, 2], 2, slots.buffer); // the worker's view of the same memory
  slots.mine[0][0].set([1, 2, 3]);
  slots.mine[1][0].set([10, 20, 30]);
  again.theirs[0].set([0.5, 0.25, -3]);
  again.theirs[1].set([7, 8]);
  slots.mine[0][1].set([1, 1]);
  const out = [new Float32Array(3), new Float32Array(2)];
  assert.deepEqual(slots.sum(0, out).map((a) => [...a]), [[1.5, 2.25, 0], [8, 9]]);
  assert.deepEqual([...slots.sum(1, out)[0]], [10.5, 20.25, 27]);
  assert.equal(slots.waitFor(1, 0), false);
  again.stats.set([1, 2, 3, 4, 5, 6, 7]);
  again.finished(1);
  assert.equal(slots.waitFor(1, 0), true);
  assert.deepEqual([...slots.stats], [1, 2, 3, 4, 5, 6, 7]);
  again.failed();
  assert.equal(slots.waitFor(2, 60_000), false, 'a failed worker does not leave the main thread blocked');
});
