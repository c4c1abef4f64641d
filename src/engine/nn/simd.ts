/**
 * A tiny matrix-multiply kernel for the fused LSTM, written as WebAssembly SIMD bytecode that
 * this module emits itself (no toolchain, no binary blob). Why: tfjs-wasm runs one op per call
 * with ~50-300 µs of overhead and has no fast path for transposed operands (measured here: 0.7
 * GFLOP/s for matMul(a, b, false, true) vs 5-12 GFLOP/s plain), so an LSTM window is dominated
 * by overhead. Here every buffer lives in one WebAssembly.Memory (the "heap"); `gemm` does the
 * arithmetic and `cellFwd` / `cellBwd` the element-wise LSTM gate math (SIMD, with a
 * polynomial exp accurate to ~1e-7 relative), so a training step makes no per-element JS loops.
 *
 * gemm: C[m, n] (+)= sum_k A[m*sam + k*sak] * B[k*ldb + n]  (strides in floats)
 * A is read one scalar at a time (so a transposed A costs nothing); B and C rows are read as
 * f32x4 vectors, so N must be a multiple of 16: callers pad their widths (see `pad16`).
 * Register blocking: 2 rows x 16 columns (8 accumulators) per inner loop (4 rows spill registers
 * on x64 and measured slower). Multiply-adds use relaxed SIMD's f32x4.relaxed_madd (fused where
 * the CPU has FMA: ~1.4x measured here) when the runtime validates it, else mul + add;
 * MIXTAPE_NO_FMA=1 forces the latter (for comparisons).
 * Falls back to a plain JS loop with the same contract where WebAssembly SIMD is missing.
 */

/** Rounds a width up to the kernel's column granularity. @example pad16(157) // 160 */
export const pad16 = (n: number): number => Math.ceil(n / 16) * 16;

type GemmFn = (a: number, sam: number, sak: number, b: number, ldb: number, c: number, ldc: number, m: number, k: number, n: number, acc: number) => void;

// ---- a minimal WebAssembly binary writer -------------------------------------------------
const uleb = (v: number): number[] => {
  const out: number[] = [];
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
};
const sleb = (v: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
};
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const str = (s: string): number[] => [...uleb(s.length), ...[...s].map((ch) => ch.charCodeAt(0))];

const I32 = 0x7f;
const V128 = 0x7b;
const op = {
  get: (i: number) => [0x20, ...uleb(i)],
  set: (i: number) => [0x21, ...uleb(i)],
  tee: (i: number) => [0x22, ...uleb(i)],
  i32: (v: number) => [0x41, ...sleb(v)],
  add: [0x6a],
  mul: [0x6c],
  geS: [0x4e],
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  if: [0x04, 0x40],
  else: [0x05],
  end: [0x0b],
  br: (d: number) => [0x0c, ...uleb(d)],
  brIf: (d: number) => [0x0d, ...uleb(d)],
  f32load: (offset: number) => [0x2a, 2, ...uleb(offset)],
  vload: (offset: number) => [0xfd, ...uleb(0), 0, ...uleb(offset)],
  vstore: (offset: number) => [0xfd, ...uleb(11), 0, ...uleb(offset)],
  splat: [0xfd, ...uleb(19)],
  vzero: [0xfd, ...uleb(12), ...new Array(16).fill(0)],
  fadd: [0xfd, ...uleb(228)],
  fmul: [0xfd, ...uleb(230)],
  /** f32x4.relaxed_madd (a * b + c, fused where the CPU can): relaxed SIMD. */
  madd: [0xfd, ...uleb(0x105)],
};

/**
 * Body of a gemm over `rows` rows at a time. Params (all i32, byte offsets / byte strides):
 * 0 a, 1 sam, 2 sak, 3 b, 4 ldb, 5 c, 6 ldc, 7 M, 8 K, 9 N (bytes of a C row to fill), 10 acc.
 */
