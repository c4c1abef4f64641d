/**
 * Fast inference for generation: step a trained network one event at a time for a batch of
 * streams, carrying (h, c) between steps. No tf ops: plain loops on Float32Arrays of one heap,
 * with the matrix products done by the SIMD kernel of simd.ts (a JS loop where wasm SIMD is
 * missing). Everything is allocated once in the constructor; a step allocates nothing.
 *
 * - one-hot and embedding inputs are row lookups: the first layer's kernel rows for a one-hot
 *   input, and a precomputed table E x W_rows for an embedding input (same math, one add).
 * - attention keeps a ring buffer of the last n top outputs per stream.
 * - bidirectional nets cannot be stepped (their backward direction must re-read the whole
 *   window): `predictWindow` runs both directions over the window, 2 x T cell updates per event.
 */
import { createHeap, pad16, type Heap } from './simd.ts';
import { inputWidth, validateSpec, type NamedWeight, type NetSpec } from './spec.ts';
import { MixtapeError } from '../errors.ts';

/** One stream's input at one step: per input a token (one-hot/embedding) or a feature vector (dense). */
export type StepInput = (number | Float32Array | number[])[];

interface Layer { H: number; Hp: number; G: number; w: number; r: number; b: number; h: number; c: number; z: number; tc: number; inRows: number }
interface Direction { layers: Layer[]; tables: (number | undefined)[]; dense: number; denseWidth: number }

/**
 * Steps a network over S streams.
 * @example const s = new Stepper(spec, net.getWeights(), 1); const logits = s.step([[60]])[0][0];
 */
export class Stepper {
  readonly spec: NetSpec;
  readonly streams: number;
  private heap: Heap;
  private dirs: Direction[] = [];
  private weights: Map<string, NamedWeight>;
  private heads: { w: number; b: number; V: number; Vp: number }[] = [];
  private feat: number;
  private featWidth: number;
  private logits: number;
  private out: Float32Array[][];
  private attn?: { q: number; wq: number; ring: number; n: number; pos: number; filled: number; scores: Float64Array };
  private scratch: number;
  private stateSize = 0;

  constructor(spec: NetSpec, weights: NamedWeight[], streams = 1) {
    validateSpec(spec);
    if (!(Number.isInteger(streams) && streams > 0)) throw new MixtapeError('BAD_ARGUMENT', 'streams must be a positive integer');
    this.spec = spec;
    this.streams = streams;
    this.heap = createHeap();
    this.weights = new Map(weights.map((w) => [w.name, w]));
    const S = streams;
    this.dirs.push(this.buildDirection('forward'));
    if (spec.bidirectional) this.dirs.push(this.buildDirection('backward'));
    const top = spec.hidden[spec.hidden.length - 1];
    const Hp = pad16(top);
    if (spec.attention) {
      const n = spec.attention;
      const wq = this.heap.alloc(Hp * Hp);
      const q = this.weight('attention.query', [top, top]);
      for (let i = 0; i < top; i++) this.heap.f32.set(q.subarray(i * top, (i + 1) * top), wq + i * Hp);
      this.attn = { q: this.heap.alloc(S * Hp), wq, ring: this.heap.alloc(n * S * Hp), n, pos: 0, filled: 0, scores: new Float64Array(n) };
    }
    this.featWidth = spec.bidirectional || spec.attention ? 2 * top : top;
    this.feat = this.heap.alloc(S * this.featWidth);
    let logitsSize = 0;
    this.heads = spec.heads.map((V, k) => {
      const Vp = pad16(V);
      const w = this.heap.alloc(this.featWidth * Vp);
      const b = this.heap.alloc(Vp);
      const kw = this.weight(`head${k}.kernel`, [this.featWidth, V]);
      for (let i = 0; i < this.featWidth; i++) this.heap.f32.set(kw.subarray(i * V, (i + 1) * V), w + i * Vp);
      this.heap.f32.set(this.weight(`head${k}.bias`, [V]), b);
      logitsSize += S * Vp;
      return { w, b, V, Vp };
    });
    this.logits = this.heap.alloc(logitsSize);
    this.scratch = this.heap.alloc(this.maxStateRows());
    // views stay valid: nothing is allocated after this point
    const f = this.heap.f32;
    this.out = Array.from({ length: S }, (_, s) => {
      let o = this.logits;
      return this.heads.map((h) => {
        const view = f.subarray(o + s * h.Vp, o + s * h.Vp + h.V);
        o += S * h.Vp;
        return view;
      });
    });
  }

