/**
 * A fused, stacked LSTM with a hand-written backward pass (BPTT), exposed to TensorFlow.js as
 * one `tf.customGrad` op so the rest of a network (embeddings, heads, loss, Adam) stays in tf.
 *
 * Why not tf.layers.lstm: it runs ~15 tiny tf ops per time step forward and more backward, and
 * on wasm each op costs 50-300 µs, so a 32-step window is all overhead (38 sequences/s). Here a
 * window costs, per layer: ONE gemm for all input projections ([B*T, I] x [I, 4H]), ONE gemm
 * per step for the recurrent part (into the same gate buffer), ONE cell-kernel call per step for
 * the gate math of all B rows (keeping the activations for the backward pass), and in BPTT one
 * cell-kernel call and one gemm per step for dh plus ONE gemm each at the end for dW, dR
 * (stacked h_{t-1} rows x stacked dGates), dX and the bias gradient. Both kernels are the
 * WebAssembly SIMD code of simd.ts (JS fallbacks with the same contract where SIMD is missing).
 *
 * Weight layout = Keras / tf.layers: kernel [I, 4H], recurrentKernel [H, 4H], bias [4H], gate
 * order i, f, c, o (the forget bias starts at 1, "unitForgetBias"). Inside the heap each gate
 * block is padded to Hp = pad16(H) columns (padded lanes stay exactly zero).
 */
import * as tf from '@tensorflow/tfjs';
import { createHeap, jsCellFwd, pad16, type Heap } from './simd.ts';
import { heapRows, readFloats, TensorScratch } from './tensor-io.ts';
import { MixtapeError } from '../errors.ts';

/** Recurrent state of a stack: one [B, H] tensor per layer for h and for c. */
export interface LstmState {
  h: tf.Tensor2D[];
  c: tf.Tensor2D[];
}

/** Weights of one layer in Keras layout. */
export interface LstmWeights {
  kernel: tf.Variable;
  recurrentKernel: tf.Variable;
  bias: tf.Variable;
}

/** Options of one forward pass. */
export interface LstmForwardOptions {
  /** Dropout on each layer's output except the last (inverted dropout), only when training. */
  dropout?: number;
  training?: boolean;
  /** Initial state (zeros when absent); gradients flow into it. */
  initialState?: LstmState;
  /** False when x is plain data (one-hot / features): skips the dX gemm. Default true. */
  inputGrad?: boolean;
  /** Random source for dropout masks (Math.random by default). */
  random?: () => number;
}

let nextId = 0;

/**
 * One LSTM cell update for one row, in place on a float heap (JS reference): the gate
 * pre-activations at z (4 blocks of Hp) become activations i, f, g, o; writes c, tanh(c) and h.
 * Padded lanes (H..Hp) are computed too and stay zero when their inputs are zero.
 */
export function cellForward(f: Float32Array, z: number, cp: number, co: number, tco: number, ho: number, H: number, Hp: number): void {
  void H;
  jsCellFwd(f, z, 0, cp, 0, co, tco, ho, 0, 1, Hp);
}

/** Heap buffers (float offsets) of one layer. */
interface LayerBuffers {
  w: number; r: number; b: number; wT: number; rT: number;
  x: number; z: number; c: number; tc: number; h: number; h0: number; c0: number;
  dz: number; dH: number; dhn: number; dcn: number; hs: number; dW: number; dR: number; dX: number; db: number;
  mask: number;
}

/** Geometry of one layer. */
interface LayerDims { I: number; H: number; Ip: number; Hp: number; G: number }

/**
 * A stack of LSTM layers whose math runs on a private heap. Create with `new LstmStack(I, [H1, H2])`.
 * @example const s = new LstmStack(64, [128, 128]); const y = s.apply(x, { training: true }); // [B,T,128]
 */
