/**
 * A sequence network described by plain JSON (NetSpec): per-step inputs (one-hot, embedding,
 * dense features) concatenated, a fused LSTM stack (lstm.ts), optional bidirectional or
 * attention variants, and one dense softmax head per output. Training and evaluation score the
 * heads with the fused softmax cross-entropy of heads.ts (predictLogits uses plain tf ops).
 * Trained with Adam (tf.train.adam's update, computed on plain arrays: see `Adam`) and global-norm
 * gradient clipping; every tensor made in a step is disposed (tf.tidy).
 *
 * Variants:
 * - bidirectional: a forward and a backward stack read the window; the heads read
 *   [forward h at the last step ; backward h after reading the whole window backwards] and
 *   predict ONLY the token after the window (the target at the last position).
 * - attention n: scaled dot-product attention with a learned query projection Wq [H, H]:
 *   q_t = h_t Wq, score_j = q_t . h_{t-j} / sqrt(H) for j = 1..n (only positions inside the
 *   window during training: causal and windowed), softmax over j, context_t = sum_j a_j h_{t-j}
 *   (zero when there is no earlier position). The heads read [h_t ; context_t].
 */
import * as tf from '@tensorflow/tfjs';
import { LstmStack } from './lstm.ts';
import { FusedHeads } from './heads.ts';
import { MixtapeError } from '../errors.ts';
import { inputWidth, validateSpec, type NamedWeight, type NetSpec } from './spec.ts';
import { copiesOnWrite, readFloats } from './tensor-io.ts';

export { inputWidth, validateSpec, type InputSpec, type NamedWeight, type NetSpec } from './spec.ts';

/** One training/evaluation batch: per input tokens [B*T] or features [B*T*size]; per head targets [B*T] (-1 = ignore). */
export interface Batch {
  inputs: (Int32Array | Float32Array)[];
  targets: Int32Array[];
  batch: number;
  steps: number;
}

export interface TrainStepResult { loss: number[]; accuracy: number[] }
/** Gradients of one batch (or part of one) with its per-head sums. */
export interface GradientResult { grads: Float32Array[]; nll: number[]; correct: number[]; count: number[] }

/** Mean loss and accuracy per head from summed NLL, correct and counts. */
export const stepResult = (nll: number[], correct: number[], count: number[]): TrainStepResult => ({
  loss: nll.map((v, k) => v / Math.max(1, count[k])),
  accuracy: count.map((c, k) => (c > 0 ? correct[k] / c : 0)),
});
export interface EvalResult { nll: number[]; correct: number[]; count: number[] }

export interface NetworkOptions { learningRate?: number; clipNorm?: number }

/** Embedding lookup whose gradient is a JS scatter-add (wasm has no UnsortedSegmentSum). */
function embed(table: tf.Variable, tokens: Int32Array, size: number, dim: number): tf.Tensor2D {
  const idx = Int32Array.from(tokens, (t) => (t >= 0 && t < size ? t : 0));
  const op = tf.customGrad((...args: unknown[]) => {
    const E = args[0] as tf.Tensor2D;
    const ids = tf.tensor1d(idx, 'int32');
    const value = tf.gather(E, ids) as tf.Tensor2D;
    ids.dispose();
    return {
      value,
      gradFunc: (dy: tf.Tensor | tf.Tensor[]) => {
        const d = (Array.isArray(dy) ? dy[0] : dy).dataSync();
        const g = new Float32Array(size * dim);
        for (let r = 0; r < idx.length; r++) {
          const o = idx[r] * dim;
          for (let j = 0; j < dim; j++) g[o + j] += d[r * dim + j];
        }
        return [tf.tensor2d(g, [size, dim])];
      },
    };
  });
  return op(table) as tf.Tensor2D;
}

let nextNetId = 0;

/**
 * Adam as tf.train.adam(lr) computes it (beta1 0.9, beta2 0.999, epsilon the backend's; bias
 * corrected: w -= lr * (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + epsilon)), in one pass
 * per variable over plain arrays. Why: tf's optimizer runs about a dozen ops per variable, ~10 ms
 * a step on wasm, and a data-parallel step pays it on both threads.
 */
