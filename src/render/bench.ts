/**
 * Render benchmark: the same ~60 s piano piece and the same SoundFont through js-synthesizer
 * (warm worker, font already loaded) and through the native `fluidsynth` CLI when installed.
 * Speeds are seconds of audio per wall second.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Note, Score } from '../engine/score.ts';
import { scoreToMidi } from './midi.ts';
import { Renderer } from './renderer.ts';
import { resolveSoundfont } from './soundfont.ts';

export interface BenchResult {
  soundfont: string;
  audioSeconds: number;
  notes: number;
  js: { loadMs: number; renderMs: number; speed: number };
  /** Absent when `fluidsynth` is not installed. */
  native?: { wallMs: number; loadMs: number; speed: number; speedWithLoad: number };
  /** js speed / native speed (native without its font load), and with native's load counted. */
  ratio?: number;
  ratioWithLoad?: number;
}

/** A deterministic ~60 s two-hand piano piece (melody in eighths over block chords), 120 bpm 4/4. */
export function benchPiece(bars = 30): Score {
  const melody: Note[] = [];
  const chords: Note[] = [];
  const scale = [0, 2, 4, 5, 7, 9, 11, 12];
  const roots = [0, 5, 7, 9, 2, 7, 0, 4];
  for (let bar = 0; bar < bars; bar++) {
    const root = roots[bar % roots.length];
    for (const iv of [0, 4, 7]) chords.push({ pitch: 48 + root + iv, start: bar * 4, duration: 3.9, velocity: 64 });
    for (let e = 0; e < 8; e++) {
      const step = scale[(bar * 3 + e * 5 + (e % 3)) % scale.length];
      melody.push({ pitch: 67 + step, start: bar * 4 + e * 0.5, duration: 0.45, velocity: 80 + ((e * 7) % 20) });
    }
  }
  return {
    title: 'bench', lengthBeats: bars * 4,
    tempos: [{ beat: 0, bpm: 120 }], timeSignatures: [{ beat: 0, numerator: 4, denominator: 4 }],
    tracks: [
      { name: 'right hand', program: 0, isDrum: false, notes: melody },
      { name: 'left hand', program: 0, isDrum: false, notes: chords },
    ],
  };
}

/** Runs a command and returns its wall time in ms (rejects on failure). */
function timeCommand(cmd: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => { err = (err + c.toString()).slice(-500); });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(performance.now() - t0) : reject(new Error(`${cmd} exited ${code}: ${err.trim()}`))));
  });
}

const nativeArgs = (out: string, font: string, midi: string) => ['-ni', '-q', '-g', '0.5', '-F', out, '-r', '48000', font, midi];

/** Benchmarks js-synthesizer against native fluidsynth (best of `runs`). */
export async function benchRender(options: { soundfont?: string; runs?: number; bars?: number } = {}): Promise<BenchResult> {
  const soundfont = resolveSoundfont(options.soundfont);
  const runs = options.runs ?? 3;
  const score = benchPiece(options.bars ?? 30);
  const midi = scoreToMidi(score);
  const renderer = new Renderer({ soundfont });
  const dir = await mkdtemp(join(tmpdir(), 'mixtape-bench-'));
  try {
    const loadMs = await renderer.ready();
    await renderer.render(scoreToMidi(benchPiece(2))); // warm up the JIT
    let best = Infinity;
    let audioSeconds = 0;
    for (let i = 0; i < runs; i++) {
      const r = await renderer.render(midi);
      best = Math.min(best, r.renderMs);
      audioSeconds = r.durationSeconds;
    }
    const result: BenchResult = {
      soundfont, audioSeconds, notes: score.tracks.reduce((n, t) => n + t.notes.length, 0),
      js: { loadMs, renderMs: best, speed: audioSeconds / (best / 1000) },
    };
    const midiPath = join(dir, 'bench.mid');
    const tinyPath = join(dir, 'tiny.mid');
    await writeFile(midiPath, midi);
    await writeFile(tinyPath, scoreToMidi({ ...score, lengthBeats: 0.25, tracks: [{ name: 'x', program: 0, isDrum: false, notes: [{ pitch: 60, start: 0, duration: 0.25, velocity: 1 }] }] }));
    try {
      let wall = Infinity;
      let load = Infinity;
      for (let i = 0; i < runs; i++) {
        load = Math.min(load, await timeCommand('fluidsynth', nativeArgs(join(dir, 'tiny.wav'), soundfont, tinyPath)));
        wall = Math.min(wall, await timeCommand('fluidsynth', nativeArgs(join(dir, 'out.wav'), soundfont, midiPath)));
      }
      const synthMs = Math.max(1, wall - load);
      // Native renders until its player stops (no tail), so compare by the music's length.
      const music = result.audioSeconds;
      result.native = { wallMs: wall, loadMs: load, speed: music / (synthMs / 1000), speedWithLoad: music / (wall / 1000) };
      result.ratio = result.js.speed / result.native.speed;
      result.ratioWithLoad = result.js.speed / result.native.speedWithLoad;
    } catch {
      // fluidsynth not installed or failed: report js-synthesizer alone
    }
    return result;
  } finally {
    await renderer.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Human-readable lines for a bench result. */
export function formatBench(r: BenchResult): string {
  const x = (v: number) => `${v.toFixed(1)}x`;
  const lines = [
    `render benchmark: ${r.audioSeconds.toFixed(1)} s of audio, ${r.notes} notes, font ${r.soundfont}`,
    `  js-synthesizer (wasm, warm): ${r.js.renderMs.toFixed(0)} ms -> ${x(r.js.speed)} real time (font load ${(r.js.loadMs / 1000).toFixed(1)} s, once)`,
  ];
  if (r.native && r.ratio !== undefined && r.ratioWithLoad !== undefined) {
    lines.push(`  native fluidsynth CLI: ${r.native.wallMs.toFixed(0)} ms wall incl. ${r.native.loadMs.toFixed(0)} ms start+load -> ${x(r.native.speed)} synthesis only, ${x(r.native.speedWithLoad)} with load`);
    lines.push(`  ratio js/native: ${r.ratio.toFixed(2)} (synthesis only), ${r.ratioWithLoad.toFixed(2)} (native incl. its load, as a per-request CLI would run)`);
  } else lines.push('  native fluidsynth: not installed (apt install fluidsynth to compare)');
  return lines.join('\n');
}