export class LstmStack {
  readonly inputSize: number;
  readonly units: number[];
  readonly weights: LstmWeights[];
  readonly heap: Heap;
  private dims: LayerDims[];
  private bufs: LayerBuffers[] = [];
  private capacity = { rows: 0, batch: 0 };
  private shape = { B: 0, T: 0 };
  private finalH: Float32Array[] = [];
  private finalC: Float32Array[] = [];
  /** Heap offset of a constant 1 (A operand of rank-1 gemms: bias broadcast, column sums). */
  private one = -1;
  /** Reused arrays for outputs that become tensors at once (tensor-io.ts). */
  private scratch = new TensorScratch();

  constructor(inputSize: number, units: number[], heap: Heap = createHeap(), name = 'lstm') {
    if (!(inputSize > 0) || units.length === 0 || units.some((u) => !(u > 0))) {
      throw new MixtapeError('BAD_ARGUMENT', `LSTM needs a positive input size and layer sizes (got ${inputSize}, [${units}])`);
    }
    this.inputSize = inputSize;
    this.units = units;
    this.heap = heap;
    this.dims = units.map((H, l) => {
      const I = l === 0 ? inputSize : units[l - 1];
      return { I, H, Ip: pad16(I), Hp: pad16(H), G: 4 * pad16(H) };
    });
    const id = `${name}${nextId++}`;
    this.weights = this.dims.map(({ I, H }, l) => {
      const limitK = Math.sqrt(6 / (I + 4 * H));
      const limitR = Math.sqrt(6 / (H + 4 * H));
      const bias = new Float32Array(4 * H);
      bias.fill(1, H, 2 * H); // unit forget bias
      return {
        kernel: tf.variable(tf.randomUniform([I, 4 * H], -limitK, limitK), true, `${id}_${l}_kernel`),
        recurrentKernel: tf.variable(tf.randomUniform([H, 4 * H], -limitR, limitR), true, `${id}_${l}_recurrent`),
        bias: tf.variable(tf.tensor1d(bias), true, `${id}_${l}_bias`),
      };
    });
  }

  /** All trainable variables, layer by layer (kernel, recurrentKernel, bias). */
  variables(): tf.Variable[] {
    return this.weights.flatMap((w) => [w.kernel, w.recurrentKernel, w.bias]);
  }

  /** Frees the tf variables. */
  dispose(): void {
    for (const v of this.variables()) v.dispose();
  }

  /** Final state of the last `apply` (new tensors: the caller disposes them). */
  lastState(): LstmState {
    const { B } = this.shape;
    return {
      h: this.finalH.map((h, l) => tf.tensor2d(h, [B, this.units[l]])),
      c: this.finalC.map((c, l) => tf.tensor2d(c, [B, this.units[l]])),
    };
  }

  /**
   * Runs the stack over x [B, T, I]; returns the top layer's outputs [B, T, H].
   * Differentiable w.r.t. x, all weights and the initial state.
   */
  apply(x: tf.Tensor3D, options: LstmForwardOptions = {}): tf.Tensor3D {
    const [B, T, I] = x.shape;
    if (I !== this.inputSize) throw new MixtapeError('BAD_ARGUMENT', `LSTM input has ${I} features, expected ${this.inputSize}`);
    const init = options.initialState;
    const inputs: tf.Tensor[] = [x, ...this.variables(), ...(init ? [...init.h, ...init.c] : [])];
    const op = tf.customGrad((...args: unknown[]) => {
      const tensors = args.slice(0, inputs.length) as tf.Tensor[];
      const out = this.forwardRaw(tensors, B, T, options);
      return {
        value: tf.tensor3d(out, [B, T, this.units[this.units.length - 1]]),
        gradFunc: (dy: tf.Tensor | tf.Tensor[]) => this.backwardRaw(readFloats(Array.isArray(dy) ? dy[0] : dy), options, !!init, tensors),
      };
    });
    return op(...inputs) as tf.Tensor3D;
  }

