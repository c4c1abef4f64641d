/**
 * Benchmarks of the neural-network core against the plain tf.layers model of the same shape
 * (one-hot vocab 64, window 32, LSTM 128 x 2, dense softmax, Adam), in one run on one backend.
 * Library functions: the `mixtape bench` CLI prints what they return. Each is bounded in time.
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from './backend.ts';
import { SequenceNetwork, type Batch, type NetSpec } from './network.ts';
import { Stepper } from './stepper.ts';
import { DataParallel } from './parallel.ts';
import { allowedCpus, pinProcess } from './affinity.ts';

const VOCAB = 64;
const WINDOW = 32;
const UNITS = [128, 128];
const BATCH = 64;

/** Multiply-add FLOPs of one forward step of the benchmark shape per sequence (LSTMs + dense). */
export function forwardFlopsPerToken(vocab = VOCAB, units = UNITS): number {
  let flops = 0;
  let input = vocab;
  for (const h of units) {
    flops += 2 * (input + h) * 4 * h;
    input = h;
  }
  return flops + 2 * input * vocab;
}

export interface TrainingFigures {
  label: string;
  batch: number;
  sequencesPerSecond: number;
  tokensPerSecond: number;
  /** Forward + backward ~ 3x forward FLOPs, per second. */
  gflops: number;
}

export interface TrainingBench {
  backend: string;
  baseline: TrainingFigures;
  fused: TrainingFigures;
  fusedBest: TrainingFigures;
  /** fused / baseline sequences per second at the same batch size. */
  speedup: number;
  speedupBest: number;
}

function randomBatch(batch: number, seed: number): Batch {
  let s = seed >>> 0;
  const rand = () => ((s = (s * 1664525 + 1013904223) >>> 0) % VOCAB);
  const n = batch * WINDOW;
  return { inputs: [Int32Array.from({ length: n }, rand)], targets: [Int32Array.from({ length: n }, rand)], batch, steps: WINDOW };
}

/** Runs `step` repeatedly for about `seconds` (after one warm-up call); returns calls per second. */
function rate(seconds: number, step: () => void): number {
  step();
  const t0 = performance.now();
  let n = 0;
  do {
    step();
    n++;
  } while (performance.now() - t0 < seconds * 1000);
  return n / ((performance.now() - t0) / 1000);
}

/** lastOnly: the baseline's dense head runs once per sequence, the fused net's at every step. */
function figures(label: string, batch: number, stepsPerSecond: number, lastOnly = false): TrainingFigures {
  const sequencesPerSecond = stepsPerSecond * batch;
  const dense = 2 * UNITS[UNITS.length - 1] * VOCAB;
  const flopsPerSequence = forwardFlopsPerToken() * WINDOW - (lastOnly ? dense * (WINDOW - 1) : 0);
  return {
    label,
    batch,
    sequencesPerSecond,
    tokensPerSecond: sequencesPerSecond * WINDOW,
    gflops: (3 * flopsPerSequence * sequencesPerSecond) / 1e9,
  };
}

