/**
 * Cold start: `mixtape compose` run as a new process, as a user types it (all four formats),
 * with the decoded-SoundFont cache in place, against the same command with the cache turned
 * off (FluidSynth decodes the SF3 at every start, as before the cache).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './stats.ts';

const BIN = fileURLToPath(new URL('../../bin/mixtape.js', import.meta.url));

export interface ColdBench {
  genre: string;
  bars: number;
  runs: number;
  /** Wall time of each cold process with the cache present, ms. */
  cachedMs: number[];
  medianMs: number;
  /** One cold process without the cache (absent with --quick). */
  uncachedMs?: number;
}

/** Wall time of one `mixtape compose` process, ms (rejects when it fails). */
function timeCompose(args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [BIN, 'compose', ...args], { stdio: ['ignore', 'ignore', 'pipe'], env });
    let err = '';
    child.stderr.on('data', (c: Buffer) => { err = (err + c.toString()).slice(-1000); });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(performance.now() - t0);
      else reject(new Error(`mixtape compose exited ${code}: ${err.trim().split('\n').pop()}`));
    });
  });
}

/**
 * Times `runs` cold composes after one that makes sure the cache exists; `uncached` adds one run
 * with MIXTAPE_CACHE_DIR=off. @example (await benchCold({ runs: 3 })).medianMs
 */
export async function benchCold(options: { genre?: string; bars?: number; runs?: number; uncached?: boolean } = {}): Promise<ColdBench> {
  const genre = options.genre ?? 'celtic';
  const bars = options.bars ?? 16;
  const runs = options.runs ?? 3;
  const out = await mkdtemp(join(tmpdir(), 'mixtape-cold-'));
  const env = { ...process.env, LOG_LEVEL: 'error' };
  try {
    const args = (seed: number) => ['--genre', genre, '--bars', String(bars), '--seed', String(seed), '--out', out, '--format', 'mid,ogg,mp3,png'];
    await timeCompose(args(0), env, 180_000); // makes the cache when it is missing
    const cachedMs: number[] = [];
    for (let i = 1; i <= runs; i++) cachedMs.push(await timeCompose(args(i), env, 120_000));
    const uncachedMs = options.uncached ? await timeCompose(args(runs + 1), { ...env, MIXTAPE_CACHE_DIR: 'off' }, 180_000) : undefined;
    return { genre, bars, runs, cachedMs, medianMs: median(cachedMs), uncachedMs };
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}
