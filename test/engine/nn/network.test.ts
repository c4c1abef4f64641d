import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/engine/nn/backend.ts';
import { SequenceNetwork, type Batch, type NetSpec } from '../../../src/engine/nn/network.ts';
import { Stepper, type StepInput } from '../../../src/engine/nn/stepper.ts';
import { makeBatches } from '../../../src/engine/nn/batching.ts';
import { isMixtapeError } from '../../../src/engine/errors.ts';

const pattern = (len: number, offset = 0) => Array.from({ length: len }, (_, i) => [0, 1, 2, 3, 2, 1][(i + offset) % 6]);

/** Batch of a repeating pattern for every spec shape used here (two inputs/heads when asked). */
function patternBatch(B: number, T: number, spec: NetSpec, seed = 0): Batch {
  const n = B * T;
  const tokens = new Int32Array(n);
  const next = new Int32Array(n);
  for (let b = 0; b < B; b++) {
    const seq = pattern(T + 1, b + seed);
    for (let t = 0; t < T; t++) { tokens[b * T + t] = seq[t]; next[b * T + t] = seq[t + 1]; }
  }
  const inputs = spec.inputs.map((s) => (s.kind === 'dense' ? Float32Array.from({ length: n * s.size }, (_, i) => (tokens[Math.floor(i / s.size)] === i % s.size ? 1 : 0)) : tokens.slice()));
  const targets = spec.heads.map((v, k) => Int32Array.from(next, (x) => (k === 0 ? x : x % v)));
  return { inputs, targets, batch: B, steps: T };
}

function trainLosses(spec: NetSpec, steps: number): number[] {
  const net = new SequenceNetwork(spec, { learningRate: 0.02 });
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) losses.push(net.trainStep(patternBatch(8, 12, spec, i)).loss.reduce((a, b) => a + b, 0));
  net.dispose();
  return losses;
}

test('a tiny network learns a repeating pattern', async () => {
  await initBackend('wasm');
  const losses = trainLosses({ inputs: [{ kind: 'onehot', size: 4 }], hidden: [16, 16], dropout: 0.1, heads: [4] }, 60);
  assert.ok(losses[losses.length - 1] < losses[0] * 0.3, `loss ${losses[0]} -> ${losses[losses.length - 1]}`);
});

test('two inputs (embedding + dense), two heads, bidirectional and attention variants train', async () => {
  await initBackend('wasm');
  const specs: NetSpec[] = [
    { inputs: [{ kind: 'embedding', size: 4, dim: 5 }, { kind: 'dense', size: 4 }], hidden: [12], dropout: 0, heads: [4, 2] },
    { inputs: [{ kind: 'onehot', size: 4 }], hidden: [12], bidirectional: true, dropout: 0, heads: [4] },
    { inputs: [{ kind: 'onehot', size: 4 }], hidden: [12, 12], attention: 4, dropout: 0.1, heads: [4] },
  ];
  for (const spec of specs) {
    const losses = trainLosses(spec, 30);
    assert.ok(losses[losses.length - 1] < losses[0] * 0.7, `${JSON.stringify(spec)}: ${losses[0]} -> ${losses[losses.length - 1]}`);
  }
});

