/** Runs one format's fuzz cases in a worker, so the test can put a heap ceiling on them. */
import { parentPort, workerData } from 'node:worker_threads';
import { fuzz, type Format } from './corpus.ts';

const { format, cases, seed, limitMs } = workerData as { format: Format; cases: number; seed: number; limitMs: number };
parentPort!.postMessage(fuzz(format, cases, seed, limitMs));
