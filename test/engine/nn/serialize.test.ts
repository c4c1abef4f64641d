import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { initBackend } from '../../../src/engine/nn/backend.ts';
import { SequenceNetwork, type NetSpec } from '../../../src/engine/nn/network.ts';
import { saveModel, loadModel, toBytes, fromBytes, toHalf, fromHalf } from '../../../src/engine/nn/serialize.ts';
import { networkFrom } from '../../../src/engine/nn/network.ts';
import { trainNetwork, type Progress } from '../../../src/engine/nn/trainer.ts';
import { makeBatches } from '../../../src/engine/nn/batching.ts';
import { isMixtapeError } from '../../../src/engine/errors.ts';

const spec: NetSpec = { inputs: [{ kind: 'embedding', size: 6, dim: 3 }, { kind: 'dense', size: 2 }], hidden: [5, 4], attention: 2, dropout: 0, heads: [6, 2] };

test('model folder and blob round trips (float32 exact, float16 close); corrupt models are MixtapeErrors', async () => {
  await initBackend('wasm');
  const dir = await mkdtemp(path.join(tmpdir(), 'mixtape-nn-'));
  try {
    const net = new SequenceNetwork(spec);
    const meta = { kind: 'test', vocab: ['a', 'b'] };
    await saveModel(dir, net, meta);
    const loaded = await loadModel(dir);
    assert.deepEqual(loaded.spec, spec);
    assert.deepEqual(loaded.meta, meta);
    assert.deepEqual(loaded.weights, net.getWeights());
    const again = networkFrom(loaded);
    assert.deepEqual(again.getWeights(), net.getWeights());
    const blob = fromBytes(toBytes(net, meta));
    assert.deepEqual(blob.weights, net.getWeights());
    const half = fromBytes(toBytes(net, meta, 'float16'));
    half.weights.forEach((w, i) => w.data.forEach((v, j) => assert.ok(Math.abs(v - net.getWeights()[i].data[j]) < 1e-3)));
    assert.equal(fromHalf(toHalf(1)), 1);
    assert.equal(fromHalf(toHalf(-0.5)), -0.5);
    // corrupt forms
    const bytes = toBytes(net, meta);
    assert.throws(() => fromBytes(bytes.subarray(0, bytes.length - 4)), isMixtapeError);
    assert.throws(() => fromBytes(new Uint8Array([1, 2, 3])), isMixtapeError);
    const json = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8'));
    json.weights[0].shape = [7, 3];
    await writeFile(path.join(dir, 'model.json'), JSON.stringify(json));
    await assert.rejects(loadModel(dir), isMixtapeError);
    await writeFile(path.join(dir, 'model.json'), '{nope');
    await assert.rejects(loadModel(dir), isMixtapeError);
    await assert.rejects(loadModel(path.join(dir, 'missing')), isMixtapeError);
    net.dispose();
    again.dispose();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('trainer: validation, early stopping, best weights, checkpoint and resume', async () => {
  await initBackend('wasm');
  const dir = await mkdtemp(path.join(tmpdir(), 'mixtape-train-'));
  try {
    const seqs = [Array.from({ length: 60 }, (_, i) => [0, 1, 2, 3][i % 4])];
    const basic: NetSpec = { inputs: [{ kind: 'onehot', size: 4 }], hidden: [8], dropout: 0, heads: [4] };
    const net = new SequenceNetwork(basic, { learningRate: 0.03 });
    const progress: Progress[] = [];
    const make = (split: string, epoch: number) => makeBatches(seqs, { steps: 8, batchSize: 4, stride: split === 'train' ? 3 : 8, seed: epoch });
    const r = await trainNetwork({ net, makeBatches: make, epochs: 4, patience: 2, checkpointDir: dir, onProgress: (p) => progress.push(p) });
    assert.equal(r.epochs.length, 4);
    assert.ok(r.epochs[3].validationLoss < r.epochs[0].validationLoss);
    assert.ok(progress.length > 0 && progress.every((p) => p.sequencesPerSecond > 0 && p.batches >= p.batch));
    const saved = await loadModel(path.join(dir, 'best'));
    assert.deepEqual(saved.weights, net.getWeights()); // net holds the best weights
    // resume continues from the checkpointed epoch
    const net2 = new SequenceNetwork(basic);
    const r2 = await trainNetwork({ net: net2, makeBatches: make, epochs: 5, checkpointDir: dir, resume: true });
    assert.equal(r2.epochs.length, 5);
    assert.equal(r2.epochs[4].epoch, 4);
    net.dispose();
    net2.dispose();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
