import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHeap, type Heap } from '../../../src/engine/nn/simd.ts';

/** Deterministic values in [-scale, scale]. */
function fill(f: Float32Array, at: number, n: number, seed: number, scale: number): void {
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    f[at + i] = (s / 2 ** 32 * 2 - 1) * scale;
  }
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Lays out one cell problem (rows with strides, like a [B, T] window) on a heap. */
function layout(heap: Heap, rows: number, hp: number, T: number) {
  const G = 4 * hp;
  const o = {
    z: heap.alloc(rows * T * G), dz: heap.alloc(rows * T * G), cp: heap.alloc(rows * hp), c: heap.alloc(rows * T * hp),
    tc: heap.alloc(rows * T * hp), h: heap.alloc(rows * T * hp), dH: heap.alloc(rows * T * hp), dhn: heap.alloc(rows * hp), dcn: heap.alloc(rows * hp),
  };
  return { ...o, G, size: heap.f32.length };
}

test('wasm cell kernels equal the JS reference (forward and backward, strided rows, large inputs)', () => {
  const wasm = createHeap();
  const js = createHeap(true);
  assert.equal(wasm.kind, 'wasm-simd');
  const rows = 5, hp = 32, T = 3;
  const a = layout(wasm, rows, hp, T);
  const b = layout(js, rows, hp, T);
  for (const h of [wasm, js]) {
    const l = h === wasm ? a : b;
    fill(h.f32, l.z, rows * T * l.G, 1, 12); // saturating pre-activations too
    fill(h.f32, l.cp, rows * hp, 2, 3);
    fill(h.f32, l.dH, rows * T * hp, 3, 1);
    fill(h.f32, l.dhn, rows * hp, 4, 1);
    fill(h.f32, l.dcn, rows * hp, 5, 1);
    h.cellFwd(l.z, T * l.G, l.cp, hp, l.c, l.tc, l.h, T * hp, rows, hp);
    h.cellBwd(l.z, l.dz, T * l.G, l.cp, hp, l.tc, l.dH, T * hp, l.dhn, l.dcn, rows, hp);
  }
  const diff = maxAbsDiff(wasm.f32.subarray(0, a.size), js.f32.subarray(0, b.size));
  assert.ok(diff < 2e-6, `max diff ${diff}`);
  // the untouched rows between strided ones stay zero in both
  assert.equal(wasm.f32[a.h + hp], 0);
  // something was computed at all
  assert.ok(Math.abs(wasm.f32[a.h + 1]) > 0 && Math.abs(wasm.f32[a.dz + 1]) > 0);
});

test('wasm sigmoid/tanh stay accurate over the whole float range', () => {
  const heap = createHeap();
  const hp = 16, n = 4096;
  const z = heap.alloc(n * 4 * hp), cp = heap.alloc(n * hp), c = heap.alloc(n * hp), tc = heap.alloc(n * hp), h = heap.alloc(n * hp);
  const xs = Float32Array.from({ length: n * hp }, (_, i) => (i / (n * hp) - 0.5) * 200);
  const f = heap.f32;
  for (let r = 0; r < n; r++) for (let g = 0; g < 4; g++) f.set(xs.subarray(r * hp, (r + 1) * hp), z + r * 4 * hp + g * hp);
  heap.cellFwd(z, 4 * hp, cp, hp, c, tc, h, hp, n, hp);
  let worstSig = 0, worstTanh = 0;
  for (let r = 0; r < n; r++) for (let j = 0; j < hp; j++) {
    const x = xs[r * hp + j];
    const sig = 1 / (1 + Math.exp(-x));
    worstSig = Math.max(worstSig, Math.abs(f[z + r * 4 * hp + j] - sig) / Math.max(sig, 1e-30) * (sig > 1e-30 ? 1 : 0));
    worstTanh = Math.max(worstTanh, Math.abs(f[z + r * 4 * hp + 2 * hp + j] - Math.tanh(x)));
  }
  assert.ok(worstSig < 1e-6, `sigmoid relative error ${worstSig}`);
  assert.ok(worstTanh < 1e-6, `tanh absolute error ${worstTanh}`);
});
