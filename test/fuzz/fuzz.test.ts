/**
 * The fuzz test: thousands of seeded, mutated MIDI files, zips and ABC tunes, each read in a
 * worker whose heap is capped (a reader that allocated without bound would kill it). Every
 * case must end in a result or a typed MixtapeError, each within its time limit.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import type { Format, FuzzReport } from './corpus.ts';

const SEED = 20261201;
/** Per-case limit: readers answer in milliseconds (the slowest case is printed); the bot's promise is 5 s. */
const LIMIT_MS = 2000;
const HEAP_MB = 256;

function runInWorker(format: Format, cases: number): Promise<FuzzReport> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./fuzz-worker.ts', import.meta.url), {
      workerData: { format, cases, seed: SEED, limitMs: LIMIT_MS },
      resourceLimits: { maxOldGenerationSizeMb: HEAP_MB, maxYoungGenerationSizeMb: 32 },
    });
    const timer = setTimeout(() => { void worker.terminate(); reject(new Error(`${format} fuzzing did not finish in 60 s`)); }, 60_000);
    worker.once('message', (r: FuzzReport) => { clearTimeout(timer); resolve(r); void worker.terminate(); });
    worker.once('error', (e) => { clearTimeout(timer); reject(new Error(`${format} fuzzing crashed the worker (heap ${HEAP_MB} MB): ${e.message}`)); });
  });
}

for (const [format, cases] of [['midi', 3000], ['zip', 400], ['abc', 1500]] as const) {
  test(`fuzz ${format}: ${cases} mutated files, each a result or a typed error within ${LIMIT_MS} ms, heap under ${HEAP_MB} MB`, async (t) => {
    const r = await runInWorker(format, cases);
    t.diagnostic(`${format}: ${r.results} results, typed errors ${JSON.stringify(r.typedErrors)}, slowest ${r.maxMs.toFixed(1)} ms, total ${Math.round(r.totalMs)} ms`);
    assert.deepEqual(r.untyped, [], 'every failure is a MixtapeError');
    assert.deepEqual(r.slow, [], `every case within ${LIMIT_MS} ms`);
    assert.equal(r.cases, cases);
    // The mutations must reach both outcomes, or the fuzzer tests nothing.
    const typed = Object.values(r.typedErrors).reduce((a, b) => a + b, 0);
    assert.ok(r.results > cases / 20 && typed > cases / 20, `results ${r.results}, typed errors ${typed}`);
  });
}
