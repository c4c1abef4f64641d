/** Worker thread body of trainPersonal: all TensorFlow work happens here, off the bot's loop. */
import { parentPort, workerData } from 'node:worker_threads';
import { isMixtapeError } from '../engine/errors.ts';
import { MixtapeError } from '../engine/errors.ts';
import { getGenre } from '../engine/genres/index.ts';
import { resolveModel } from '../engine/models/model.ts';
import { initBackend } from '../engine/nn/backend.ts';
import { toBytes } from '../engine/nn/serialize.ts';
import { parsePieces } from '../engine/pieces.ts';
import { trainModel } from '../engine/train.ts';
import type { TrainRequest } from './types.ts';

const req = workerData as TrainRequest & { maxSeconds: number };
const post = (m: unknown) => parentPort!.postMessage(m);

async function run(): Promise<void> {
  await initBackend();
  const genre = getGenre(req.baseGenre);
  const { loaded, failed } = parsePieces(req.files.map((f) => ({ name: f.name, bytes: f.bytes })));
  if (loaded.length === 0) throw new MixtapeError('NOT_MIDI', `none of the ${req.files.length} files could be read as MIDI; send .mid files`);
  const base = await resolveModel(genre.key);
  const epochs = 30;
  const trained = await trainModel({
    name: req.name,
    kind: base.kind.name,
    genre: genre.key,
    pieces: loaded,
    base,
    epochs,
    patience: 4,
    augment: genre.augment,
    maxSeconds: req.maxSeconds,
    onStage: (stage) => post({ type: 'progress', stage, fraction: 0.02 }),
    onProgress: (p) =>
      post({ type: 'progress', stage: 'training', fraction: Math.min(0.98, (p.epoch + p.batch / Math.max(1, p.batches)) / epochs), detail: `epoch ${p.epoch + 1}, loss ${p.loss.toFixed(3)}` }),
  });
  trained.card.data.unreadable = failed.length;
  const bytes = toBytes({ spec: trained.model.spec!, weights: trained.model.weights!, meta: {} }, trained.model.meta as unknown as Record<string, unknown>, 'float16');
  post({ type: 'done', bytes, card: trained.card });
}

run().catch((e) => post({ type: 'error', code: isMixtapeError(e) ? e.code : undefined, message: (e as Error).message }));
