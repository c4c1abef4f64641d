/**
 * Dense softmax heads with their cross-entropy loss fused into one `tf.customGrad` op whose
 * math runs on a float heap with the SIMD gemm of simd.ts. Why: on tfjs-wasm the heads'
 * matMuls with a transposed operand (their gradients) run at ~1 GFLOP/s and were a quarter of a
 * training step; here logits, log-softmax, NLL, accuracy and all gradients are three gemms per
 * head plus one pass over the logits.
 *
 * Contract (same math as tf: logits = feat K + b, NLL of log-softmax at the target, masked):
 * `headLosses(feat, heads, targets)` returns a [heads] tensor of summed NLL (differentiable
 * w.r.t. feat and every kernel and bias) plus, as plain numbers, correct counts and counts.
 */
import * as tf from '@tensorflow/tfjs';
import { createHeap, pad16, type Heap } from './simd.ts';
import { heapRows, readFloats, TensorScratch } from './tensor-io.ts';

/** One dense head's variables (kernel [F, V], bias [V]). */
export interface HeadVars { kernel: tf.Variable; bias: tf.Variable }

/** Per-head results of one fused pass. */
export interface HeadLosses {
  /** [heads] summed NLL over unmasked targets; differentiable. */
  nll: tf.Tensor1D;
  correct: number[];
  count: number[];
}

/** Heap offsets of one head's buffers. */
interface HeadBuf { V: number; Vp: number; k: number; kT: number; z: number; dk: number; db: number }

/**
 * Scratch space for fused heads; grows as needed. One per network (not thread-safe, no tensors).
 * @example const h = new FusedHeads(); const r = h.losses(feat, net.heads, [targets]);
 */
export class FusedHeads {
  private heap: Heap;
  private key = '';
  private feat = 0;
  private dfeat = 0;
  private one = 0;
  private bufs: HeadBuf[] = [];
  /** Reused arrays for gradients that become tensors at once (tensor-io.ts). */
  private scratch = new TensorScratch();

  constructor(heap: Heap = createHeap()) {
    this.heap = heap;
  }

  /** Allocates buffers for N rows of F features and these vocabularies (only when the shape changes). */
  private ensure(N: number, Fp: number, vocabs: number[]): void {
    const key = `${N}x${Fp}:${vocabs.join(',')}`;
    if (key === this.key) return;
    const h = this.heap;
    h.reset();
    this.one = h.alloc(1);
    h.f32[this.one] = 1;
    this.feat = h.alloc(N * Fp);
    this.dfeat = h.alloc(N * Fp);
    this.bufs = vocabs.map((V) => {
      const Vp = pad16(V);
      return { V, Vp, k: h.alloc(Fp * Vp), kT: h.alloc(Vp * Fp), z: h.alloc(N * Vp), dk: h.alloc(Fp * Vp), db: h.alloc(Vp) };
    });
    this.key = key;
  }

  /**
   * Summed NLL per head of softmax(feat K + b) at `targets` (rows whose target is outside
   * [0, V) are ignored), with correct counts. Differentiable through the returned `nll`.
   */
  losses(feat: tf.Tensor2D, heads: HeadVars[], targets: Int32Array[]): HeadLosses {
    const [N, F] = feat.shape;
    const Fp = pad16(F);
    const vocabs = heads.map((h) => h.bias.shape[0]);
    const correct: number[] = [];
    const count: number[] = [];
    const op = tf.customGrad((...args: unknown[]) => {
      const [x, ...vars] = args as tf.Tensor[];
      this.ensure(N, Fp, vocabs);
      this.loadRows(readFloats(x), this.feat, N, F, Fp);
      const nll = new Float32Array(heads.length);
      heads.forEach((_, k) => {
        const r = this.forwardHead(k, readFloats(vars[2 * k]), readFloats(vars[2 * k + 1]), N, F, Fp, targets[k]);
        nll[k] = r.nll;
        correct[k] = r.correct;
        count[k] = r.count;
      });
      return {
        value: tf.tensor1d(nll),
        gradFunc: (dy: tf.Tensor | tf.Tensor[]) => {
          const d = (Array.isArray(dy) ? dy[0] : dy).dataSync() as Float32Array;
          return this.backward(d, N, F, Fp);
        },
      };
    });
    const nll = op(feat, ...heads.flatMap((h) => [h.kernel, h.bias])) as tf.Tensor1D;
    return { nll, correct, count };
  }