function gemmBody(rows: number, fma: boolean): number[] {
  const [A, SAM, SAK, B, LDB, C, LDC, M, K, N, ACC] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  // i32 locals
  const m = 11, n = 12, k = 13, pa = 14, pb = 15, pc = 16, rowA = 17, rowC = 18;
  const v0 = 19; // v128 locals: rows*4 accumulators, then 4 B vectors, then 1 splat
  const accIdx = (r: number, j: number) => v0 + r * 4 + j;
  const bIdx = (j: number) => v0 + rows * 4 + j;
  const sIdx = v0 + rows * 4 + 4;
  const code: number[] = [];
  const emit = (...parts: number[][]) => { for (const p of parts) code.push(...p); };
  emit(op.i32(0), op.set(m));
  emit(op.get(A), op.set(rowA), op.get(C), op.set(rowC));
  emit(op.block, op.loop, op.get(m), op.get(M), op.geS, op.brIf(1));
  //   for n in 0..N step 64 bytes
  emit(op.i32(0), op.set(n));
  emit(op.block, op.loop, op.get(n), op.get(N), op.geS, op.brIf(1));
  emit(op.get(rowC), op.get(n), op.add, op.set(pc));
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < 4; j++) {
      // acc ? load C : zero
      emit(op.get(ACC), [0x04, V128]);
      emit(op.get(pc));
      if (r > 0) emit(op.get(LDC), op.i32(r), op.mul, op.add);
      emit(op.vload(j * 16), op.else, op.vzero, op.end, op.set(accIdx(r, j)));
    }
  }
  emit(op.get(rowA), op.set(pa), op.get(B), op.get(n), op.add, op.set(pb));
  emit(op.i32(0), op.set(k));
  emit(op.block, op.loop, op.get(k), op.get(K), op.geS, op.brIf(1));
  for (let j = 0; j < 4; j++) emit(op.get(pb), op.vload(j * 16), op.set(bIdx(j)));
  for (let r = 0; r < rows; r++) {
    emit(op.get(pa));
    if (r > 0) emit(op.get(SAM), op.add);
    emit(op.f32load(0), op.splat, op.set(sIdx));
    for (let j = 0; j < 4; j++) {
      if (fma) emit(op.get(sIdx), op.get(bIdx(j)), op.get(accIdx(r, j)), op.madd, op.set(accIdx(r, j)));
      else emit(op.get(accIdx(r, j)), op.get(sIdx), op.get(bIdx(j)), op.fmul, op.fadd, op.set(accIdx(r, j)));
    }
  }
  emit(op.get(pa), op.get(SAK), op.add, op.set(pa));
  emit(op.get(pb), op.get(LDB), op.add, op.set(pb));
  emit(op.get(k), op.i32(1), op.add, op.set(k), op.br(0), op.end, op.end);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < 4; j++) {
      emit(op.get(pc));
      if (r > 0) emit(op.get(LDC), op.i32(r), op.mul, op.add);
      emit(op.get(accIdx(r, j)), op.vstore(j * 16));
    }
  }
  emit(op.get(n), op.i32(64), op.add, op.set(n), op.br(0), op.end, op.end);
  // next row group
  emit(op.get(rowA), op.get(SAM), op.i32(rows), op.mul, op.add, op.set(rowA));
  emit(op.get(rowC), op.get(LDC), op.i32(rows), op.mul, op.add, op.set(rowC));
  emit(op.get(m), op.i32(rows), op.add, op.set(m), op.br(0), op.end, op.end);
  const locals = vec([[...uleb(8), I32], [...uleb(rows * 4 + 5), V128]]);
  const body = [...locals, ...code, ...op.end];
  return [...uleb(body.length), ...body];
}

// ---- element-wise LSTM cell kernels ------------------------------------------------------
const f32const = (v: number): number[] => [0xfd, 12, ...new Uint8Array(new Float32Array([v, v, v, v]).buffer)];
const simd = (code: number) => [0xfd, ...uleb(code)];
const v = {
  sub: simd(229), div: simd(231), min: simd(232), max: simd(233), nearest: simd(106),
  truncSat: simd(248), i32splat: simd(17), i32add: simd(174), i32shl: simd(171),
};

