import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/engine/nn/backend.ts';
import { heapRows, readFloats, TensorScratch } from '../../../src/engine/nn/tensor-io.ts';

test('readFloats gives the values dataSync gives, as a view of wasm memory, and a copy-free tensor round trip', async () => {
  await initBackend('wasm');
  const t = tf.tensor2d(Float32Array.from({ length: 12 }, (_, i) => i * 0.5 - 2), [3, 4]);
  const view = readFloats(t);
  assert.deepEqual([...view], [...t.dataSync()]);
  assert.notEqual(view.buffer, (t.dataSync() as Float32Array).buffer, 'dataSync copies, the view does not');
  const ints = tf.tensor1d([1, 2, 3], 'int32');
  assert.deepEqual([...readFloats(ints)], [1, 2, 3]); // other dtypes: dataSync
  tf.dispose([t, ints]);
});

test('heapRows unpads rows; on wasm contiguous rows are a view and padded ones share one scratch array', async () => {
  await initBackend('wasm');
  const f = Float32Array.from({ length: 40 }, (_, i) => i);
  const scratch = new TensorScratch();
  const same = heapRows(f, 4, 2, 4, 4, scratch);
  assert.deepEqual([...same], [4, 5, 6, 7, 8, 9, 10, 11]);
  assert.equal(same.buffer, f.buffer);
  const a = heapRows(f, 0, 3, 2, 8, scratch);
  assert.deepEqual([...a], [0, 1, 8, 9, 16, 17]);
  const t = tf.tensor2d(a, [3, 2]); // wasm copies at once, so the scratch may be reused
  const b = heapRows(f, 1, 3, 2, 8, scratch);
  assert.equal(b.buffer, a.buffer);
  assert.deepEqual([...t.dataSync()], [0, 1, 8, 9, 16, 17]);
  t.dispose();
});

test('on the cpu backend (which keeps the arrays it is given) every heapRows result is a fresh array', async () => {
  await initBackend('cpu');
  try {
    const f = Float32Array.from({ length: 16 }, (_, i) => i);
    const scratch = new TensorScratch();
    const a = heapRows(f, 0, 2, 4, 4, scratch);
    const t = tf.tensor2d(a, [2, 4]);
    const b = heapRows(f, 1, 2, 2, 4, scratch);
    assert.notEqual(a.buffer, f.buffer);
    assert.notEqual(b.buffer, a.buffer);
    f.fill(-1);
    assert.deepEqual([...readFloats(t)], [0, 1, 2, 3, 4, 5, 6, 7]);
    t.dispose();
  } finally {
    await initBackend('wasm');
  }
});