/** The tf.layers model of the benchmark shape (as a plain Keras-style user would write it). */
export function baselineModel(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.lstm({ units: UNITS[0], returnSequences: true, inputShape: [WINDOW, VOCAB] }));
  model.add(tf.layers.lstm({ units: UNITS[1] }));
  model.add(tf.layers.dense({ units: VOCAB, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  return model;
}

/** The fused network of the benchmark shape. */
export const benchSpec = (): NetSpec => ({ inputs: [{ kind: 'onehot', size: VOCAB }], hidden: UNITS, dropout: 0, heads: [VOCAB] });

/**
 * Training throughput: tf.layers baseline vs the fused network at batch 64, and the fused
 * network at a larger batch. Takes about `seconds` in total (default 24).
 * @example const r = await benchTraining({ seconds: 20 }); r.speedup // e.g. 7
 */
export async function benchTraining(options: { seconds?: number } = {}): Promise<TrainingBench> {
  const backend = await initBackend();
  const slice = (options.seconds ?? 24) / 3;
  const model = baselineModel();
  const b = randomBatch(BATCH, 1);
  const xs = tf.tidy(() => tf.oneHot(tf.tensor1d(b.inputs[0], 'int32'), VOCAB).toFloat().reshape([BATCH, WINDOW, VOCAB]));
  const ys = tf.tidy(() => tf.oneHot(tf.tensor1d(Int32Array.from({ length: BATCH }, (_, i) => b.targets[0][i * WINDOW + WINDOW - 1]), 'int32'), VOCAB).toFloat());
  const baseRate = await (async () => {
    await model.trainOnBatch(xs, ys);
    const t0 = performance.now();
    let n = 0;
    do {
      await model.trainOnBatch(xs, ys);
      n++;
    } while (performance.now() - t0 < slice * 1000);
    return n / ((performance.now() - t0) / 1000);
  })();
  tf.dispose([xs, ys]);
  model.dispose();
  const net = new SequenceNetwork(benchSpec());
  const fusedRate = rate(slice, () => net.trainStep(b));
  const bigBatch = 256;
  const big = randomBatch(bigBatch, 2);
  const bigRate = rate(slice, () => net.trainStep(big));
  net.dispose();
  const baseline = figures('tf.layers sequential LSTM(128)x2 + dense, batch 64', BATCH, baseRate, true);
  const fused = figures('fused LSTM network, batch 64', BATCH, fusedRate);
  const fusedBest = figures(`fused LSTM network, batch ${bigBatch}`, bigBatch, bigRate);
  return {
    backend,
    baseline,
    fused,
    fusedBest,
    speedup: fused.sequencesPerSecond / baseline.sequencesPerSecond,
    speedupBest: fusedBest.sequencesPerSecond / baseline.sequencesPerSecond,
  };
}

export interface GenerationBench {
  backend: string;
  /** model.predict on the full 32-step window per generated event. */
  baselineEventsPerSecond: number;
  stepperEventsPerSecond: number;
  batchedStreams: number;
  /** Events per second summed over all streams. */
  batchedEventsPerSecond: number;
  speedup: number;
}

/**
 * Generation speed: the pure-JS stepper (single stream and 8 streams) vs re-predicting the full
 * window with the tf.layers model for every event. Takes about `seconds` (default 9).
 */
export async function benchGeneration(options: { seconds?: number; streams?: number } = {}): Promise<GenerationBench> {
  const backend = await initBackend();
  const slice = (options.seconds ?? 9) / 3;
  const streams = options.streams ?? 8;
  const model = baselineModel();
  const window = Array.from({ length: WINDOW }, (_, i) => i % VOCAB);
  const baselineEventsPerSecond = rate(slice, () => {
    tf.tidy(() => {
      const x = tf.oneHot(tf.tensor1d(window, 'int32'), VOCAB).toFloat().reshape([1, WINDOW, VOCAB]);
      const p = model.predict(x) as tf.Tensor;
      const next = p.argMax(1).dataSync()[0];
      window.shift();
      window.push(next);
    });
  });
  model.dispose();
  const net = new SequenceNetwork(benchSpec());
  const weights = net.getWeights();
  net.dispose();
  const single = new Stepper(benchSpec(), weights, 1);
  let token = 1;
  const stepperEventsPerSecond = rate(slice, () => {
    const logits = single.step([[token]])[0][0];
    token = argmax(logits);
  });
  const many = new Stepper(benchSpec(), weights, streams);
  const tokens = Array.from({ length: streams }, (_, s) => s);
  const batchedSteps = rate(slice, () => {
    const out = many.step(tokens.map((t) => [t]));
    for (let s = 0; s < streams; s++) tokens[s] = argmax(out[s][0]);
  });
  return {
    backend,
    baselineEventsPerSecond,
    stepperEventsPerSecond,
    batchedStreams: streams,
    batchedEventsPerSecond: batchedSteps * streams,
    speedup: stepperEventsPerSecond / baselineEventsPerSecond,
  };
}

function argmax(a: Float32Array): number {
  let best = 0;
  for (let i = 1; i < a.length; i++) if (a[i] > a[best]) best = i;
  return best;
}

export interface DataParallelBench {
  backend: string;
  batch: number;
  /** Sequences per second of the benchmark network: one thread, and the data-parallel pair. */
  oneCore: number;
  twoCores: number;
  speedup: number;
  /**
   * The same from thread CPU time (what each step costs the busiest thread), which a loaded
   * machine distorts far less than wall time: one thread's CPU per step over the larger of the
   * two threads' CPU per step in the pair.
   */
  cpuSpeedup: number;
  /** Whether the one-core slices ran with the whole process pinned to one CPU (Linux with taskset). */
  oneCorePinned: boolean;
}

/**
 * Training on one core (net.trainStep) against two (DataParallel: half the batch each), same
 * network and batch, measured in alternating slices so that a busy machine hurts both alike.
 * During the one-core slices the whole process (V8's helper threads too) is pinned to one CPU
 * where the system allows it, so that the baseline really has one core.
 * @example (await benchDataParallel({ seconds: 12 })).speedup // e.g. 1.8
 */
export async function benchDataParallel(options: { seconds?: number; batch?: number } = {}): Promise<DataParallelBench> {
  const backend = await initBackend();
  const batch = options.batch ?? 128;
  const rounds = 6; // short alternating slices: a burst of other work hits both sides alike
  const slice = (options.seconds ?? 12) / (2 * rounds);
  const b = randomBatch(batch, 3);
  const one = new SequenceNetwork(benchSpec());
  const pair = new SequenceNetwork(benchSpec());
  const dp = new DataParallel(pair, { backend });
  const cpus = allowedCpus();
  const oneCorePinned = !!cpus && cpus.length >= 2 && pinProcess(cpus);
  try {
    await dp.ready();
    one.trainStep(b);
    await dp.step(b); // warm-up: kernels and optimizer slots in both threads
    let oneSteps = 0, oneTime = 0, twoSteps = 0, twoTime = 0, oneCpu = 0, mainCpu = 0;
    const cpuMs = (since: NodeJS.CpuUsage) => { const d = process.threadCpuUsage(since); return (d.user + d.system) / 1000; };
    const workerStart = dp.workerCpuMs;
    for (let r = 0; r < rounds; r++) {
      if (oneCorePinned) pinProcess([cpus![0]]);
      let t0 = performance.now();
      let c0 = process.threadCpuUsage();
      do { one.trainStep(b); oneSteps++; } while (performance.now() - t0 < slice * 1000);
      oneTime += performance.now() - t0;
      oneCpu += cpuMs(c0);
      if (oneCorePinned) pinProcess(cpus!);
      t0 = performance.now();
      c0 = process.threadCpuUsage();
      do { await dp.step(b); twoSteps++; } while (performance.now() - t0 < slice * 1000);
      twoTime += performance.now() - t0;
      mainCpu += cpuMs(c0);
    }
    const oneCore = (oneSteps * batch) / (oneTime / 1000);
    const twoCores = (twoSteps * batch) / (twoTime / 1000);
    const busiest = Math.max(mainCpu, dp.workerCpuMs - workerStart) / twoSteps;
    return { backend, batch, oneCore, twoCores, speedup: twoCores / oneCore, cpuSpeedup: oneCpu / oneSteps / busiest, oneCorePinned };
  } finally {
    if (oneCorePinned) pinProcess(cpus!);
    await dp.close();
    one.dispose();
    pair.dispose();
  }
}