  private maxStateRows(): number {
    let n = 0;
    for (const d of this.dirs) for (const l of d.layers) n = Math.max(n, this.streams * l.Hp);
    if (this.attn) n = Math.max(n, this.attn.n * this.streams * pad16(this.spec.hidden[this.spec.hidden.length - 1]));
    return n;
  }

  private weight(name: string, shape: number[]): Float32Array {
    const w = this.weights.get(name);
    const size = shape.reduce((a, b) => a * b, 1);
    if (!w || w.data.length !== size) throw new MixtapeError('BAD_ARGUMENT', `model weight ${name} is missing or has the wrong size (expected [${shape}])`);
    return w.data;
  }

  /** Packs one direction's layers; the first layer's one-hot/embedding rows become lookup tables. */
  private buildDirection(dir: string): Direction {
    const S = this.streams;
    const f = () => this.heap.f32;
    const spec = this.spec;
    const layers: Layer[] = [];
    let inSize = inputWidth(spec.inputs);
    const tables: (number | undefined)[] = [];
    let dense = 0;
    let denseWidth = 0;
    spec.hidden.forEach((H, l) => {
      const Hp = pad16(H);
      const G = 4 * Hp;
      const kernel = this.weight(`${dir}.${l}.kernel`, [inSize, 4 * H]);
      const rec = this.weight(`${dir}.${l}.recurrentKernel`, [H, 4 * H]);
      const bias = this.weight(`${dir}.${l}.bias`, [4 * H]);
      const packRow = (src: Float32Array, row: number, dst: number) => {
        for (let g = 0; g < 4; g++) f().set(src.subarray(row * 4 * H + g * H, row * 4 * H + (g + 1) * H), dst + g * Hp);
      };
      const r = this.heap.alloc(Hp * G);
      for (let i = 0; i < H; i++) packRow(rec, i, r + i * G);
      const b = this.heap.alloc(G);
      packRow(bias, 0, b);
      let w = 0;
      let inRows = 0;
      if (l === 0) {
        denseWidth = spec.inputs.reduce((n, s) => n + (s.kind === 'dense' ? s.size : 0), 0);
        dense = this.heap.alloc(S * Math.max(denseWidth, 1));
        w = this.heap.alloc(Math.max(denseWidth, 1) * G);
        let offset = 0;
        let denseRow = 0;
        spec.inputs.forEach((s, k) => {
          if (s.kind === 'dense') {
            for (let i = 0; i < s.size; i++) packRow(kernel, offset + i, w + (denseRow + i) * G);
            denseRow += s.size;
            tables.push(undefined);
          } else if (s.kind === 'onehot') {
            const t = this.heap.alloc(s.size * G);
            for (let i = 0; i < s.size; i++) packRow(kernel, offset + i, t + i * G);
            tables.push(t);
          } else {
            // embedding then projection, folded: table[v] = E[v] x W[offset .. offset + dim]
            const E = this.weight(`input${k}.embedding`, [s.size, s.dim]);
            const t = this.heap.alloc(s.size * G);
            const row = new Float32Array(4 * H);
            for (let v = 0; v < s.size; v++) {
              const acc = new Float64Array(4 * H);
              for (let d = 0; d < s.dim; d++) {
                const e = E[v * s.dim + d];
                const kr = (offset + d) * 4 * H;
                for (let j = 0; j < 4 * H; j++) acc[j] += e * kernel[kr + j];
              }
              row.set(acc);
              packRow(row, 0, t + v * G);
            }
            tables.push(t);
          }
          offset += s.kind === 'embedding' ? s.dim : s.size;
        });
        inRows = denseWidth;
      } else {
        const Ip = pad16(inSize);
        w = this.heap.alloc(Ip * G);
        for (let i = 0; i < inSize; i++) packRow(kernel, i, w + i * G);
        inRows = Ip;
      }
      layers.push({ H, Hp, G, w, r, b, h: this.heap.alloc(S * Hp), c: this.heap.alloc(S * Hp), z: this.heap.alloc(S * G), tc: this.heap.alloc(S * Hp), inRows });
      this.stateSize += 2 * S * Hp;
      inSize = H;
    });
    return { layers, tables, dense, denseWidth };
  }

  /** Zeroes every stream's state (and the attention history). */
  reset(): void {
    const f = this.heap.f32;
    for (const d of this.dirs) for (const l of d.layers) {
      f.fill(0, l.h, l.h + this.streams * l.Hp);
      f.fill(0, l.c, l.c + this.streams * l.Hp);
    }
    if (this.attn) {
      this.attn.pos = 0;
      this.attn.filled = 0;
    }
  }