test('stepper logits equal the tf forward pass', async () => {
  await initBackend('wasm');
  const specs: NetSpec[] = [
    { inputs: [{ kind: 'onehot', size: 5 }], hidden: [10, 7], dropout: 0.2, heads: [5] },
    { inputs: [{ kind: 'embedding', size: 6, dim: 3 }, { kind: 'dense', size: 4 }], hidden: [9], dropout: 0, heads: [6, 3] },
    { inputs: [{ kind: 'onehot', size: 4 }], hidden: [8, 8], attention: 3, dropout: 0, heads: [4] },
    { inputs: [{ kind: 'onehot', size: 4 }, { kind: 'dense', size: 4 }], hidden: [8], bidirectional: true, dropout: 0, heads: [4] },
  ];
  for (const spec of specs) {
    const net = new SequenceNetwork(spec);
    net.trainStep(patternBatch(3, 5, spec)); // move weights away from their initial values
    const B = 3, T = 5;
    const batch = patternBatch(B, T, spec, 2);
    const ref = net.predictLogits(batch);
    const stepper = new Stepper(spec, net.getWeights(), B);
    const inputAt = (s: number, t: number): StepInput => spec.inputs.map((inp, k) => (inp.kind === 'dense' ? (batch.inputs[k] as Float32Array).subarray((s * T + t) * inp.size, (s * T + t + 1) * inp.size) : batch.inputs[k][s * T + t]));
    let max = 0;
    if (spec.bidirectional) {
      const window = Array.from({ length: T }, (_, t) => Array.from({ length: B }, (_, s) => inputAt(s, t)));
      const out = stepper.predictWindow(window);
      spec.heads.forEach((V, k) => { for (let s = 0; s < B; s++) for (let v = 0; v < V; v++) max = Math.max(max, Math.abs(out[s][k][v] - ref[k][s * V + v])); });
    } else {
      for (let t = 0; t < T; t++) {
        const out = stepper.step(Array.from({ length: B }, (_, s) => inputAt(s, t)));
        spec.heads.forEach((V, k) => { for (let s = 0; s < B; s++) for (let v = 0; v < V; v++) max = Math.max(max, Math.abs(out[s][k][v] - ref[k][(s * T + t) * V + v])); });
      }
    }
    assert.ok(max < 1e-4, `${JSON.stringify(spec)}: max diff ${max}`);
    net.dispose();
  }
});

test('stepper reorder and state snapshots', async () => {
  await initBackend('wasm');
  const spec: NetSpec = { inputs: [{ kind: 'onehot', size: 4 }], hidden: [8], attention: 2, dropout: 0, heads: [4] };
  const net = new SequenceNetwork(spec);
  const s = new Stepper(spec, net.getWeights(), 2);
  s.step([[0], [1]]);
  s.step([[2], [3]]);
  const snap = s.getState();
  const a = s.step([[1], [1]]).map((h) => Float32Array.from(h[0]));
  s.setState(snap);
  s.reorder([1, 1]);
  const b = s.step([[1], [1]]).map((h) => Float32Array.from(h[0]));
  assert.deepEqual(b[0], a[1]);
  assert.deepEqual(b[1], a[1]);
  assert.throws(() => s.reorder([0, 5]), isMixtapeError);
  net.dispose();
});

test('no tensor leaks over 1,000 training and inference steps (and in every variant)', async () => {
  await initBackend('wasm');
  const leakCheck = (spec: NetSpec, train: number, evaluate: number) => {
    const net = new SequenceNetwork(spec);
    const batch = patternBatch(2, 3, spec);
    net.trainStep(batch);
    net.evaluate(batch);
    const before = tf.memory().numTensors;
    for (let i = 0; i < train; i++) net.trainStep(batch);
    for (let i = 0; i < evaluate; i++) net.evaluate(batch);
    assert.equal(tf.memory().numTensors, before, JSON.stringify(spec));
    net.dispose();
  };
  leakCheck({ inputs: [{ kind: 'embedding', size: 4, dim: 3 }], hidden: [4, 4], dropout: 0.1, heads: [4] }, 400, 600);
  leakCheck({ inputs: [{ kind: 'onehot', size: 4 }, { kind: 'dense', size: 4 }], hidden: [4], attention: 2, dropout: 0.1, heads: [4, 2] }, 10, 10);
  leakCheck({ inputs: [{ kind: 'onehot', size: 4 }], hidden: [4], bidirectional: true, dropout: 0, heads: [4] }, 10, 10);
});

test('batching cuts windows, shifts targets and rejects bad input', () => {
  const batches = [...makeBatches([pattern(20)], { steps: 4, batchSize: 3, stride: 2, seed: 1 })];
  const windows = batches.reduce((n, b) => n + b.batch, 0);
  assert.equal(windows, 8); // starts 0,2,...,14 (start + 5 <= 20)
  const b = batches[0];
  for (let i = 0; i < b.batch * b.steps; i++) if ((i + 1) % b.steps !== 0) assert.equal(b.targets[0][i], b.inputs[0][i + 1]);
  assert.throws(() => [...makeBatches([[1, 2]], { steps: 0, batchSize: 1 })], isMixtapeError);
  assert.throws(() => new SequenceNetwork({ inputs: [], hidden: [4], dropout: 0, heads: [2] }), isMixtapeError);
});
