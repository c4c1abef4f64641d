/**
 * Training a model from pieces: split, encode, fit the Markov baseline and the network on
 * the same data, keep the best epoch, measure both on the validation pieces, describe it all
 * in a model card. The caller saves (folder) or serializes (blob) the result.
 */
import { splitByName } from './dataset.ts';
import { MixtapeError } from './errors.ts';
import { evaluateMarkov, evaluateNetwork } from './evaluate.ts';
import type { EventMetrics, NoteMetrics } from './evaluate.ts';
import { selectMarkovOrder } from './markov.ts';
import type { MarkovModel } from './markov.ts';
import { batchesOf } from './models/batches.ts';
import type { Codec, Sequence } from './models/codecs/codec.ts';
import { codecs } from './models/codecs/index.ts';
import { getKind } from './models/kinds.ts';
import type { ModelKind } from './models/kinds.ts';
import type { Model, ModelMeta } from './models/model.ts';
import { stepModelOf } from './models/model.ts';
import { scoreSequences } from './models/sequences.ts';
import { SequenceNetwork } from './nn/network.ts';
import { trainNetwork } from './nn/trainer.ts';
import type { Progress, TrainResult } from './nn/trainer.ts';
import type { LoadedPiece } from './pieces.ts';
import { createRng } from './random.ts';

export interface TrainOptions {
  name: string;
  kind: string;
  genre?: string;
  pieces: LoadedPiece[];
  epochs: number;
  /** Fine-tune this model (same kind) instead of starting from random weights. */
  base?: Model;
  hidden?: number[];
  batchSize?: number;
  learningRate?: number;
  patience?: number;
  validFraction?: number;
  augment?: number[];
  seed?: number;
  maxSeconds?: number;
  /** Cap on training windows per epoch (keeps epochs short on big corpora). */
  maxWindowsPerEpoch?: number;
  /** Cap on validation windows checked per epoch (a fixed sample). */
  maxValidWindows?: number;
  checkpointDir?: string;
  resume?: boolean;
  /** Threads per training step (2: data-parallel, see nn/parallel.ts). Default 1. */
  workers?: number;
  onProgress?: (p: Progress) => void;
  onStage?: (stage: string) => void;
}

export interface TrainedModel {
  model: Model;
  net?: SequenceNetwork;
  markov: MarkovModel;
  card: ModelCard;
  /** Hashes of the pieces the network was trained on. */
  trainHashes: string[];
}

export interface ModelCard {
  name: string;
  kind: string;
  kindSummary: string;
  genre?: string;
  data: { pieces: number; trainPieces: number; validPieces: number; unreadable: number; trainEvents: number; validEvents: number; augment: number[] };
  hyperParameters: Record<string, unknown>;
  metrics: { model?: EventMetrics; markov: EventMetrics & { order: number }; improvement?: number; notes?: NoteMetrics };
  training?: { epochs: TrainResult['epochs']; bestEpoch: number; stoppedBy: string; seconds: number; backend: string; sequencesPerSecond?: number };
  createdAt: string;
}

/** Splits pieces by a hash of their name: stable across runs and machines. */
export function splitPieces(pieces: LoadedPiece[], validFraction: number, seed = 0) {
  const { train, valid } = splitByName(pieces, (p) => p.name, validFraction, seed);
  // Tiny sets (a member's 5 files) still need one piece to validate on.
  if (valid.length === 0 && train.length > 1) valid.push(train.pop()!);
  return { train, valid };
}

/** Encodes pieces for a kind; transposed copies only for training. */
export function encodePieces(kind: ModelKind, pieces: LoadedPiece[], shifts: number[] = [0]): Sequence[] {
  const codec = codecs[kind.codec];
  return pieces.flatMap((p) => scoreSequences(p.score, codec, shifts, 2));
}

/** Most common opening events (as the codec counts them), so unprimed generation starts like the data does. */
export function openings(seqs: Sequence[], codec: Codec): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const s of seqs) {
    const first = codec.openingEvent?.(s.tokens) ?? s.tokens[0];
    counts[first] = (counts[first] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).sort((a, b) => b[1] - a[1]).slice(0, 64));
}

const mostCommon = (values: number[]) => {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 16;
};

/**
 * Trains a model of `kind` (or the Markov chain alone for kind "markov").
 * @example await trainModel({ name: 'celtic', kind: 'pitchdur', pieces, epochs: 20 })
 */
