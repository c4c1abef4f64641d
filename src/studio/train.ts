/**
 * Personal models: fine-tune a genre model on a member's MIDI files in a worker thread, so
 * the bot keeps answering while the network trains. The result is one blob for storage.
 */
import { Worker } from 'node:worker_threads';
import { MixtapeError } from '../engine/errors.ts';
import type { ProgressFn, TrainRequest, TrainResult } from './types.ts';

/** Seconds a personal model may train by default (a member is waiting). */
export const DEFAULT_TRAIN_SECONDS = 240;

type WorkerMessage =
  | { type: 'progress'; stage: string; fraction: number; detail?: string }
  | { type: 'done'; bytes: Uint8Array; card: Record<string, unknown> }
  | { type: 'error'; code?: string; message: string };

/**
 * Fine-tunes `req.baseGenre`'s model on `req.files`.
 * @example const { bytes, card } = await trainPersonal({ files, baseGenre: 'celtic', name: 'my-reels' })
 */
export function trainPersonal(req: TrainRequest, onProgress?: ProgressFn): Promise<TrainResult> {
  const worker = new Worker(new URL('./train-worker.ts', import.meta.url), {
    workerData: { ...req, maxSeconds: req.maxSeconds ?? DEFAULT_TRAIN_SECONDS },
  });
  return new Promise((resolve, reject) => {
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') onProgress?.({ stage: m.stage, fraction: m.fraction, detail: m.detail });
      else if (m.type === 'done') resolve({ bytes: m.bytes, card: m.card });
      else reject(m.code ? new MixtapeError(m.code as never, m.message) : new Error(m.message));
    });
    worker.on('error', reject);
    worker.on('exit', (code) => reject(new Error(`training stopped unexpectedly (exit ${code})`)));
  }).finally(() => void worker.terminate()) as Promise<TrainResult>;
}