class Adam {
  static readonly beta1 = 0.9;
  static readonly beta2 = 0.999;
  #m: Float32Array[];
  #v: Float32Array[];
  #w: Float32Array[];
  #acc1 = Adam.beta1;
  #acc2 = Adam.beta2;
  #epsilon = tf.backend().epsilon();
  readonly learningRate: number;

  constructor(sizes: number[], learningRate: number) {
    this.learningRate = learningRate;
    this.#m = sizes.map((n) => new Float32Array(n));
    this.#v = sizes.map((n) => new Float32Array(n));
    this.#w = sizes.map((n) => new Float32Array(n));
  }

  /** One step of every variable with its gradient times `scale`. */
  apply(vars: tf.Variable[], grads: Float32Array[], scale: number): void {
    const { beta1: b1, beta2: b2 } = Adam;
    const c1 = 1 - this.#acc1;
    const c2 = 1 - this.#acc2;
    const lr = this.learningRate;
    const eps = this.#epsilon;
    // cpu keeps the array a tensor is made from: a fresh one there, one reused array on wasm
    const reuse = copiesOnWrite();
    vars.forEach((variable, i) => {
      const g = grads[i];
      const m = this.#m[i];
      const v = this.#v[i];
      const w = reuse ? this.#w[i] : new Float32Array(g.length);
      w.set(readFloats(variable));
      for (let j = 0; j < w.length; j++) {
        const gj = g[j] * scale;
        const mj = (m[j] = m[j] * b1 + gj * (1 - b1));
        const vj = (v[j] = v[j] * b2 + gj * gj * (1 - b2));
        w[j] -= (lr * (mj / c1)) / (Math.sqrt(vj / c2) + eps);
      }
      tf.tidy(() => variable.assign(tf.tensor(w, variable.shape)));
    });
    this.#acc1 *= b1;
    this.#acc2 *= b2;
  }
}

/**
 * A trainable sequence network.
 * @example const net = new SequenceNetwork({ inputs: [{ kind: 'onehot', size: 64 }], hidden: [128, 128], dropout: 0.1, heads: [64] });
 */
export class SequenceNetwork {
  readonly spec: NetSpec;
  readonly embeddings: (tf.Variable | undefined)[];
  readonly forward: LstmStack;
  readonly backward: LstmStack | undefined;
  readonly query: tf.Variable | undefined;
  readonly heads: { kernel: tf.Variable; bias: tf.Variable }[];
  readonly clipNorm: number;
  readonly learningRate: number;
  private optimizer: Adam;
  private id = nextNetId++;
  private fused = new FusedHeads();

  constructor(spec: NetSpec, options: NetworkOptions = {}) {
    validateSpec(spec);
    this.spec = structuredClone(spec);
    this.clipNorm = options.clipNorm ?? 5;
    this.learningRate = options.learningRate ?? 1e-3;
    const name = (s: string) => `net${this.id}_${s}`;
    this.embeddings = spec.inputs.map((s, k) => (s.kind === 'embedding' ? tf.variable(tf.randomUniform([s.size, s.dim], -0.05, 0.05), true, name(`emb${k}`)) : undefined));
    const width = inputWidth(spec.inputs);
    this.forward = new LstmStack(width, spec.hidden, undefined, name('fwd'));
    this.backward = spec.bidirectional ? new LstmStack(width, spec.hidden, undefined, name('bwd')) : undefined;
    const top = spec.hidden[spec.hidden.length - 1];
    this.query = spec.attention ? tf.variable(tf.randomUniform([top, top], -Math.sqrt(3 / top), Math.sqrt(3 / top)), true, name('query')) : undefined;
    const feat = this.featureWidth();
    this.heads = spec.heads.map((v, k) => {
      const limit = Math.sqrt(6 / (feat + v));
      return {
        kernel: tf.variable(tf.randomUniform([feat, v], -limit, limit), true, name(`head${k}_kernel`)),
        bias: tf.variable(tf.zeros([v]), true, name(`head${k}_bias`)),
      };
    });
    this.optimizer = new Adam(this.variables().map((v) => v.size), this.learningRate);
  }

