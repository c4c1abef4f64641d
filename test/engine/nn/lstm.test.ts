import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/engine/nn/backend.ts';
import { LstmStack } from '../../../src/engine/nn/lstm.ts';
import { createHeap } from '../../../src/engine/nn/simd.ts';

function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  assert.deepEqual(a.shape, b.shape);
  const x = a.dataSync(), y = b.dataSync();
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
  return m;
}

/** Builds tf.layers LSTMs with the stack's weights and compares outputs and all gradients. */
async function compare(I: number, units: number[], B: number, T: number, withState: boolean, forceJs = false): Promise<void> {
  const stack = new LstmStack(I, units, createHeap(forceJs));
  const layers = units.map((H, l) => {
    const layer = tf.layers.lstm({ units: H, returnSequences: true, recurrentActivation: 'sigmoid' });
    const inSize = l === 0 ? I : units[l - 1];
    tf.tidy(() => { layer.apply(tf.zeros([B, T, inSize]), withState ? { initialState: [tf.zeros([B, H]), tf.zeros([B, H])] } : {}); });
    const w = stack.weights[l];
    layer.setWeights([w.kernel, w.recurrentKernel, w.bias]);
    return layer;
  });
  const x = tf.randomNormal([B, T, I]) as tf.Tensor3D;
  const h0 = units.map((H) => tf.randomNormal([B, H]) as tf.Tensor2D);
  const c0 = units.map((H) => tf.randomNormal([B, H]) as tf.Tensor2D);
  const weight = tf.randomNormal([B, T, units[units.length - 1]]);
  const refLoss = (xx: tf.Tensor, hs: tf.Tensor[], cs: tf.Tensor[]) => {
    let y = xx;
    layers.forEach((layer, l) => {
      y = layer.apply(y, withState ? { initialState: [hs[l], cs[l]] } : {}) as tf.Tensor;
    });
    return tf.sum(tf.mul(y, weight)) as tf.Scalar;
  };
  const fusedLoss = (xx: tf.Tensor, hs: tf.Tensor[], cs: tf.Tensor[]) => {
    const y = stack.apply(xx as tf.Tensor3D, withState ? { initialState: { h: hs as tf.Tensor2D[], c: cs as tf.Tensor2D[] } } : {});
    return tf.sum(tf.mul(y, weight)) as tf.Scalar;
  };
  const n = units.length;
  const args = [x, ...h0, ...c0];
  const refVars = layers.flatMap((l) => l.trainableWeights.map((w) => w.read()));
  const refG = tf.grads((...a: tf.Tensor[]) => {
    const loss = refLoss(a[0], a.slice(1, 1 + n), a.slice(1 + n, 1 + 2 * n));
    return tf.add(loss, tf.mul(0, tf.addN(a.slice(1).map((t) => tf.sum(t))))) as tf.Scalar;
  })(args);
  const refW = tf.variableGrads(() => refLoss(x, h0, c0), layers.flatMap((l) => l.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val)));
  const ourG = tf.grads((...a: tf.Tensor[]) => {
    const loss = fusedLoss(a[0], a.slice(1, 1 + n), a.slice(1 + n, 1 + 2 * n));
    return tf.add(loss, tf.mul(0, tf.addN(a.slice(1).map((t) => tf.sum(t))))) as tf.Scalar;
  })(args);
  const ourW = tf.variableGrads(() => fusedLoss(x, h0, c0), stack.variables());
  assert.ok(Math.abs(refW.value.dataSync()[0] - ourW.value.dataSync()[0]) < 1e-3 * Math.max(1, Math.abs(refW.value.dataSync()[0])), 'loss');
  for (let i = 0; i < (withState ? args.length : 1); i++) assert.ok(maxDiff(refG[i], ourG[i]) < 1e-4, `input grad ${i}: ${maxDiff(refG[i], ourG[i])}`);
  const refList = Object.values(refW.grads);
  const ourList = stack.variables().map((v) => ourW.grads[v.name]);
  assert.equal(refList.length, ourList.length);
  refList.forEach((g, i) => assert.ok(maxDiff(g, ourList[i]) < 1e-4, `weight grad ${i}: ${maxDiff(g, ourList[i])}`));
  // outputs
  const yRef = tf.tidy(() => { let y: tf.Tensor = x; layers.forEach((l, k) => { y = l.apply(y, withState ? { initialState: [h0[k], c0[k]] } : {}) as tf.Tensor; }); return y; });
  const yOur = stack.apply(x, withState ? { initialState: { h: h0, c: c0 } } : {});
  assert.ok(maxDiff(yRef, yOur) < 1e-4, `outputs ${maxDiff(yRef, yOur)}`);
  void refVars;
}

test('fused LSTM equals tf.layers.lstm: outputs and gradients, 2 layers, padded sizes', async () => {
  await initBackend('wasm');
  await compare(7, [10, 5], 3, 6, false);
});

test('fused LSTM equals tf.layers.lstm with initial state (and JS gemm fallback)', async () => {
  await initBackend('wasm');
  await compare(16, [16], 2, 5, true);
  await compare(5, [6, 8], 3, 4, true, true);
});
