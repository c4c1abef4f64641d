/**
 * `mixtape bench` as a library: runs each part (training, generation, render, compose, memory)
 * in one process, one after the other, each isolated so that a failing part is reported and
 * the others still run. Plain data out: the CLI formats it (rows.ts).
 */
import os from 'node:os';
import { benchDataParallel, benchGeneration, benchTraining, type DataParallelBench, type GenerationBench, type TrainingBench } from '../engine/nn/bench.ts';
import { initBackend } from '../engine/nn/backend.ts';
import { MixtapeError } from '../engine/errors.ts';
import { benchRender, type BenchResult as RenderBench } from '../render/bench.ts';
import { benchCold, type ColdBench } from './cold.ts';
import { benchCompose, type ComposeBench } from './compose.ts';
import { benchStart, type StartRuns } from './start.ts';
import { benchVoice, type VoiceBench } from './voice.ts';
import { botMemory, trainingMemory, type BotMemory, type TrainingMemory } from './memory.ts';

export const PARTS = ['training', 'parallel', 'generation', 'render', 'compose', 'cold', 'start', 'voice', 'memory'] as const;
export type PartName = (typeof PARTS)[number];

/** One measured part: its result, or the error that stopped it; `seconds` is its wall time. */
export interface Part<T> {
  seconds: number;
  result?: T;
  error?: string;
}

export interface BenchParts {
  training?: Part<TrainingBench>;
  parallel?: Part<DataParallelBench>;
  generation?: Part<GenerationBench>;
  render?: Part<RenderBench>;
  compose?: Part<ComposeBench>;
  cold?: Part<ColdBench>;
  start?: Part<StartRuns>;
  voice?: Part<VoiceBench>;
  memoryTraining?: Part<TrainingMemory>;
  memoryBot?: Part<BotMemory>;
}

export interface MachineInfo {
  backend: string;
  cpus: number;
  availableParallelism: number;
  loadAverage: number[];
  node: string;
  platform: string;
}

export interface BenchOptions {
  quick?: boolean;
  skip?: PartName[];
  /** Called before each part starts, with a rough duration. */
  onPart?: (name: string, aboutSeconds: number) => void;
}

/** Measuring windows: full run (about 2 minutes on 2 cores) and --quick (for tests). */
export const PLAN = {
  full: { trainingSeconds: 18, parallelSeconds: 12, generationSeconds: 9, renderRuns: 3, renderBars: 30, composeBars: 16, composeRuns: 7, coldRuns: 3, startRuns: 3, voiceBars: 90, voiceRuns: 3, radioBars: 16, memorySeconds: 6, botBars: 16 },
  quick: { trainingSeconds: 2, parallelSeconds: 2, generationSeconds: 1.5, renderRuns: 1, renderBars: 4, composeBars: 4, composeRuns: 2, coldRuns: 1, startRuns: 1, voiceBars: 12, voiceRuns: 1, radioBars: 4, memorySeconds: 2, botBars: 4 },
};

/** Parses `--skip a,b`; unknown names are a MixtapeError. @example parseSkip('render,memory') // ['render', 'memory'] */
export function parseSkip(raw: string | undefined): PartName[] {
  if (!raw) return [];
  const names = raw.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  for (const n of names) {
    if (!(PARTS as readonly string[]).includes(n)) throw new MixtapeError('BAD_ARGUMENT', `unknown bench part "${n}" in --skip; choose from ${PARTS.join(', ')}`);
  }
  return [...new Set(names)] as PartName[];
}

/** Runs `fn` and records its result or error message and its wall time. */
export async function measure<T>(fn: () => Promise<T>): Promise<Part<T>> {
  const t0 = performance.now();
  try {
    const result = await fn();
    return { seconds: (performance.now() - t0) / 1000, result };
  } catch (e) {
    return { seconds: (performance.now() - t0) / 1000, error: (e as Error)?.message ?? String(e) };
  }
}

/** The machine the figures were taken on. */
export async function machineInfo(): Promise<MachineInfo> {
  return {
    backend: await initBackend(),
    cpus: os.cpus().length,
    availableParallelism: os.availableParallelism(),
    loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
  };
}

/**
 * Runs every part not skipped, in order, and returns their figures.
 * @example const parts = await runBench({ quick: true, skip: ['memory'] })
 */
export async function runBench(options: BenchOptions = {}): Promise<BenchParts> {
  const plan = options.quick ? PLAN.quick : PLAN.full;
  const skip = new Set(options.skip ?? []);
  const on = options.onPart ?? (() => {});
  const parts: BenchParts = {};
  if (!skip.has('training')) {
    on('training: fused LSTM vs tf.layers', plan.trainingSeconds + 4);
    parts.training = await measure(() => benchTraining({ seconds: plan.trainingSeconds }));
  }
  if (!skip.has('parallel')) {
    on('training on one core vs two (data-parallel)', plan.parallelSeconds + 4);
    parts.parallel = await measure(() => benchDataParallel({ seconds: plan.parallelSeconds }));
  }
  if (!skip.has('generation')) {
    on('generation: stepper vs model.predict', plan.generationSeconds + 1);
    parts.generation = await measure(() => benchGeneration({ seconds: plan.generationSeconds }));
  }
  if (!skip.has('render')) {
    on('render: js-synthesizer vs native fluidsynth', options.quick ? 10 : 20);
    parts.render = await measure(() => benchRender({ runs: plan.renderRuns, bars: plan.renderBars }));
  }
  if (!skip.has('compose')) {
    on(`compose: ${plan.composeBars} bars celtic, warm-up + ${plan.composeRuns} seeds`, options.quick ? 15 : 30);
    parts.compose = await measure(() => benchCompose({ genre: 'celtic', bars: plan.composeBars, runs: plan.composeRuns, formats: ['ogg', 'mp3'] }));
  }
  if (!skip.has('cold')) {
    on(`cold: mixtape compose as new processes, ${plan.composeBars} bars${options.quick ? '' : ', and once without the SoundFont cache'}`, options.quick ? 15 : 40);
    parts.cold = await measure(() => benchCold({ bars: plan.composeBars, runs: plan.coldRuns, uncached: !options.quick }));
  }
  if (!skip.has('start')) {
    on(`start: the bot's first /compose (${plan.composeBars} bars) after "bot ready", ${plan.startRuns} fresh start${plan.startRuns === 1 ? '' : 's'}`, plan.startRuns * 8);
    parts.start = await measure(() => benchStart({ bars: plan.composeBars, runs: plan.startRuns }));
  }
  if (!skip.has('voice')) {
    on(`voice: first Opus packet of a ${plan.voiceBars * 2} s piece, whole render vs streamed, and of /radio's first piece`, options.quick ? 8 : 30);
    parts.voice = await measure(() => benchVoice({ bars: plan.voiceBars, runs: plan.voiceRuns, radioBars: plan.radioBars }));
  }
  if (!skip.has('memory')) {
    on('memory: training in a child process', plan.memorySeconds + 4);
    parts.memoryTraining = await measure(() => trainingMemory({ seconds: plan.memorySeconds }));
    on('memory: bot with every genre model in a child process', options.quick ? 20 : 40);
    parts.memoryBot = await measure(() => botMemory({ bars: plan.botBars }));
  }
  return parts;
}

/** True when every part that ran produced figures. */
export const allPartsRan = (parts: BenchParts): boolean => Object.values(parts).every((p) => p && !p.error);

export { registerVoiceProbe } from './voice.ts';