  /** Width of the vector the heads read. */
  featureWidth(): number {
    const top = this.spec.hidden[this.spec.hidden.length - 1];
    return this.spec.bidirectional || this.spec.attention ? 2 * top : top;
  }

  /** Every trainable variable in a fixed order (the order of `getWeights`). */
  variables(): tf.Variable[] {
    return [
      ...this.embeddings.filter((e): e is tf.Variable => !!e),
      ...this.forward.variables(),
      ...(this.backward?.variables() ?? []),
      ...(this.query ? [this.query] : []),
      ...this.heads.flatMap((h) => [h.kernel, h.bias]),
    ];
  }

  /** Stable names of `variables()` (used by serialize and the stepper). */
  weightNames(): string[] {
    const names: string[] = [];
    this.embeddings.forEach((e, k) => { if (e) names.push(`input${k}.embedding`); });
    const stack = (dir: string) => this.spec.hidden.forEach((_, l) => names.push(`${dir}.${l}.kernel`, `${dir}.${l}.recurrentKernel`, `${dir}.${l}.bias`));
    stack('forward');
    if (this.backward) stack('backward');
    if (this.query) names.push('attention.query');
    this.heads.forEach((_, k) => names.push(`head${k}.kernel`, `head${k}.bias`));
    return names;
  }

  /** Copies of all weights with names and shapes. */
  getWeights(): NamedWeight[] {
    const names = this.weightNames();
    return this.variables().map((v, i) => ({ name: names[i], shape: [...v.shape], data: readFloats(v).slice() }));
  }

  /** Replaces all weights; names and shapes must match this network exactly. */
  setWeights(weights: NamedWeight[]): void {
    const names = this.weightNames();
    const vars = this.variables();
    const byName = new Map(weights.map((w) => [w.name, w]));
    vars.forEach((v, i) => {
      const w = byName.get(names[i]);
      if (!w) throw new MixtapeError('BAD_ARGUMENT', `model weights lack ${names[i]}; the model file does not match its spec`);
      const size = v.shape.reduce((a, b) => a * b, 1);
      if (w.shape.join('x') !== v.shape.join('x') || w.data.length !== size) {
        throw new MixtapeError('BAD_ARGUMENT', `model weight ${names[i]} has shape [${w.shape}], expected [${v.shape}]`);
      }
      tf.tidy(() => v.assign(tf.tensor(w.data, v.shape)));
    });
  }

  /** Frees every variable (the optimizer state is plain arrays). */
  dispose(): void {
    for (const v of this.variables()) v.dispose();
  }

  /** Checks a batch against the spec. */
  private checkBatch(b: Batch): void {
    const n = b.batch * b.steps;
    const bad = (m: string) => { throw new MixtapeError('BAD_ARGUMENT', `bad batch: ${m}`); };
    if (!(b.batch > 0 && b.steps > 0)) bad('batch and steps must be positive');
    if (b.inputs.length !== this.spec.inputs.length) bad(`expected ${this.spec.inputs.length} inputs, got ${b.inputs.length}`);
    this.spec.inputs.forEach((s, k) => {
      const want = s.kind === 'dense' ? n * s.size : n;
      if (b.inputs[k].length !== want) bad(`input ${k} has ${b.inputs[k].length} values, expected ${want}`);
    });
    if (b.targets.length !== this.spec.heads.length || b.targets.some((t) => t.length !== n)) bad(`expected ${this.spec.heads.length} target arrays of ${n}`);
  }