  /** Runs one direction's stack one step; leaves the top h in the top layer's h buffer. */
  private advance(d: Direction, inputs: StepInput[]): void {
    const S = this.streams;
    const heap = this.heap;
    const f = heap.f32;
    d.layers.forEach((L, l) => {
      for (let s = 0; s < S; s++) f.copyWithin(L.z + s * L.G, L.b, L.b + L.G);
      if (l === 0) {
        let dcol = 0;
        this.spec.inputs.forEach((spec, k) => {
          const table = d.tables[k];
          for (let s = 0; s < S; s++) {
            const v = inputs[s][k];
            if (table === undefined) {
              const feats = v as ArrayLike<number>;
              if (feats.length !== spec.size) throw new MixtapeError('BAD_ARGUMENT', `dense input ${k} needs ${spec.size} features`);
              for (let i = 0; i < spec.size; i++) f[d.dense + s * d.denseWidth + dcol + i] = feats[i];
            } else {
              const tok = v as number;
              if (!(Number.isInteger(tok) && tok >= 0 && tok < spec.size)) continue; // unknown token: no contribution (like one-hot of -1)
              const src = table + tok * L.G;
              const z = L.z + s * L.G;
              for (let j = 0; j < L.G; j++) f[z + j] += f[src + j];
            }
          }
          if (table === undefined) dcol += spec.size;
        });
        if (d.denseWidth > 0) heap.gemm(d.dense, d.denseWidth, 1, L.w, L.G, L.z, L.G, S, d.denseWidth, L.G, true);
      } else {
        const below = d.layers[l - 1];
        heap.gemm(below.h, below.Hp, 1, L.w, L.G, L.z, L.G, S, below.H, L.G, true);
      }
      heap.gemm(L.h, L.Hp, 1, L.r, L.G, L.z, L.G, S, L.H, L.G, true);
      heap.cellFwd(L.z, L.G, L.c, L.Hp, L.c, L.tc, L.h, L.Hp, S, L.Hp);
    });
  }

  /** Attention context of the current top h into feat[:, H:2H], then pushes h into the ring. */
  private attend(top: Layer): void {
    const a = this.attn!;
    const S = this.streams;
    const { H, Hp } = top;
    const f = this.heap.f32;
    this.heap.gemm(top.h, Hp, 1, a.wq, Hp, a.q, Hp, S, H, Hp, false);
    const scale = 1 / Math.sqrt(H);
    for (let s = 0; s < S; s++) {
      const ctx = this.feat + s * this.featWidth + H;
      f.fill(0, ctx, ctx + H);
      if (a.filled === 0) continue;
      let max = -Infinity;
      for (let j = 1; j <= a.filled; j++) {
        const e = a.ring + (((a.pos - j) % a.n + a.n) % a.n) * S * Hp + s * Hp;
        let dot = 0;
        for (let i = 0; i < H; i++) dot += f[a.q + s * Hp + i] * f[e + i];
        a.scores[j - 1] = dot * scale;
        if (a.scores[j - 1] > max) max = a.scores[j - 1];
      }
      let sum = 0;
      for (let j = 0; j < a.filled; j++) sum += (a.scores[j] = Math.exp(a.scores[j] - max));
      for (let j = 1; j <= a.filled; j++) {
        const e = a.ring + (((a.pos - j) % a.n + a.n) % a.n) * S * Hp + s * Hp;
        const w = a.scores[j - 1] / sum;
        for (let i = 0; i < H; i++) f[ctx + i] += w * f[e + i];
      }
    }
    f.copyWithin(a.ring + a.pos * S * Hp, top.h, top.h + S * Hp);
    a.pos = (a.pos + 1) % a.n;
    a.filled = Math.min(a.n, a.filled + 1);
  }

  /** Heads on the feature buffer; returns the logits views [stream][head]. */
  private runHeads(): Float32Array[][] {
    const S = this.streams;
    const f = this.heap.f32;
    let o = this.logits;
    for (const h of this.heads) {
      for (let s = 0; s < S; s++) f.copyWithin(o + s * h.Vp, h.b, h.b + h.Vp);
      this.heap.gemm(this.feat, this.featWidth, 1, h.w, h.Vp, o, h.Vp, S, this.featWidth, h.Vp, true);
      o += S * h.Vp;
    }
    return this.out;
  }