/**
 * exp of the f32x4 in local `x` (clobbered), left on the stack; `n` is a v128 scratch local.
 * Cephes expf: 2^round(x log2 e) * p(r) with a two-part ln 2 and a degree-5 polynomial
 * (relative error ~1e-7 over the clamped range; the clamp keeps 2^n a normal float).
 */
function emitExp(x: number, n: number): number[] {
  const c = [1.9875691500e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1];
  const code = [
    ...op.get(x), ...f32const(-87), ...v.max, ...f32const(88), ...v.min, ...op.set(x),
    ...op.get(x), ...f32const(Math.LOG2E), ...op.fmul, ...v.nearest, ...op.set(n),
    ...op.get(x), ...op.get(n), ...f32const(0.693359375), ...op.fmul, ...v.sub,
    ...op.get(n), ...f32const(-2.12194440e-4), ...op.fmul, ...v.sub, ...op.set(x),
    ...f32const(c[0]),
  ];
  for (const k of c.slice(1)) code.push(...op.get(x), ...op.fmul, ...f32const(k), ...op.fadd);
  code.push(...op.get(x), ...op.fmul, ...op.get(x), ...op.fmul, ...op.get(x), ...op.fadd, ...f32const(1), ...op.fadd);
  code.push(...op.get(n), ...v.truncSat, ...op.i32(127), ...v.i32splat, ...v.i32add, ...op.i32(23), ...v.i32shl, ...op.fmul);
  return code;
}

/** 1 / (1 + exp(-k x)) of local x (clobbered) on the stack: sigmoid (k = 1) or the tanh core (k = 2). */
function emitLogistic(x: number, n: number, k: number): number[] {
  return [
    ...f32const(1),
    ...f32const(-k), ...op.get(x), ...op.fmul, ...op.set(x),
    ...f32const(1), ...emitExp(x, n), ...op.fadd, ...v.div,
  ];
}
const emitSigmoid = (x: number, n: number) => emitLogistic(x, n, 1);
/** tanh(x) = 2 / (1 + exp(-2x)) - 1 (absolute error ~1e-7, like the JS reference in float32). */
const emitTanh = (x: number, n: number) => [...f32const(2), ...emitLogistic(x, n, 2), ...op.fmul, ...f32const(1), ...v.sub];

/** Wraps a function body: i32 and v128 local counts, then code. */
function fnBody(i32Locals: number, v128Locals: number, code: number[]): number[] {
  const locals = vec([[...uleb(i32Locals), I32], [...uleb(v128Locals), V128]]);
  const body = [...locals, ...code, ...op.end];
  return [...uleb(body.length), ...body];
}

/**
 * A loop over `rows` rows (param index `rowsP`) of a loop over j in [0, N) bytes step 16:
 * `inner` emits the per-vector work; `advance` lists [pointer param, stride param] pairs.
 */
function rowLoop(rowsP: number, N: number, r: number, j: number, inner: number[], advance: [number, number][]): number[] {
  const code = [...op.i32(0), ...op.set(r), ...op.block, ...op.loop, ...op.get(r), ...op.get(rowsP), ...op.geS, ...op.brIf(1)];
  code.push(...op.i32(0), ...op.set(j), ...op.block, ...op.loop, ...op.get(j), ...op.get(N), ...op.geS, ...op.brIf(1));
  code.push(...inner, ...op.get(j), ...op.i32(16), ...op.add, ...op.set(j), ...op.br(0), ...op.end, ...op.end);
  for (const [p, s] of advance) code.push(...op.get(p), ...op.get(s), ...op.add, ...op.set(p));
  code.push(...op.get(r), ...op.i32(1), ...op.add, ...op.set(r), ...op.br(0), ...op.end, ...op.end);
  return code;
}

/**
 * cellFwd(z, sz, cp, scp, c, tc, h, sh, rows, N): per row, gate pre-activations at z (4 blocks
 * of N bytes) become i, f, g, o in place; c = f cp + i g, tc = tanh c, h = o tc. Byte offsets.
 */
