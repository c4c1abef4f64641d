/** End-to-end compose timing in a warm process: one warm-up, then several seeds; medians. */
import type { AudioFormat, StageTimings } from '../studio/types.ts';
import { median } from './stats.ts';

export interface ComposeBench {
  genre: string;
  bars: number;
  formats: AudioFormat[];
  runs: number;
  /** Rest before each measured run, ms. */
  restMs: number;
  /** The first compose: loads the model and the SoundFont. */
  warmupMs: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** Median of each stage over the measured runs. */
  stages: StageTimings;
  /** Median length of the music, and music seconds per wall second. */
  musicSeconds: number;
  realtimeFactor: number;
}

/** Pause before each measured run, ms. */
export const REST_MS = 250;

/**
 * Times `composeTrack` for `runs` seeds after one warm-up call, each after a short rest.
 * @example (await benchCompose({ genre: 'celtic', bars: 16, runs: 7 })).medianMs
 */
export async function benchCompose(options: { genre?: string; bars?: number; runs?: number; formats?: AudioFormat[] } = {}): Promise<ComposeBench> {
  const { composeTrack, keepEncodersWarm } = await import('../studio/index.ts');
  keepEncodersWarm(); // as the bot and the workers compose
  const genre = options.genre ?? 'celtic';
  const bars = options.bars ?? 16;
  const runs = options.runs ?? 7;
  const formats = options.formats ?? ['ogg', 'mp3'];
  const t0 = performance.now();
  await composeTrack({ genre, bars, seed: 0, formats });
  const warmupMs = performance.now() - t0;
  const totals: number[] = [];
  const stages: StageTimings[] = [];
  const music: number[] = [];
  for (let seed = 1; seed <= runs; seed++) {
    // A member's compose meets a warm process that is not already composing (a saturated one is
    // `mixtape loadtest`'s subject): a short rest lets the previous run's idle encoders start.
    await new Promise((r) => setTimeout(r, REST_MS));
    const t = performance.now();
    const r = await composeTrack({ genre, bars, seed, formats });
    totals.push(performance.now() - t);
    stages.push(r.timings);
    music.push(r.durationSeconds);
  }
  const stage = (k: keyof StageTimings) => median(stages.map((s) => s[k]));
  const medianMs = median(totals);
  const musicSeconds = median(music);
  return {
    genre, bars, formats, runs, restMs: REST_MS, warmupMs, medianMs, minMs: Math.min(...totals), maxMs: Math.max(...totals),
    stages: { generateMs: stage('generateMs'), renderMs: stage('renderMs'), encodeMs: stage('encodeMs'), imageMs: stage('imageMs') },
    musicSeconds, realtimeFactor: musicSeconds / (medianMs / 1000),
  };
}
