import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../../src/engine/nn/backend.ts';
import { FusedHeads, type HeadVars } from '../../../src/engine/nn/heads.ts';

function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  assert.deepEqual(a.shape, b.shape);
  const x = a.dataSync(), y = b.dataSync();
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
  return m;
}

/** tf reference: summed NLL of log-softmax over rows whose target is in [0, V). */
function refNll(feat: tf.Tensor2D, h: HeadVars, targets: Int32Array): tf.Scalar {
  const V = h.bias.shape[0];
  const mask = tf.tensor1d(Float32Array.from(targets, (t) => (t >= 0 && t < V ? 1 : 0)));
  const labels = tf.tensor1d(Int32Array.from(targets, (t) => (t >= 0 && t < V ? t : 0)), 'int32');
  const logp = tf.logSoftmax(tf.add(tf.matMul(feat, h.kernel), h.bias));
  return tf.neg(tf.sum(tf.mul(tf.sum(tf.mul(logp, tf.oneHot(labels, V).toFloat()), 1), mask))) as tf.Scalar;
}

test('fused softmax heads equal tf: NLL, accuracy and every gradient (masked targets, padded widths)', async () => {
  await initBackend('wasm');
  const N = 37, F = 21, vocabs = [11, 3];
  const heads: HeadVars[] = vocabs.map((V, k) => ({
    kernel: tf.variable(tf.randomNormal([F, V]), true, `th${k}_k`),
    bias: tf.variable(tf.randomNormal([V]), true, `th${k}_b`),
  }));
  const feat = tf.randomNormal([N, F]) as tf.Tensor2D;
  const targets = vocabs.map((V) => Int32Array.from({ length: N }, (_, i) => (i % 7 === 3 ? -1 : (i * 5) % V)));
  const weights = [0.7, 1.9]; // upstream gradient per head
  const fused = new FusedHeads();
  const vars = heads.flatMap((h) => [h.kernel, h.bias]);
  const run = (useFused: boolean) => tf.grads((x: tf.Tensor, ...vs: tf.Tensor[]) => {
    void vs;
    if (useFused) return tf.sum(tf.mul(fused.losses(x as tf.Tensor2D, heads, targets).nll, weights)) as tf.Scalar;
    return tf.addN(heads.map((h, k) => tf.mul(refNll(x as tf.Tensor2D, h, targets[k]), weights[k]))) as tf.Scalar;
  })([feat, ...vars]);
  const ours = run(true);
  const ref = run(false);
  ours.forEach((g, i) => assert.ok(maxDiff(g, ref[i]) < 1e-4, `gradient ${i}: ${maxDiff(g, ref[i])}`));
  assert.ok(maxDiff(ours[0], tf.zerosLike(ours[0])) > 1e-3, 'feature gradient is not zero');
  // values, accuracy and counts
  const r = fused.losses(feat, heads, targets);
  heads.forEach((h, k) => {
    const want = refNll(feat, h, targets[k]).dataSync()[0];
    assert.ok(Math.abs(r.nll.dataSync()[k] - want) < 1e-3 * Math.max(1, Math.abs(want)), `nll ${k}`);
    const logits = tf.add(tf.matMul(feat, h.kernel), h.bias);
    const pred = tf.argMax(logits, 1).dataSync();
    const valid = targets[k].filter((t) => t >= 0);
    assert.equal(r.count[k], valid.length);
    assert.equal(r.correct[k], targets[k].reduce((n, t, i) => n + (t >= 0 && pred[i] === t ? 1 : 0), 0));
  });
});