  /** Allocates workspaces for B*T rows (only when larger than before). */
  private ensure(B: number, T: number): void {
    const rows = B * T;
    if (rows <= this.capacity.rows && B <= this.capacity.batch && this.bufs.length) return;
    const a = (n: number) => this.heap.alloc(n);
    if (this.one < 0) {
      this.one = a(1);
      this.heap.f32[this.one] = 1;
    }
    this.bufs = this.dims.map(({ Ip, Hp, G }) => ({
      w: a(Ip * G), r: a(Hp * G), b: a(G), wT: a(G * Ip), rT: a(G * Hp),
      x: a(rows * Ip), z: a(rows * G), c: a(rows * Hp), tc: a(rows * Hp), h: a(rows * Hp), h0: a(B * Hp), c0: a(B * Hp),
      dz: a(rows * G), dH: a(rows * Hp), dhn: a(B * Hp), dcn: a(B * Hp), hs: a(rows * Hp), dW: a(Ip * G), dR: a(Hp * G), dX: a(rows * Ip), db: a(G),
      mask: a(rows * Hp),
    }));
    this.capacity = { rows, batch: B };
  }

  /** Copies Keras-layout [rows, 4H] into padded [rows, 4Hp] at heap offset `dst` (row stride G). */
  private packGates(src: Float32Array, rows: number, H: number, Hp: number, dst: number): void {
    const f = this.heap.f32;
    for (let r = 0; r < rows; r++) {
      for (let g = 0; g < 4; g++) f.set(src.subarray(r * 4 * H + g * H, r * 4 * H + (g + 1) * H), dst + r * 4 * Hp + g * Hp);
    }
  }

  /** Inverse of packGates, for a tensor made at once (see heapRows). */
  private unpackGates(src: number, rows: number, H: number, Hp: number): Float32Array {
    const f = this.heap.f32;
    if (H === Hp) return heapRows(f, src, rows, 4 * H, 4 * Hp, this.scratch);
    const out = this.scratch.get(rows * 4 * H);
    for (let r = 0; r < rows; r++) {
      for (let g = 0; g < 4; g++) out.set(f.subarray(src + r * 4 * Hp + g * Hp, src + r * 4 * Hp + g * Hp + H), r * 4 * H + g * H);
    }
    return out;
  }