function cellFwdBody(): number[] {
  const [Z, SZ, CP, SCP, C, TC, H, SH, ROWS, N] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const r = 10, j = 11, a = 12, n2 = 13, n3 = 14;
  const [x, t, vi, vf, vg, vo, vc] = [15, 16, 17, 18, 19, 20, 21];
  const gate = (k: number) => [...op.get(a), ...(k === 0 ? [] : [...op.get(k === 1 ? N : k === 2 ? n2 : n3), ...op.add])];
  const inner = [
    ...op.get(Z), ...op.get(j), ...op.add, ...op.set(a),
    ...gate(0), ...op.vload(0), ...op.set(x), ...gate(0), ...emitSigmoid(x, t), ...op.tee(vi), ...op.vstore(0),
    ...gate(1), ...op.vload(0), ...op.set(x), ...gate(1), ...emitSigmoid(x, t), ...op.tee(vf), ...op.vstore(0),
    ...gate(2), ...op.vload(0), ...op.set(x), ...gate(2), ...emitTanh(x, t), ...op.tee(vg), ...op.vstore(0),
    ...gate(3), ...op.vload(0), ...op.set(x), ...gate(3), ...emitSigmoid(x, t), ...op.tee(vo), ...op.vstore(0),
    // c = f * cp + i * g
    ...op.get(C), ...op.get(j), ...op.add,
    ...op.get(vf), ...op.get(CP), ...op.get(j), ...op.add, ...op.vload(0), ...op.fmul, ...op.get(vi), ...op.get(vg), ...op.fmul, ...op.fadd,
    ...op.tee(vc), ...op.vstore(0),
    ...op.get(vc), ...op.set(x),
    ...op.get(TC), ...op.get(j), ...op.add, ...emitTanh(x, t), ...op.tee(vc), ...op.vstore(0),
    ...op.get(H), ...op.get(j), ...op.add, ...op.get(vo), ...op.get(vc), ...op.fmul, ...op.vstore(0),
  ];
  const code = [
    ...op.get(N), ...op.i32(2), ...op.mul, ...op.set(n2), ...op.get(N), ...op.i32(3), ...op.mul, ...op.set(n3),
    ...rowLoop(ROWS, N, r, j, inner, [[Z, SZ], [CP, SCP], [C, SH], [TC, SH], [H, SH]]),
  ];
  return fnBody(5, 7, code);
}

/**
 * cellBwd(z, dz, sz, cp, scp, tc, dH, sh, dhn, dcn, rows, N): per row, from the activations at
 * z, c_{t-1} at cp, tanh(c) at tc, the output gradient dH plus the carried dh (dhn) and dc
 * (dcn): writes the gate pre-activation gradients at dz and the carried dc (dcn) for step t-1.
 */
