/**
 * Picks the fastest TensorFlow.js backend that works here: tfjs-node (native libtensorflow, an
 * optionalDependency that cannot install offline), else wasm (SIMD; threads are not available
 * in Node because the threaded build needs browser Web Workers), else the pure-JS cpu backend.
 * Everything in src/engine/nn imports tf from '@tensorflow/tfjs', the same instance that
 * tfjs-node registers its backend on.
 */
import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createLogger } from '../../log.ts';
import { MixtapeError } from '../errors.ts';

export type BackendName = 'node' | 'wasm' | 'cpu';

const log = createLogger({ name: 'nn', level: (process.env.LOG_LEVEL as 'info' | undefined) ?? 'warn' });
let ready: Promise<string> | undefined;
let readyFor: BackendName | undefined;

/** Folder that holds the tfjs wasm binaries, resolved from node_modules. */
export function wasmDistDir(): string {
  const require = createRequire(import.meta.url);
  return path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')) + path.sep + 'dist' + path.sep;
}

async function tryNode(): Promise<string | undefined> {
  try {
    const name = '@tensorflow/tfjs-node';
    await import(name); // registers 'tensorflow' on the shared tf engine
    if (await tf.setBackend('tensorflow')) return 'tensorflow';
  } catch {
    // absent or failed to load its native library
  }
  return undefined;
}

async function tryWasm(): Promise<string | undefined> {
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths(wasmDistDir());
    if (await tf.setBackend('wasm')) return 'wasm';
  } catch (e) {
    log.warn({ err: (e as Error).message }, 'wasm backend unavailable');
  }
  return undefined;
}

async function choose(preferred?: BackendName): Promise<string> {
  const order: BackendName[] = preferred === 'cpu' ? ['cpu'] : preferred === 'wasm' ? ['wasm', 'cpu'] : ['node', 'wasm', 'cpu'];
  for (const b of order) {
    const name = b === 'node' ? await tryNode() : b === 'wasm' ? await tryWasm() : (await tf.setBackend('cpu')) ? 'cpu' : undefined;
    if (name) {
      await tf.ready();
      const simd = name === 'wasm' ? tf.env().getBool('WASM_HAS_SIMD_SUPPORT') : undefined;
      log.info({ backend: name, simd }, 'tensorflow backend');
      return name;
    }
  }
  throw new MixtapeError('UNAVAILABLE', 'no TensorFlow.js backend could start; reinstall dependencies (npm install)');
}

/**
 * Initialises TensorFlow.js once (idempotent) and returns the backend name.
 * @example await initBackend() // 'wasm' here, 'tensorflow' where tfjs-node installed
 */
export function initBackend(preferred?: BackendName): Promise<string> {
  if (!ready || (preferred && preferred !== readyFor)) {
    readyFor = preferred;
    ready = choose(preferred);
  }
  return ready;
}
