/**
 * Training loop: epochs over training batches, validation after each epoch, early stopping on
 * validation loss with patience, best weights kept (and checkpointed to disk on every
 * improvement), resume from a checkpoint, progress callbacks, and a wall-clock budget.
 */
import { readFile, writeFile, mkdir, rename } from 'node:fs/promises';
import path from 'node:path';
import type { Batch, NamedWeight, SequenceNetwork } from './network.ts';
import { loadModel, saveModel } from './serialize.ts';
import { DataParallel } from './parallel.ts';

export type Split = 'train' | 'validation';

export interface Progress {
  epoch: number;
  batch: number;
  batches: number;
  loss: number;
  accuracy: number;
  sequencesPerSecond: number;
  tokensPerSecond: number;
  etaSeconds: number;
}

export interface TrainOptions {
  net: SequenceNetwork;
  makeBatches: (split: Split, epoch: number) => Iterable<Batch>;
  epochs: number;
  patience?: number;
  checkpointDir?: string;
  resume?: boolean;
  onProgress?: (p: Progress) => void;
  maxSeconds?: number;
  /** Extra data stored with checkpoints. */
  meta?: Record<string, unknown>;
  /** Threads per step: 2 = data-parallel (parallel.ts), half of each batch per thread. Default 1. */
  workers?: number;
}

export interface EpochRecord { epoch: number; trainLoss: number; validationLoss: number; validationAccuracy: number; seconds: number }

export interface TrainResult {
  epochs: EpochRecord[];
  bestEpoch: number;
  bestValidationLoss: number;
  stoppedBy: 'epochs' | 'patience' | 'time';
}

interface TrainerState { epoch: number; bestEpoch: number; bestValidationLoss: number; sinceBest: number; epochs: EpochRecord[] }

const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);

/** Mean validation loss (sum over heads of mean NLL) and mean accuracy over the validation split. */
function validate(net: SequenceNetwork, batches: Iterable<Batch>): { loss: number; accuracy: number } {
  let nll: number[] = [];
  let correct: number[] = [];
  let count: number[] = [];
  for (const b of batches) {
    const r = net.evaluate(b);
    if (nll.length === 0) { nll = r.nll.map(() => 0); correct = r.nll.map(() => 0); count = r.nll.map(() => 0); }
    r.nll.forEach((v, k) => { nll[k] += v; correct[k] += r.correct[k]; count[k] += r.count[k]; });
  }
  if (nll.length === 0) return { loss: NaN, accuracy: NaN };
  return {
    loss: sum(nll.map((v, k) => v / Math.max(1, count[k]))),
    accuracy: sum(correct.map((c, k) => c / Math.max(1, count[k]))) / correct.length,
  };
}

async function readState(dir: string): Promise<TrainerState | undefined> {
  try {
    return JSON.parse(await readFile(path.join(dir, 'trainer.json'), 'utf8')) as TrainerState;
  } catch {
    return undefined;
  }
}

async function writeState(dir: string, state: TrainerState): Promise<void> {
  await mkdir(dir, { recursive: true });
  const tmp = path.join(dir, '.trainer.json.tmp');
  await writeFile(tmp, JSON.stringify(state));
  await rename(tmp, path.join(dir, 'trainer.json'));
}

/**
 * Trains `net` in place; on return it holds the best weights seen (by validation loss).
 * @example await trainNetwork({ net, makeBatches: (split, e) => split === 'train' ? train(e) : val, epochs: 20, patience: 3 })
 */
export async function trainNetwork(options: TrainOptions): Promise<TrainResult> {
  const { net, checkpointDir } = options;
  const patience = options.patience ?? Infinity;
  const deadline = options.maxSeconds ? performance.now() + options.maxSeconds * 1000 : Infinity;
  let state: TrainerState = { epoch: 0, bestEpoch: -1, bestValidationLoss: Infinity, sinceBest: 0, epochs: [] };
  let best: NamedWeight[] | undefined;
  if (options.resume && checkpointDir) {
    const saved = await readState(checkpointDir);
    if (saved) {
      const model = await loadModel(path.join(checkpointDir, 'best'));
      net.setWeights(model.weights);
      best = model.weights;
      state = saved;
    }
  }
  // Two workers: the replica starts from the weights held now (after a resume).
  const parallel = (options.workers ?? 1) >= 2 ? new DataParallel(net) : undefined;
  try {
    await parallel?.ready();
    return await epochsLoop(options, state, best, deadline, patience, parallel);
  } finally {
    await parallel?.close();
  }
}

/** The epochs of trainNetwork (after any resume), one step at a time on one or two threads. */
async function epochsLoop(options: TrainOptions, state: TrainerState, best: NamedWeight[] | undefined, deadline: number, patience: number, parallel: DataParallel | undefined): Promise<TrainResult> {
  const { net, epochs, checkpointDir } = options;
  let stoppedBy: TrainResult['stoppedBy'] = 'epochs';
  let lastBatches = 0;
  for (let epoch = state.epoch; epoch < epochs; epoch++) {
    const started = performance.now();
    const losses: number[] = [];
    let sequences = 0;
    let tokens = 0;
    let batch = 0;
    let timeUp = false;
    for (const b of options.makeBatches('train', epoch)) {
      const r = parallel ? await parallel.step(b) : net.trainStep(b);
      batch++;
      sequences += b.batch;
      tokens += b.batch * b.steps;
      losses.push(sum(r.loss));
      const seconds = (performance.now() - started) / 1000;
      const batches = Math.max(lastBatches, batch);
      const perBatch = seconds / batch;
      options.onProgress?.({
        epoch,
        batch,
        batches,
        loss: sum(r.loss),
        accuracy: sum(r.accuracy) / r.accuracy.length,
        sequencesPerSecond: sequences / seconds,
        tokensPerSecond: tokens / seconds,
        etaSeconds: perBatch * (batches - batch) + perBatch * Math.max(lastBatches, batch) * (epochs - epoch - 1),
      });
      if (performance.now() > deadline) { timeUp = true; break; }
    }
    lastBatches = Math.max(lastBatches, batch);
    const v = validate(net, options.makeBatches('validation', epoch));
    const trainLoss = losses.length ? sum(losses) / losses.length : NaN;
    // without a validation split, the training loss decides
    const score = Number.isNaN(v.loss) ? trainLoss : v.loss;
    state.epochs.push({ epoch, trainLoss, validationLoss: v.loss, validationAccuracy: v.accuracy, seconds: (performance.now() - started) / 1000 });
    state.epoch = epoch + 1;
    if (score < state.bestValidationLoss) {
      state.bestValidationLoss = score;
      state.bestEpoch = epoch;
      state.sinceBest = 0;
      best = net.getWeights();
      if (checkpointDir) await saveModel(path.join(checkpointDir, 'best'), net, options.meta ?? {});
    } else state.sinceBest++;
    if (checkpointDir) await writeState(checkpointDir, state);
    if (timeUp) { stoppedBy = 'time'; break; }
    if (state.sinceBest >= patience) { stoppedBy = 'patience'; break; }
  }
  if (best) net.setWeights(best);
  return { epochs: state.epochs, bestEpoch: state.bestEpoch, bestValidationLoss: state.bestValidationLoss, stoppedBy };
}