  /** Per-step input features [B, T, width]. */
  private features(b: Batch): tf.Tensor3D {
    const n = b.batch * b.steps;
    const parts = this.spec.inputs.map((s, k) => {
      const data = b.inputs[k];
      if (s.kind === 'dense') return tf.tensor2d(data as Float32Array, [n, s.size]);
      const tokens = data instanceof Int32Array ? data : Int32Array.from(data);
      if (s.kind === 'onehot') {
        const ids = tf.tensor1d(tokens, 'int32');
        return tf.oneHot(ids, s.size).toFloat();
      }
      return embed(this.embeddings[k]!, tokens, s.size, s.dim);
    });
    const x = parts.length === 1 ? parts[0] : tf.concat(parts, 1);
    return x.reshape([b.batch, b.steps, inputWidth(this.spec.inputs)]);
  }

  /** Attention context [B, T, H] over the previous `attention` top outputs inside the window. */
  private context(y: tf.Tensor3D): tf.Tensor3D {
    const [B, T, H] = y.shape;
    const n = this.spec.attention!;
    const q = tf.matMul(y.reshape([B * T, H]), this.query!).reshape([B, T, H]);
    const shifted: tf.Tensor3D[] = [];
    const scores: tf.Tensor[] = [];
    const maskRows: number[] = [];
    for (let j = 1; j <= n; j++) {
      const s = j >= T ? tf.zeros([B, T, H]) as tf.Tensor3D : tf.concat([tf.zeros([B, j, H]), y.slice([0, 0, 0], [B, T - j, H])], 1) as tf.Tensor3D;
      shifted.push(s);
      scores.push(tf.sum(tf.mul(q, s), -1));
      for (let t = 0; t < T; t++) maskRows.push(t >= j ? 0 : -1e9);
    }
    // mask [n, T] -> [1, T, n]
    const mask = tf.tensor2d(maskRows, [n, T]).transpose().expandDims(0);
    const a = tf.softmax(tf.add(tf.div(tf.stack(scores, 2), Math.sqrt(H)), mask)); // [B, T, n]
    let ctx = tf.zeros([B, T, H]) as tf.Tensor3D;
    for (let j = 0; j < n; j++) ctx = tf.add(ctx, tf.mul(a.slice([0, 0, j], [B, T, 1]), shifted[j]));
    return ctx;
  }

  /** Logits per head: [B*T, V] (or [B, V] for bidirectional nets). */
  private logits(b: Batch, training: boolean): tf.Tensor2D[] {
    const feat = this.headInput(b, training);
    return this.heads.map((h) => tf.add(tf.matMul(feat, h.kernel), h.bias) as tf.Tensor2D);
  }

  /** What the heads read: [B*T, F] (or [B, F] for bidirectional nets), after dropout when training. */
  private headInput(b: Batch, training: boolean): tf.Tensor2D {
    const x = this.features(b);
    const { batch: B, steps: T } = b;
    const inputGrad = this.embeddings.some((e) => !!e);
    const opts = { training, dropout: this.spec.dropout, inputGrad };
    const y = this.forward.apply(x, opts);
    const top = this.spec.hidden[this.spec.hidden.length - 1];
    let feat: tf.Tensor2D;
    if (this.backward) {
      const yb = this.backward.apply(tf.reverse(x, 1), opts);
      const last = (t: tf.Tensor3D) => t.slice([0, T - 1, 0], [B, 1, top]).reshape([B, top]);
      feat = tf.concat([last(y), last(yb)], 1) as tf.Tensor2D;
    } else if (this.query) {
      feat = tf.concat([y, this.context(y)], 2).reshape([B * T, 2 * top]);
    } else feat = y.reshape([B * T, top]);
    if (training && this.spec.dropout > 0) feat = tf.dropout(feat, this.spec.dropout) as tf.Tensor2D;
    return feat;
  }

  /** Targets the heads are scored on: all positions, or the last one per row (bidirectional). */
  private headTargets(b: Batch, k: number): Int32Array {
    const t = b.targets[k];
    if (!this.backward) return t;
    return Int32Array.from({ length: b.batch }, (_, r) => t[r * b.steps + b.steps - 1]);
  }