function cellBwdBody(): number[] {
  const [Z, DZ, SZ, CP, SCP, TC, DH, SH, DHN, DCN, ROWS, N] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const r = 12, j = 13, a = 14, d = 15, n2 = 16, n3 = 17;
  const [vi, vf, vg, vo, vt, dh, dc] = [18, 19, 20, 21, 22, 23, 24];
  const at = (base: number, k: number) => [...op.get(base), ...(k === 0 ? [] : [...op.get(k === 1 ? N : k === 2 ? n2 : n3), ...op.add])];
  const one = f32const(1);
  const ptr = (p: number) => [...op.get(p), ...op.get(j), ...op.add];
  const inner = [
    ...op.get(Z), ...op.get(j), ...op.add, ...op.set(a),
    ...op.get(DZ), ...op.get(j), ...op.add, ...op.set(d),
    ...at(a, 0), ...op.vload(0), ...op.set(vi), ...at(a, 1), ...op.vload(0), ...op.set(vf),
    ...at(a, 2), ...op.vload(0), ...op.set(vg), ...at(a, 3), ...op.vload(0), ...op.set(vo),
    ...ptr(TC), ...op.vload(0), ...op.set(vt),
    ...ptr(DH), ...op.vload(0), ...ptr(DHN), ...op.vload(0), ...op.fadd, ...op.set(dh),
    // dc = dcn + dh * o * (1 - tc^2)
    ...ptr(DCN), ...op.vload(0), ...op.get(dh), ...op.get(vo), ...op.fmul, ...one, ...op.get(vt), ...op.get(vt), ...op.fmul, ...v.sub, ...op.fmul, ...op.fadd, ...op.set(dc),
    ...at(d, 0), ...op.get(dc), ...op.get(vg), ...op.fmul, ...op.get(vi), ...op.fmul, ...one, ...op.get(vi), ...v.sub, ...op.fmul, ...op.vstore(0),
    ...at(d, 1), ...op.get(dc), ...ptr(CP), ...op.vload(0), ...op.fmul, ...op.get(vf), ...op.fmul, ...one, ...op.get(vf), ...v.sub, ...op.fmul, ...op.vstore(0),
    ...at(d, 2), ...op.get(dc), ...op.get(vi), ...op.fmul, ...one, ...op.get(vg), ...op.get(vg), ...op.fmul, ...v.sub, ...op.fmul, ...op.vstore(0),
    ...at(d, 3), ...op.get(dh), ...op.get(vt), ...op.fmul, ...op.get(vo), ...op.fmul, ...one, ...op.get(vo), ...v.sub, ...op.fmul, ...op.vstore(0),
    ...ptr(DCN), ...op.get(dc), ...op.get(vf), ...op.fmul, ...op.vstore(0),
  ];
  const code = [
    ...op.get(N), ...op.i32(2), ...op.mul, ...op.set(n2), ...op.get(N), ...op.i32(3), ...op.mul, ...op.set(n3),
    ...rowLoop(ROWS, N, r, j, inner, [[Z, SZ], [DZ, SZ], [CP, SCP], [TC, SH], [DH, SH], [DHN, N], [DCN, N]]),
  ];
  return fnBody(6, 7, code);
}

/** Exports gemm2, gemm1 (11 params), cellFwd (10), cellBwd (12); all params i32, no results. */
function buildModule(fma: boolean): Uint8Array {
  const fnType = (n: number) => [0x60, ...uleb(n), ...new Array(n).fill(I32), 0];
  const types = section(1, vec([fnType(11), fnType(10), fnType(12)]));
  const imports = section(2, vec([[...str('env'), ...str('mem'), 0x02, 0x00, ...uleb(1)]]));
  const funcs = section(3, vec([[0], [0], [1], [2]]));
  const names = ['gemm2', 'gemm1', 'cellFwd', 'cellBwd'];
  const exports = section(7, vec(names.map((nm, i) => [...str(nm), 0, i])));
  const code = section(10, [...uleb(4), ...gemmBody(2, fma), ...gemmBody(1, fma), ...cellFwdBody(), ...cellBwdBody()]);
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...types, ...imports, ...funcs, ...exports, ...code]);
}