  /** Transposes [rows, cols] at src into [cols, rowsPad] at dst (padded rows zero). */
  private transpose(src: number, rows: number, cols: number, dst: number, rowsPad: number): void {
    const f = this.heap.f32;
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) f[dst + j * rowsPad + i] = f[src + i * cols + j];
    }
  }

  private forwardRaw(tensors: tf.Tensor[], B: number, T: number, options: LstmForwardOptions): Float32Array {
    this.ensure(B, T);
    this.shape = { B, T };
    const L = this.units.length;
    const rows = B * T;
    const init = options.initialState ? tensors.slice(1 + 3 * L) : undefined;
    const dropout = options.training ? options.dropout ?? 0 : 0;
    const random = options.random ?? Math.random;
    // layer 0 input: unpadded [B*T, I] into padded rows
    {
      const { I, Ip } = this.dims[0];
      const xs = readFloats(tensors[0]);
      const f = this.heap.f32;
      const x = this.bufs[0].x;
      if (Ip === I) f.set(xs, x);
      else for (let r = 0; r < rows; r++) f.set(xs.subarray(r * I, r * I + I), x + r * Ip);
    }
    this.finalH = [];
    this.finalC = [];
    for (let l = 0; l < L; l++) {
      const d = this.dims[l];
      const bf = this.bufs[l];
      const f = this.heap.f32;
      this.packGates(readFloats(tensors[1 + 3 * l]), d.I, d.H, d.Hp, bf.w);
      this.packGates(readFloats(tensors[2 + 3 * l]), d.H, d.H, d.Hp, bf.r);
      this.packGates(readFloats(tensors[3 + 3 * l]), 1, d.H, d.Hp, bf.b);
      f.fill(0, bf.h0, bf.h0 + B * d.Hp);
      f.fill(0, bf.c0, bf.c0 + B * d.Hp);
      if (init) {
        const h0 = readFloats(init[l]);
        const c0 = readFloats(init[L + l]);
        for (let b = 0; b < B; b++) {
          f.set(h0.subarray(b * d.H, (b + 1) * d.H), bf.h0 + b * d.Hp);
          f.set(c0.subarray(b * d.H, (b + 1) * d.H), bf.c0 + b * d.Hp);
        }
      }
      this.layerForward(l, B, T);
      const [fh, fc] = this.finalState(l, B, T);
      this.finalH.push(fh);
      this.finalC.push(fc);
      if (l + 1 < L) {
        // next layer input = this layer's h (same padded width), with inverted dropout
        const next = this.bufs[l + 1].x;
        f.set(f.subarray(bf.h, bf.h + rows * d.Hp), next);
        if (dropout > 0) {
          const keep = 1 - dropout;
          for (let i = 0; i < rows * d.Hp; i++) {
            const m = random() < keep ? 1 / keep : 0;
            f[bf.mask + i] = m;
            f[next + i] *= m;
          }
        } else f.fill(1, bf.mask, bf.mask + rows * d.Hp);
      }
    }
    const top = this.dims[L - 1];
    const bt = this.bufs[L - 1];
    return heapRows(this.heap.f32, bt.h, rows, top.H, top.Hp, this.scratch);
  }

  /** Final h, c of layer l, unpadded [B, H]. */
  private finalState(l: number, B: number, T: number): [Float32Array, Float32Array] {
    const { H, Hp } = this.dims[l];
    const bf = this.bufs[l];
    const f = this.heap.f32;
    const h = new Float32Array(B * H);
    const c = new Float32Array(B * H);
    for (let b = 0; b < B; b++) {
      const r = (b * T + T - 1) * Hp;
      h.set(f.subarray(bf.h + r, bf.h + r + H), b * H);
      c.set(f.subarray(bf.c + r, bf.c + r + H), b * H);
    }
    return [h, c];
  }

  /** Forward of one layer over its heap input; keeps gate activations, c and tanh(c). */
  private layerForward(l: number, B: number, T: number): void {
    const { Ip, Hp, G } = this.dims[l];
    const bf = this.bufs[l];
    const heap = this.heap;
    const rows = B * T;
    // z = bias in every row (a rank-1 gemm with a constant 1), then + x W
    heap.gemm(this.one, 0, 0, bf.b, G, bf.z, G, rows, 1, G, false);
    heap.gemm(bf.x, Ip, 1, bf.w, G, bf.z, G, rows, Ip, G, true);
    for (let t = 0; t < T; t++) {
      const hPrev = t === 0 ? bf.h0 : bf.h + (t - 1) * Hp;
      const hStride = t === 0 ? Hp : T * Hp;
      heap.gemm(hPrev, hStride, 1, bf.r, G, bf.z + t * G, T * G, B, Hp, G, true);
      const cp = t === 0 ? bf.c0 : bf.c + (t - 1) * Hp;
      heap.cellFwd(bf.z + t * G, T * G, cp, t === 0 ? Hp : T * Hp, bf.c + t * Hp, bf.tc + t * Hp, bf.h + t * Hp, T * Hp, B, Hp);
    }
  }

  /** BPTT of one layer: reads dH (+ dhn/dcn as the gradient of the final state), writes dz, dW, dR, dX. */
  private layerBackward(l: number, B: number, T: number, inputGrad: boolean): void {
    const { Ip, Hp, G } = this.dims[l];
    const bf = this.bufs[l];
    const heap = this.heap;
    const rows = B * T;
    this.transpose(bf.r, Hp, G, bf.rT, Hp);
    for (let t = T - 1; t >= 0; t--) {
      const cp = t === 0 ? bf.c0 : bf.c + (t - 1) * Hp;
      heap.cellBwd(bf.z + t * G, bf.dz + t * G, T * G, cp, t === 0 ? Hp : T * Hp, bf.tc + t * Hp, bf.dH + t * Hp, T * Hp, bf.dhn, bf.dcn, B, Hp);
      // dh_{t-1} = dz_t . R^T (at t = 0 this is the gradient of h0)
      heap.gemm(bf.dz + t * G, T * G, 1, bf.rT, Hp, bf.dhn, Hp, B, G, Hp, false);
    }
    const f = heap.f32;
    // stacked h_{t-1} rows, then one gemm each for dR and dW over all B*T rows
    for (let b = 0; b < B; b++) {
      f.copyWithin(bf.hs + b * T * Hp, bf.h0 + b * Hp, bf.h0 + (b + 1) * Hp);
      f.copyWithin(bf.hs + (b * T + 1) * Hp, bf.h + b * T * Hp, bf.h + (b * T + T - 1) * Hp);
    }
    heap.gemm(bf.hs, 1, Hp, bf.dz, G, bf.dR, G, Hp, rows, G, false);
    heap.gemm(bf.x, 1, Ip, bf.dz, G, bf.dW, G, Ip, rows, G, false);
    if (inputGrad) {
      this.transpose(bf.w, Ip, G, bf.wT, Ip);
      heap.gemm(bf.dz, G, 1, bf.wT, Ip, bf.dX, Ip, rows, G, Ip, false);
    }
  }

  private backwardRaw(dy: Float32Array, options: LstmForwardOptions, hasInit: boolean, tensors: tf.Tensor[]): tf.Tensor[] {
    const { B, T } = this.shape;
    const L = this.units.length;
    const rows = B * T;
    const grads: tf.Tensor[] = [];
    const hGrads: tf.Tensor[] = [];
    const cGrads: tf.Tensor[] = [];
    let f = this.heap.f32;
    {
      const { H, Hp } = this.dims[L - 1];
      const dH = this.bufs[L - 1].dH;
      if (H === Hp) f.set(dy, dH);
      else for (let r = 0; r < rows; r++) f.set(dy.subarray(r * H, (r + 1) * H), dH + r * Hp);
    }
    const weightGrads: tf.Tensor[][] = [];
    for (let l = L - 1; l >= 0; l--) {
      const d = this.dims[l];
      const bf = this.bufs[l];
      f = this.heap.f32;
      f.fill(0, bf.dhn, bf.dhn + B * d.Hp);
      f.fill(0, bf.dcn, bf.dcn + B * d.Hp);
      const needDx = l > 0 || options.inputGrad !== false;
      this.layerBackward(l, B, T, needDx);
      f = this.heap.f32;
      weightGrads[l] = [
        tf.tensor2d(this.unpackGates(bf.dW, d.I, d.H, d.Hp), [d.I, 4 * d.H]),
        tf.tensor2d(this.unpackGates(bf.dR, d.H, d.H, d.Hp), [d.H, 4 * d.H]),
        tf.tensor1d(this.columnSums(bf.dz, bf.db, rows, d.H, d.Hp)),
      ];
      hGrads[l] = tf.tensor2d(this.unpad(bf.dhn, B, d.H, d.Hp), [B, d.H]);
      cGrads[l] = tf.tensor2d(this.unpad(bf.dcn, B, d.H, d.Hp), [B, d.H]);
      if (l > 0) {
        // dX of layer l is dH of layer l-1 through the dropout mask (same padded width)
        const below = this.bufs[l - 1];
        for (let i = 0; i < rows * d.Ip; i++) f[below.dH + i] = f[bf.dX + i] * f[below.mask + i];
      } else {
        grads.push(needDx ? tf.tensor3d(this.unpad(bf.dX, rows, d.I, d.Ip), [B, T, d.I]) : tf.zerosLike(tensors[0]));
      }
    }
    for (const w of weightGrads) grads.push(...w);
    if (hasInit) grads.push(...hGrads, ...cGrads);
    else for (const t of [...hGrads, ...cGrads]) t.dispose();
    return grads;
  }

  /** [rows, n] unpadded heap rows with stride np, for a tensor made at once (see heapRows). */
  private unpad(src: number, rows: number, n: number, np: number): Float32Array {
    return heapRows(this.heap.f32, src, rows, n, np, this.scratch);
  }

  /** Bias gradient: column sums of dz (a gemm of a row of ones), Keras layout. */
  private columnSums(dz: number, db: number, rows: number, H: number, Hp: number): Float32Array {
    const G = 4 * Hp;
    this.heap.gemm(this.one, 0, 0, dz, G, db, G, 1, rows, G, false);
    return this.unpackGates(db, 1, H, Hp);
  }
}
