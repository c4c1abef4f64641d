/** Peak-memory measurements, each in its own child process so the peaks do not mix. */
import { childScript, runChild } from './child.ts';

/** The memory budget of the bot process. */
export const MEMORY_BUDGET_MIB = 1024;

export interface TrainingMemory {
  backend: string;
  kind: string;
  hidden: number[];
  window: number;
  batch: number;
  trainSteps: number;
  seconds: number;
  sequencesPerSecond: number;
  startRssMiB: number;
  rssMiB: number;
  peakRssMiB: number;
}

export interface BotMemory {
  backend: string;
  /** Genres whose model was loaded, and those without a folder in models/. */
  loaded: string[];
  missing: string[];
  bars: number;
  formats: string[];
  fontLoadMs: number;
  composeMs: Record<string, number>;
  startRssMiB: number;
  modelsRssMiB: number;
  rendererRssMiB: number;
  rssMiB: number;
  peakRssMiB: number;
}

/**
 * Peak RSS of a process training the pitchdur-shaped network for `seconds`.
 * @example (await trainingMemory({ seconds: 5 })).peakRssMiB // e.g. 300
 */
export function trainingMemory(options: { seconds?: number; batch?: number } = {}): Promise<TrainingMemory> {
  const seconds = options.seconds ?? 6;
  return runChild<TrainingMemory>(childScript('train-child.ts'), ['--seconds', String(seconds), '--batch', String(options.batch ?? 64)], (seconds + 90) * 1000);
}

/**
 * Peak RSS of a process holding every shipped model and the warm renderer, composing once per genre.
 * @example (await botMemory({ bars: 16 })).loaded // ['celtic', 'jazz']
 */
export function botMemory(options: { bars?: number; formats?: string[] } = {}): Promise<BotMemory> {
  const args = ['--bars', String(options.bars ?? 16), '--formats', (options.formats ?? ['ogg', 'mp3']).join(',')];
  return runChild<BotMemory>(childScript('bot-child.ts'), args, 240_000);
}
