/**
 * Child script: trains the shipped pitchdur-shaped network (the celtic genre's kind: its codec's
 * inputs and heads, its LSTM sizes and window) on random batches for a few seconds, then prints
 * one JSON line with its peak RSS. Run by memory.ts in its own process so the peak is isolated.
 * Usage: node train-child.ts --seconds 5 [--batch 64]
 */
import { parseArgs } from 'node:util';
import { codecs } from '../engine/models/codecs/index.ts';
import { getKind } from '../engine/models/kinds.ts';
import { initBackend } from '../engine/nn/backend.ts';
import { SequenceNetwork, type Batch, type NetSpec } from '../engine/nn/network.ts';
import { memoryNow } from './stats.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string' }, batch: { type: 'string' } } });
const seconds = Number(values.seconds ?? 5);
const batch = Number(values.batch ?? 64);
const start = memoryNow();
const backend = await initBackend();
const kind = getKind('pitchdur');
const codec = codecs[kind.codec];
const spec: NetSpec = { inputs: codec.inputs, hidden: kind.hidden, dropout: kind.dropout, heads: codec.heads };

/** Random tokens in range for every input and head (a deterministic LCG: no dependency on data). */
function randomBatch(seed: number): Batch {
  let s = seed >>> 0;
  const next = (n: number) => ((s = (s * 1664525 + 1013904223) >>> 0) % n);
  const len = batch * kind.steps;
  return {
    inputs: spec.inputs.map((inp) => Int32Array.from({ length: len }, () => next(inp.size))),
    targets: spec.heads.map((v) => Int32Array.from({ length: len }, () => next(v))),
    batch,
    steps: kind.steps,
  };
}

const net = new SequenceNetwork(spec, { learningRate: 2e-3 });
const batches = [randomBatch(1), randomBatch(2), randomBatch(3)];
net.trainStep(batches[0]); // warm-up (kernels, optimizer slots)
const t0 = performance.now();
let steps = 0;
do net.trainStep(batches[steps++ % batches.length]);
while (performance.now() - t0 < seconds * 1000);
const elapsed = (performance.now() - t0) / 1000;
const end = memoryNow();
net.dispose();
console.log(JSON.stringify({
  backend, kind: kind.name, hidden: kind.hidden, window: kind.steps, batch, trainSteps: steps, seconds: elapsed,
  sequencesPerSecond: (steps * batch) / elapsed, startRssMiB: start.rssMiB, rssMiB: end.rssMiB, peakRssMiB: end.peakRssMiB,
}));