// The project's TS lib has no WebAssembly typings: declare the few members used here.
interface WasmMemory { buffer: ArrayBuffer; grow(pages: number): number }
interface WasmApi {
  Memory: new (d: { initial: number }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (m: object, imports: object) => { exports: Record<string, unknown> };
}
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
let compiled: object | undefined;
const K_BLOCK = 256;

// ---- the heap ----------------------------------------------------------------------------
const PAGE = 65536;

/** One growable float heap shared by every fused-LSTM buffer, plus the gemm over it. */
export interface Heap {
  /** Float view of the whole heap (re-read after `alloc`: growing replaces the buffer). */
  f32: Float32Array;
  /** Reserves `floats` zeroed floats (16-byte aligned); returns their float index. */
  alloc(floats: number): number;
  /** Forgets every allocation (callers must drop their offsets). */
  reset(): void;
  /** C = (acc ? C : 0) + A x B; offsets and strides in floats; n must be a multiple of 16. */
  gemm(a: number, sam: number, sak: number, b: number, ldb: number, c: number, ldc: number, m: number, k: number, n: number, acc: boolean): void;
  /**
   * LSTM cell forward over `rows` rows (offsets and strides in floats, hp = padded width): gate
   * pre-activations at z (blocks i, f, g, o of hp) become activations in place, then
   * c = f c_prev + i g, tc = tanh(c), h = o tc. c, tc, h share the row stride sh.
   */
  cellFwd(z: number, sz: number, cp: number, scp: number, c: number, tc: number, h: number, sh: number, rows: number, hp: number): void;
  /**
   * LSTM cell backward over `rows` rows: reads activations at z, c_prev at cp, tanh(c) at tc,
   * the output gradient dH (stride sh, like tc) plus the carried dh at dhn; writes the gate
   * gradients at dz (stride sz, like z) and replaces the carried dc at dcn (dhn, dcn: stride hp).
   */
  cellBwd(z: number, dz: number, sz: number, cp: number, scp: number, tc: number, dH: number, sh: number, dhn: number, dcn: number, rows: number, hp: number): void;
  /** 'wasm-simd' or 'js'. */
  kind: string;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
// tanh via exp: V8's Math.tanh is slower and the error (< 1e-15 absolute) is far below float32.
const tanh = (x: number): number => 2 / (1 + Math.exp(-2 * x)) - 1;

/** JS reference of Heap.cellFwd (the contract the wasm kernel is tested against). */
export function jsCellFwd(f: Float32Array, z: number, sz: number, cp: number, scp: number, c: number, tc: number, h: number, sh: number, rows: number, hp: number): void {
  for (let r = 0; r < rows; r++, z += sz, cp += scp, c += sh, tc += sh, h += sh) {
    for (let j = 0; j < hp; j++) {
      const i = sigmoid(f[z + j]);
      const fg = sigmoid(f[z + hp + j]);
      const g = tanh(f[z + 2 * hp + j]);
      const o = sigmoid(f[z + 3 * hp + j]);
      f[z + j] = i;
      f[z + hp + j] = fg;
      f[z + 2 * hp + j] = g;
      f[z + 3 * hp + j] = o;
      const cv = fg * f[cp + j] + i * g;
      f[c + j] = cv;
      const t = tanh(cv);
      f[tc + j] = t;
      f[h + j] = o * t;
    }
  }
}

/** JS reference of Heap.cellBwd. */
export function jsCellBwd(f: Float32Array, z: number, dz: number, sz: number, cp: number, scp: number, tc: number, dH: number, sh: number, dhn: number, dcn: number, rows: number, hp: number): void {
  for (let r = 0; r < rows; r++, z += sz, dz += sz, cp += scp, tc += sh, dH += sh, dhn += hp, dcn += hp) {
    for (let j = 0; j < hp; j++) {
      const i = f[z + j];
      const fg = f[z + hp + j];
      const g = f[z + 2 * hp + j];
      const o = f[z + 3 * hp + j];
      const t = f[tc + j];
      const dh = f[dH + j] + f[dhn + j];
      const dc = f[dcn + j] + dh * o * (1 - t * t);
      f[dz + j] = dc * g * i * (1 - i);
      f[dz + hp + j] = dc * f[cp + j] * fg * (1 - fg);
      f[dz + 2 * hp + j] = dc * i * (1 - g * g);
      f[dz + 3 * hp + j] = dh * t * o * (1 - o);
      f[dcn + j] = dc * fg;
    }
  }
}

function jsGemm(h: { f32: Float32Array }): Heap['gemm'] {
  return (a, sam, sak, b, ldb, c, ldc, m, k, n, acc) => {
    const f = h.f32;
    for (let i = 0; i < m; i++) {
      const ci = c + i * ldc;
      if (!acc) f.fill(0, ci, ci + n);
      for (let p = 0; p < k; p++) {
        const av = f[a + i * sam + p * sak];
        if (av === 0) continue;
        const bp = b + p * ldb;
        for (let j = 0; j < n; j++) f[ci + j] += av * f[bp + j];
      }
    }
  };
}

/** Creates a heap; uses the SIMD kernel unless `forceJs` or the runtime lacks wasm SIMD. */
export function createHeap(forceJs = false): Heap {
  const memory = new WA.Memory({ initial: 16 });
  let top = 0;
  const heap: Heap = {
    f32: new Float32Array(memory.buffer),
    kind: 'js',
    alloc(floats) {
      const start = top;
      top += Math.ceil(floats / 4) * 4;
      const needBytes = top * 4;
      if (needBytes > memory.buffer.byteLength) {
        memory.grow(Math.ceil((needBytes - memory.buffer.byteLength) / PAGE));
        heap.f32 = new Float32Array(memory.buffer);
      }
      heap.f32.fill(0, start, top);
      return start;
    },
    reset() { top = 0; },
    gemm: () => {},
    cellFwd: (...a) => jsCellFwd(heap.f32, ...a),
    cellBwd: (...a) => jsCellBwd(heap.f32, ...a),
  };
  heap.gemm = jsGemm(heap);
  if (forceJs) return heap;
  try {
    if (!compiled) {
      // relaxed SIMD (fused multiply-add) where the runtime has it, else plain SIMD
      try {
        compiled = new WA.Module(buildModule(process.env.MIXTAPE_NO_FMA !== '1'));
      } catch {
        compiled = new WA.Module(buildModule(false));
      }
    }
    const inst = new WA.Instance(compiled, { env: { mem: memory } });
    const g2 = inst.exports.gemm2 as GemmFn;
    const g1 = inst.exports.gemm1 as GemmFn;
    const run = (a: number, sam: number, sak: number, b: number, ldb: number, c: number, ldc: number, m: number, k: number, n: number, accI: number) => {
      const even = m & ~1;
      if (even > 0) g2(a * 4, sam * 4, sak * 4, b * 4, ldb * 4, c * 4, ldc * 4, even, k, n * 4, accI);
      if (m & 1) g1((a + even * sam) * 4, sam * 4, sak * 4, b * 4, ldb * 4, (c + even * ldc) * 4, ldc * 4, 1, k, n * 4, accI);
    };
    heap.gemm = (a, sam, sak, b, ldb, c, ldc, m, k, n, acc) => {
      // Long reductions (weight gradients over all B*T rows) in chunks so B's slice stays in cache.
      for (let k0 = 0; k0 < k; k0 += K_BLOCK) {
        const kc = Math.min(K_BLOCK, k - k0);
        run(a + k0 * sak, sam, sak, b + k0 * ldb, ldb, c, ldc, m, kc, n, acc || k0 > 0 ? 1 : 0);
      }
      if (k === 0 && !acc) for (let i = 0; i < m; i++) heap.f32.fill(0, c + i * ldc, c + i * ldc + n);
    };
    type CellFn = (...args: number[]) => void;
    const fwd = inst.exports.cellFwd as CellFn;
    const bwd = inst.exports.cellBwd as CellFn;
    heap.cellFwd = (z, sz, cp, scp, c, tc, h, sh, rows, hp) => fwd(z * 4, sz * 4, cp * 4, scp * 4, c * 4, tc * 4, h * 4, sh * 4, rows, hp * 4);
    heap.cellBwd = (z, dz, sz, cp, scp, tc, dH, sh, dhn, dcn, rows, hp) => bwd(z * 4, dz * 4, sz * 4, cp * 4, scp * 4, tc * 4, dH * 4, sh * 4, dhn * 4, dcn * 4, rows, hp * 4);
    heap.kind = 'wasm-simd';
  } catch {
    // no wasm SIMD here: the JS loop keeps everything working, only slower
  }
  return heap;
}

let shared: Heap | undefined;
/** The process-wide heap used by the fused LSTM and the stepper. */
export function sharedHeap(): Heap {
  shared ??= createHeap();
  return shared;
}
