/**
 * A tiny matrix-multiply kernel for the fused LSTM, written as WebAssembly SIMD bytecode that
 * this module emits itself (no toolchain, no binary blob). Why: tfjs-wasm runs one op per call
 * with ~50-300 µs of overhead and has no fast path for transposed operands (measured here: 0.7
 * GFLOP/s for matMul(a, b, false, true) vs 5-12 GFLOP/s plain), so an LSTM window is dominated
 * by overhead. Here every buffer lives in one WebAssembly.Memory (the "heap"), JS loops do the
 * cheap element-wise gate math on Float32Array views, and `gemm` does the arithmetic.
 *
 * gemm: C[m, n] (+)= sum_k A[m*sam + k*sak] * B[k*ldb + n]  (strides in floats)
 * A is read one scalar at a time (so a transposed A costs nothing); B and C rows are read as
 * f32x4 vectors, so N must be a multiple of 16: callers pad their widths (see `pad16`).
 * Register blocking: 2 rows x 16 columns (8 accumulators) per inner loop.
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
};

/**
 * Body of a gemm over `rows` rows at a time. Params (all i32, byte offsets / byte strides):
 * 0 a, 1 sam, 2 sak, 3 b, 4 ldb, 5 c, 6 ldc, 7 M, 8 K, 9 N (bytes of a C row to fill), 10 acc.
 */
function gemmBody(rows: number): number[] {
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
      emit(op.get(accIdx(r, j)), op.get(sIdx), op.get(bIdx(j)), op.fmul, op.fadd, op.set(accIdx(r, j)));
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

function buildModule(): Uint8Array {
  const params = new Array(11).fill(I32);
  const types = section(1, vec([[0x60, ...uleb(params.length), ...params, 0]]));
  const imports = section(2, vec([[...str('env'), ...str('mem'), 0x02, 0x00, ...uleb(1)]]));
  const funcs = section(3, vec([[0], [0]]));
  const exports = section(7, vec([[...str('gemm2'), 0, 0], [...str('gemm1'), 0, 1]]));
  const code = section(10, [...uleb(2), ...gemmBody(2), ...gemmBody(1)]);
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
  /** 'wasm-simd' or 'js'. */
  kind: string;
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
  };
  heap.gemm = jsGemm(heap);
  if (forceJs) return heap;
  try {
    compiled ??= new WA.Module(buildModule());
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