export async function trainModel(opts: TrainOptions): Promise<TrainedModel> {
  const kind = opts.base ? opts.base.kind : getKind(opts.kind);
  if (opts.base && opts.kind && opts.kind !== kind.name) throw new MixtapeError('BAD_ARGUMENT', `--base is a ${kind.name} model; it cannot be fine-tuned as ${opts.kind}`);
  const codec = codecs[kind.codec];
  const { train, valid } = splitPieces(opts.pieces, opts.validFraction ?? 0.1, opts.seed ?? 0);
  opts.onStage?.(`encoding ${train.length} training and ${valid.length} validation pieces`);
  const trainSeqs = encodePieces(kind, train, opts.augment ?? [0]);
  const validSeqs = encodePieces(kind, valid);
  if (trainSeqs.length === 0 || validSeqs.length === 0) {
    throw new MixtapeError('NO_NOTES', `not enough usable music to train on (${trainSeqs.length} training and ${validSeqs.length} validation pieces encoded); give more MIDI files with melodies of a few bars`);
  }
  opts.onStage?.('fitting the Markov baseline');
  const selection = selectMarkovOrder(trainSeqs.map((s) => s.tokens), validSeqs.map((s) => s.tokens), { vocabSize: codec.vocab, orders: [1, 2, 3, 4, 5] });
  const markov = selection.model;
  const meta: ModelMeta = {
    name: opts.name,
    kind: kind.name,
    genre: opts.genre,
    stepsPerBar: mostCommon(trainSeqs.map((s) => s.stepsPerBar)),
    firstEvents: openings(trainSeqs, codec),
    steps: kind.steps,
  };
  const countEvents = (seqs: Sequence[]) => seqs.reduce((n, s) => n + s.tokens.length, 0);
  const card: ModelCard = {
    name: opts.name,
    kind: kind.name,
    kindSummary: kind.summary,
    genre: opts.genre,
    data: {
      pieces: opts.pieces.length,
      trainPieces: train.length,
      validPieces: valid.length,
      unreadable: 0,
      trainEvents: countEvents(trainSeqs),
      validEvents: countEvents(validSeqs),
      augment: opts.augment ?? [0],
    },
    hyperParameters: {},
    metrics: { markov: { ...evaluateMarkov(markov, validSeqs), order: selection.order } },
    createdAt: new Date().toISOString(),
  };
  const trainHashes = train.map((p) => p.hash);
  if (kind.name === 'markov') return { model: { meta, kind, codec, markov }, markov, card, trainHashes };

  const spec = opts.base?.spec ?? {
    inputs: codec.inputs,
    hidden: opts.hidden ?? kind.hidden,
    bidirectional: kind.bidirectional,
    attention: kind.attention,
    dropout: kind.dropout,
    heads: codec.heads,
  };
  const learningRate = opts.learningRate ?? (opts.base ? 5e-4 : 2e-3);
  const net = new SequenceNetwork(spec, { learningRate });
  if (opts.base) net.setWeights(opts.base.weights!);
  const batchSize = opts.batchSize ?? 64;
  const lastOnly = !!kind.bidirectional;
  const stride = lastOnly ? 2 : Math.max(1, kind.steps / 2);
  card.hyperParameters = { ...spec, batchSize, steps: kind.steps, stride, learningRate, optimizer: 'Adam', clipNorm: 5, base: opts.base?.meta.name };
  opts.onStage?.(`training ${kind.name} (${spec.hidden.join('x')} LSTM) on ${card.data.trainEvents} events`);
  const started = performance.now();
  const result = await trainNetwork({
    net,
    epochs: opts.epochs,
    patience: opts.patience ?? 3,
    maxSeconds: opts.maxSeconds,
    checkpointDir: opts.checkpointDir,
    resume: opts.resume,
    workers: opts.workers,
    onProgress: opts.onProgress,
    meta: meta as unknown as Record<string, unknown>,
    makeBatches: (split, epoch) =>
      split === 'train'
        ? batchesOf(codec, trainSeqs, { steps: kind.steps, stride, batchSize, rng: createRng((opts.seed ?? 0) * 1000 + epoch), lastOnly, maxWindows: opts.maxWindowsPerEpoch })
        : // A fixed random sample of validation windows keeps each epoch's check cheap on big corpora.
          batchesOf(codec, validSeqs, { steps: kind.steps, stride: lastOnly ? 8 : kind.steps, batchSize: 128, lastOnly, rng: createRng(12345), maxWindows: opts.maxValidWindows ?? 2048 }),
  });
  // All epochs, including those before a --resume.
  const seconds = result.epochs.reduce((sum, e) => sum + e.seconds, 0) || (performance.now() - started) / 1000;
  const model: Model = { meta, kind, codec, spec, weights: net.getWeights(), markov };
  opts.onStage?.('measuring the model and the Markov baseline on the validation pieces');
  const measured = evaluateNetwork(stepModelOf(model), codec, validSeqs);
  card.metrics.model = measured.events;
  card.metrics.notes = measured.notes;
  card.metrics.improvement = 1 - measured.events.nll / card.metrics.markov.nll;
  card.training = { epochs: result.epochs, bestEpoch: result.bestEpoch, stoppedBy: result.stoppedBy, seconds, backend: (await import('@tensorflow/tfjs')).getBackend() };
  return { model, net, markov, card, trainHashes };
}