  /** Summed NLL per head ([heads] tensor, differentiable), correct counts and counts, by the fused heads. */
  private score(b: Batch, training: boolean): { nll: tf.Tensor1D; correct: number[]; count: number[] } {
    const targets = this.spec.heads.map((_, k) => this.headTargets(b, k));
    return this.fused.losses(this.headInput(b, training), this.heads, targets);
  }

  /** Scored positions per head in a batch (targets in [0, V)), as the fused heads count them. */
  headCounts(b: Batch): number[] {
    return this.spec.heads.map((v, k) => {
      let n = 0;
      for (const t of this.headTargets(b, k)) if (t >= 0 && t < v) n++;
      return n;
    });
  }

  /**
   * Gradients of sum_k scale_k * NLL_k over the batch, one array per variable (the order of
   * `variables()`), with the per-head NLL sums, correct counts and counts. With scale_k =
   * 1 / (positions of head k in the WHOLE batch), the gradients of the parts of a batch add up
   * to the gradient of the whole: that is what the data-parallel step (parallel.ts) relies on.
   * `into` (one array per variable, of its size): written there instead of new arrays.
   */
  gradients(b: Batch, scales: number[], into?: Float32Array[]): GradientResult {
    this.checkBatch(b);
    let counts: number[] = [];
    let correct: number[] = [];
    let nll: number[] = [];
    let grads: Float32Array[] = [];
    // Assigned, not returned: tf.tidy walks a returned value element by element (seconds for typed arrays).
    tf.tidy(() => {
      const { value, grads: named } = tf.variableGrads(() => {
        const s = this.score(b, true);
        counts = s.count;
        correct = s.correct;
        const sums = s.nll;
        nll = Array.from(sums.dataSync());
        return tf.sum(tf.mul(sums, tf.tensor1d(scales))) as tf.Scalar;
      }, this.variables());
      value.dispose();
      grads = this.variables().map((v, i) => {
        const g = readFloats(named[v.name]);
        if (!into) return g.slice();
        into[i].set(g);
        return into[i];
      });
    });
    return { grads, nll, correct, count: counts };
  }

  /** One Adam step with these gradients (the order of `variables()`), clipped to `clipNorm` by global norm. */
  applyGradients(grads: Float32Array[]): void {
    let sq = 0;
    for (const g of grads) for (let i = 0; i < g.length; i++) sq += g[i] * g[i];
    const norm = Math.sqrt(sq);
    const scale = Number.isFinite(norm) && norm > this.clipNorm ? this.clipNorm / norm : 1;
    this.optimizer.apply(this.variables(), grads, scale);
  }

  /** One Adam step on a batch; returns the mean loss and accuracy per head. */
  trainStep(b: Batch): TrainStepResult {
    const counts = this.headCounts(b);
    const g = this.gradients(b, counts.map((c) => 1 / Math.max(1, c)));
    this.applyGradients(g.grads);
    return stepResult(g.nll, g.correct, g.count);
  }

  /** Forward pass without training: NLL sum, correct and count per head. */
  evaluate(b: Batch): EvalResult {
    this.checkBatch(b);
    return tf.tidy(() => {
      const s = this.score(b, false);
      return { nll: Array.from(s.nll.dataSync()), correct: s.correct, count: s.count };
    });
  }

  /** Logits per head as plain arrays ([B*T*V], or [B*V] for bidirectional nets); for tests and checks. */
  predictLogits(b: Batch): Float32Array[] {
    this.checkBatch(b);
    return tf.tidy(() => this.logits(b, false).map((l) => Float32Array.from(l.dataSync() as Float32Array)));
  }
}

/** Builds a trainable network holding a loaded model's weights. @example networkFrom(await loadModel('models/celtic')) */
export function networkFrom(model: { spec: NetSpec; weights: NamedWeight[] }): SequenceNetwork {
  const net = new SequenceNetwork(model.spec);
  net.setWeights(model.weights);
  return net;
}
