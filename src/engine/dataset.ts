/**
 * Training data on disk: list MIDI files and split them into train/valid by a hash of their
 * relative path (stable across runs and machines); pieces.ts reads and parses them. Also knows
 * where each genre's sources live under the shared datasets folder.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MixtapeError } from './errors.ts';
import { getGenre } from './genres/index.ts';
import type { Note, Score } from './score.ts';
import { seedFrom } from './random.ts';

/** The shared datasets folder next to the checkout (override with MIXTAPE_DATASETS). @example defaultDatasetsDir() // '.../shared/datasets' */
export function defaultDatasetsDir(): string {
  return process.env.MIXTAPE_DATASETS || fileURLToPath(new URL('../../../shared/datasets/', import.meta.url));
}

export interface ListOptions {
  /** Stop after this many files (default 100000). */
  maxFiles?: number;
  /** Deepest folder level visited (default 12). */
  maxDepth?: number;
  /** Relative path prefixes to skip. */
  exclude?: string[];
}

/**
 * MIDI files (.mid/.midi, any case) under `dir`, recursively, sorted by relative path.
 * @example listMidiFiles('datasets/jazz').length // 408
 */
export function listMidiFiles(dir: string, options: ListOptions = {}): string[] {
  const maxFiles = options.maxFiles ?? 100000;
  const maxDepth = options.maxDepth ?? 12;
  const exclude = (options.exclude ?? []).map((e) => e.split('/').join(sep));
  let entriesRoot: string[];
  try {
    entriesRoot = readdirSync(dir);
  } catch {
    throw new MixtapeError('NOT_FOUND', `no folder at ${dir}; check the datasets path`);
  }
  const found: string[] = [];
  const walk = (folder: string, names: string[], depth: number) => {
    for (const name of [...names].sort()) {
      if (found.length >= maxFiles) return;
      const path = join(folder, name);
      const rel = relative(dir, path);
      if (exclude.some((e) => rel === e || rel.startsWith(e + sep))) continue;
      let stat;
      try {
        stat = statSync(path);
      } catch {
        continue;
      }
      if (stat.isDirectory()) {
        if (depth < maxDepth) {
          try {
            walk(path, readdirSync(path), depth + 1);
          } catch {
            // unreadable folder: skip
          }
        }
      } else if (/\.midi?$/i.test(name)) found.push(path);
    }
  };
  walk(dir, entriesRoot, 0);
  // Plain code-unit order, not localeCompare: the same on every machine and locale.
  return found.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** All MIDI files of a genre's training sources (src/engine/genres) under a datasets root. @example genreFiles('jazz').length // 408 */
export function genreFiles(genre: string, root = defaultDatasetsDir(), options: ListOptions = {}): string[] {
  return getGenre(genre).sources.flatMap((s) => listMidiFiles(join(root, s.path), options));
}

/**
 * True when a relative path falls in the validation part (hash of seed + path < fraction).
 * @example isValidationFile('jazz/x.mid', 0.1) // false for about 90 % of paths
 */
export function isValidationFile(relativePath: string, validFraction: number, seed = 0): boolean {
  const normalized = relativePath.split(sep).join('/');
  return seedFrom(`${seed}:${normalized}`) / 4294967296 < validFraction;
}

/**
 * Deterministic train/valid split by a hash of each file's path relative to `root` (so the
 * same file stays held out whatever else is added or removed).
 * @example splitFiles(files, 0.1, 0, datasetsRoot).valid.length // about 10 %
 */
export function splitFiles(files: readonly string[], validFraction: number, seed = 0, root = ''): { train: string[]; valid: string[] } {
  return splitByName(files, (f) => (root ? relative(root, f) : f), validFraction, seed);
}

/**
 * Split any items by a hash of their name (what splitFiles does for paths).
 * @example splitByName(pieces, (p) => p.name, 0.1).valid.length
 */
export function splitByName<T>(items: readonly T[], nameOf: (item: T) => string, validFraction: number, seed = 0): { train: T[]; valid: T[] } {
  if (!(validFraction >= 0 && validFraction <= 1)) throw new MixtapeError('BAD_ARGUMENT', `validFraction must be between 0 and 1, got ${validFraction}`);
  const train: T[] = [];
  const valid: T[] = [];
  for (const item of items) (isValidationFile(nameOf(item), validFraction, seed) ? valid : train).push(item);
  return { train, valid };
}

/**
 * Bach chorales from the JSB JSON (piano-roll: one list of MIDI pitches per 16th step).
 * Equal consecutive pitches are merged into held notes (the format cannot tell repeats apart).
 * @example loadJsbChorales('jsb-chorales-16th.json', 'train').length // 229
 */
export function loadJsbChorales(file: string, split: 'train' | 'valid' | 'test', stepBeats = 0.25): Score[] {
  const data = JSON.parse(readFileSync(file, 'utf8')) as Record<string, number[][][]>;
  const chorales = data[split];
  if (!Array.isArray(chorales)) throw new MixtapeError('BAD_ARGUMENT', `${file} has no "${split}" split`);
  return chorales.map((steps, i) => {
    const notes: Note[] = [];
    const open = new Map<number, number>(); // pitch -> start step
    const closeMissing = (step: number, keep: Set<number>) => {
      for (const [pitch, start] of [...open]) {
        if (keep.has(pitch)) continue;
        notes.push({ pitch, start: start * stepBeats, duration: (step - start) * stepBeats, velocity: 80 });
        open.delete(pitch);
      }
    };
    steps.forEach((chord, step) => {
      const now = new Set(chord.filter((p) => Number.isFinite(p)).map((p) => Math.round(p)));
      closeMissing(step, now);
      for (const p of now) if (!open.has(p)) open.set(p, step);
    });
    closeMissing(steps.length, new Set());
    notes.sort((a, b) => a.start - b.start || a.pitch - b.pitch);
    return {
      title: `jsb-${split}-${i + 1}`,
      tracks: [{ name: 'Chorale', program: 19, isDrum: false, notes }],
      tempos: [{ beat: 0, bpm: 80 }],
      timeSignatures: [{ beat: 0, numerator: 4, denominator: 4 }],
      lengthBeats: steps.length * stepBeats,
    };
  });
}