  private copyTop(top: Layer, col: number): void {
    const f = this.heap.f32;
    for (let s = 0; s < this.streams; s++) f.copyWithin(this.feat + s * this.featWidth + col, top.h + s * top.Hp, top.h + s * top.Hp + top.H);
  }

  /**
   * One step for every stream: inputs[s] lists stream s's value per input. Returns logits
   * [stream][head]; the arrays are views overwritten by the next call (copy to keep).
   */
  step(inputs: StepInput[]): Float32Array[][] {
    if (this.spec.bidirectional) throw new MixtapeError('BAD_ARGUMENT', 'a bidirectional model cannot be stepped; use predictWindow');
    if (inputs.length !== this.streams) throw new MixtapeError('BAD_ARGUMENT', `step needs inputs for ${this.streams} streams`);
    const d = this.dirs[0];
    this.advance(d, inputs);
    const top = d.layers[d.layers.length - 1];
    this.copyTop(top, 0);
    if (this.attn) this.attend(top);
    return this.runHeads();
  }

  /**
   * Logits for the event after a window (window[t][s] = stream s's input at step t), from a zero
   * state. For bidirectional nets this is the only way to predict; it costs 2 x T cell updates.
   */
  predictWindow(window: StepInput[][]): Float32Array[][] {
    if (window.length === 0) throw new MixtapeError('BAD_ARGUMENT', 'predictWindow needs at least one step');
    this.reset();
    if (!this.spec.bidirectional) {
      let out = this.out;
      for (const x of window) out = this.step(x);
      return out;
    }
    const [fw, bw] = this.dirs;
    for (const x of window) this.advance(fw, x);
    for (let t = window.length - 1; t >= 0; t--) this.advance(bw, window[t]);
    this.copyTop(fw.layers[fw.layers.length - 1], 0);
    this.copyTop(bw.layers[bw.layers.length - 1], this.spec.hidden[this.spec.hidden.length - 1]);
    return this.runHeads();
  }

  /** Stream s takes the state of stream indices[s] (beam search). */
  reorder(indices: ArrayLike<number>): void {
    const S = this.streams;
    if (indices.length !== S || Array.prototype.some.call(indices, (i: number) => !(Number.isInteger(i) && i >= 0 && i < S))) {
      throw new MixtapeError('BAD_ARGUMENT', `reorder needs ${S} stream indices in [0, ${S})`);
    }
    const f = this.heap.f32;
    const permute = (buf: number, row: number, blocks = 1) => {
      for (let b = 0; b < blocks; b++) {
        const base = buf + b * S * row;
        f.copyWithin(this.scratch, base, base + S * row);
        for (let s = 0; s < S; s++) f.copyWithin(base + s * row, this.scratch + indices[s] * row, this.scratch + (indices[s] + 1) * row);
      }
    };
    for (const d of this.dirs) for (const l of d.layers) {
      permute(l.h, l.Hp);
      permute(l.c, l.Hp);
    }
    if (this.attn) permute(this.attn.ring, pad16(this.spec.hidden[this.spec.hidden.length - 1]), this.attn.n);
  }

  /** A snapshot of every stream's state (to restore with setState). */
  getState(): Float32Array {
    const parts: Float32Array[] = [];
    const f = this.heap.f32;
    for (const d of this.dirs) for (const l of d.layers) parts.push(f.slice(l.h, l.h + this.streams * l.Hp), f.slice(l.c, l.c + this.streams * l.Hp));
    if (this.attn) parts.push(f.slice(this.attn.ring, this.attn.ring + this.attn.n * this.streams * pad16(this.spec.hidden[this.spec.hidden.length - 1])), Float32Array.of(this.attn.pos, this.attn.filled));
    const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of parts) { out.set(p, o); o += p.length; }
    return out;
  }

  /** Restores a snapshot from getState. */
  setState(state: Float32Array): void {
    const f = this.heap.f32;
    let o = 0;
    const take = (dst: number, n: number) => { f.set(state.subarray(o, o + n), dst); o += n; };
    const expected = this.getState().length;
    if (state.length !== expected) throw new MixtapeError('BAD_ARGUMENT', `state snapshot has ${state.length} values, expected ${expected}`);
    for (const d of this.dirs) for (const l of d.layers) { take(l.h, this.streams * l.Hp); take(l.c, this.streams * l.Hp); }
    if (this.attn) {
      take(this.attn.ring, this.attn.n * this.streams * pad16(this.spec.hidden[this.spec.hidden.length - 1]));
      this.attn.pos = state[o];
      this.attn.filled = state[o + 1];
    }
  }
}
