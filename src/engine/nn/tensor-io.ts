/**
 * Floats between tf tensors and the kernels' heaps without a fresh ArrayBuffer per call where
 * the backend allows it. Why: a training step used to read and write about 10 MB of new buffers
 * (dataSync copies, unpadded outputs); V8 counts them as external memory and started a full GC
 * every two or three steps. On one thread that costs little, but on two threads that wait for
 * each other every step (parallel.ts) each pause stalls both, and the concurrent marking
 * competes with them for the two cores.
 */
import * as tf from '@tensorflow/tfjs';

/** What readFloats uses of tfjs-backend-wasm (internal, hence checked at every call). */
interface WasmInternals {
  dataIdMap?: { get(id: object): { memoryOffset?: unknown } | undefined };
  wasm?: { HEAPU8?: Uint8Array };
}

/** True where a tensor made from an array copies it at once (wasm), so the array may be reused. */
export const copiesOnWrite = (): boolean => tf.getBackend() === 'wasm';

/**
 * A float32 tensor's values. On wasm a view of the backend's memory: copy it out at once,
 * before any other tf call (which may move or grow that memory), and never write to it.
 * Elsewhere (and for other dtypes) `dataSync()`.
 */
export function readFloats(t: tf.Tensor): Float32Array {
  if (t.dtype === 'float32' && !t.isDisposed && copiesOnWrite()) {
    const be = tf.backend() as unknown as WasmInternals;
    const info = be.dataIdMap?.get(t.dataId);
    const heap = be.wasm?.HEAPU8;
    if (heap && typeof info?.memoryOffset === 'number') return new Float32Array(heap.buffer, info.memoryOffset, t.size);
  }
  return t.dataSync() as Float32Array;
}

/**
 * Arrays for values that go straight into a new tensor: one growing buffer, reused, where the
 * backend copies on write; a fresh array elsewhere (cpu keeps the array it is given).
 * Use each result before asking for the next.
 */
export class TensorScratch {
  #buf = new Float32Array(0);

  get(n: number): Float32Array {
    if (!copiesOnWrite()) return new Float32Array(n);
    if (this.#buf.length < n) this.#buf = new Float32Array(n);
    return this.#buf.subarray(0, n);
  }
}

/**
 * [rows, n] from heap rows of stride np (n <= np), for a tensor made at once: a view of the
 * heap itself where rows are contiguous and the backend copies on write, else a compact copy
 * in `scratch`.
 */
export function heapRows(f: Float32Array, src: number, rows: number, n: number, np: number, scratch: TensorScratch): Float32Array {
  if (n === np && copiesOnWrite()) return f.subarray(src, src + rows * n);
  const out = scratch.get(rows * n);
  if (n === np) out.set(f.subarray(src, src + rows * n));
  else for (let r = 0; r < rows; r++) out.set(f.subarray(src + r * np, src + r * np + n), r * n);
  return out;
}