  /** Copies [rows, n] into heap rows of stride np. */
  private loadRows(src: Float32Array, dst: number, rows: number, n: number, np: number): void {
    const f = this.heap.f32;
    if (n === np) f.set(src, dst);
    else for (let r = 0; r < rows; r++) f.set(src.subarray(r * n, (r + 1) * n), dst + r * np);
  }

  /**
   * Logits, then per row: NLL and argmax, and in place the softmax minus the one-hot target
   * (the gradient of the row's NLL; zero for ignored rows).
   */
  private forwardHead(k: number, kernel: Float32Array, bias: Float32Array, N: number, F: number, Fp: number, targets: Int32Array): { nll: number; correct: number; count: number } {
    const b = this.bufs[k];
    const { V, Vp } = b;
    const h = this.heap;
    this.loadRows(kernel, b.k, F, V, Vp);
    const f = h.f32;
    f.set(bias, b.db);
    // z = 1 x bias (every row), then + feat K
    h.gemm(this.one, 0, 0, b.db, Vp, b.z, Vp, N, 1, Vp, false);
    h.gemm(this.feat, Fp, 1, b.k, Vp, b.z, Vp, N, F, Vp, true);
    let nll = 0;
    let correct = 0;
    let count = 0;
    for (let r = 0; r < N; r++) {
      const z = b.z + r * Vp;
      const t = targets[r];
      let best = 0;
      let max = f[z];
      for (let j = 1; j < V; j++) if (f[z + j] > max) { max = f[z + j]; best = j; }
      if (!(t >= 0 && t < V)) {
        f.fill(0, z, z + Vp);
        continue;
      }
      const picked = f[z + t] - max;
      let sum = 0;
      for (let j = 0; j < V; j++) sum += (f[z + j] = Math.exp(f[z + j] - max));
      nll += Math.log(sum) - picked;
      count++;
      if (best === t) correct++;
      const inv = 1 / sum;
      for (let j = 0; j < V; j++) f[z + j] *= inv;
      f[z + t] -= 1;
    }
    return { nll, correct, count };
  }

  /** Gradients of sum_k dy[k] * nll[k]: [dFeat, dK0, db0, dK1, db1, ...] as new tensors. */
  private backward(dy: Float32Array, N: number, F: number, Fp: number): tf.Tensor[] {
    const h = this.heap;
    const f = h.f32;
    const grads: tf.Tensor[] = [];
    let first = true;
    this.bufs.forEach((b, k) => {
      const { V, Vp } = b;
      const s = dy[k];
      // scale the stored (softmax - onehot) by the upstream gradient
      if (s !== 1) for (let i = b.z, end = b.z + N * Vp; i < end; i++) f[i] *= s;
      // dK = feat^T dZ ; db = 1^T dZ ; dFeat += dZ K^T
      h.gemm(this.feat, 1, Fp, b.z, Vp, b.dk, Vp, F, N, Vp, false);
      h.gemm(this.one, 0, 0, b.z, Vp, b.db, Vp, 1, N, Vp, false);
      for (let i = 0; i < F; i++) for (let j = 0; j < V; j++) f[b.kT + j * Fp + i] = f[b.k + i * Vp + j];
      h.gemm(b.z, Vp, 1, b.kT, Fp, this.dfeat, Fp, N, V, Fp, !first);
      first = false;
      grads.push(tf.tensor2d(this.unpad(b.dk, F, V, Vp), [F, V]), tf.tensor1d(f.slice(b.db, b.db + V)));
    });
    return [tf.tensor2d(this.unpad(this.dfeat, N, F, Fp), [N, F]), ...grads];
  }

  /** [rows, n] of heap rows with stride np, for a tensor made at once (see heapRows). */
  private unpad(src: number, rows: number, n: number, np: number): Float32Array {
    return heapRows(this.heap.f32, src, rows, n, np, this.scratch);
  }
}
