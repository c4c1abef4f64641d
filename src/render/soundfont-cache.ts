/**
 * The decoded-SoundFont cache: an SF3 (Vorbis-compressed) font is converted once to an SF2 in a
 * cache folder, named after the SHA-256 of the original, so every later start loads plain
 * samples (about 0.5 s) instead of decoding every Vorbis sample again (6 to 18 s here).
 * A changed font has a new hash, hence a new cache file; a cache that cannot be written (a
 * read-only disk) only costs speed.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { sf3ToSf2, soundfontVersion, type VorbisDecode } from './sf3.ts';

/** Bump when the converter's output changes: old cache files are then ignored. */
export const CACHE_FORMAT = 2;

/** How a font was obtained: loaded as is (an SF2), from the cache, or converted now (and cached). */
export type FontSource = 'direct' | 'cache' | 'converted';

/**
 * The cache folder: $MIXTAPE_CACHE_DIR, else $XDG_CACHE_HOME/mixtape, else ~/.cache/mixtape;
 * null (no cache) when MIXTAPE_CACHE_DIR is `off`.
 * @example soundfontCacheDir() // '/home/me/.cache/mixtape'
 */
export function soundfontCacheDir(): string | null {
  if (process.env.MIXTAPE_CACHE_DIR === 'off') return null;
  if (process.env.MIXTAPE_CACHE_DIR) return process.env.MIXTAPE_CACHE_DIR;
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'mixtape');
}

/** The cache file for a font's bytes. @example cachePathFor('/f/Font.sf3', bytes, '/c') // '/c/Font-1a2b...-v1.sf2' */
export function cachePathFor(fontPath: string, bytes: Uint8Array, dir: string): string {
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 24);
  const stem = basename(fontPath).replace(/\.(sf[23]|wasm)$/gi, '').replace(/[^\w.-]/g, '_').slice(0, 60);
  return join(dir, `${stem}-${hash}-v${CACHE_FORMAT}.sf2`);
}

/** A Vorbis decoder (WebAssembly, @wasm-audio-decoders/ogg-vorbis) for sf3ToSf2. */
export async function wasmVorbisDecoder(): Promise<{ decode: VorbisDecode; free: () => void }> {
  const { OggVorbisDecoder } = await import('@wasm-audio-decoders/ogg-vorbis');
  const decoder = new OggVorbisDecoder();
  await decoder.ready;
  return {
    decode: async (ogg) => {
      const r = await decoder.decodeFile(ogg);
      await decoder.reset(); // each sample is its own Ogg stream
      if (r.errors.length > 0) throw new Error(`a Vorbis sample does not decode (${r.errors[0].message})`);
      return r.channelData[0] ?? new Float32Array(0);
    },
    free: () => decoder.free(),
  };
}

/** Reads a cache file when it looks whole (RIFF header, size matches the RIFF length). */
async function readCache(path: string): Promise<Uint8Array | undefined> {
  try {
    const bytes = new Uint8Array(await readFile(path));
    const riff = bytes.length >= 12 ? new DataView(bytes.buffer, bytes.byteOffset).getUint32(4, true) + 8 : -1;
    return riff === bytes.length ? bytes : undefined;
  } catch {
    return undefined;
  }
}

/** Writes via a temp name and a rename, so a reader never sees half a file. */
async function writeCache(path: string, bytes: Uint8Array): Promise<boolean> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(tmp, bytes);
    await rename(tmp, path);
    return true;
  } catch {
    await rm(tmp, { force: true }).catch(() => {});
    return false;
  }
}

/**
 * The bytes to hand FluidSynth for a font file: an SF2 as read; an SF3 from the cache, or
 * converted now and cached for next time (`cacheDir: null`: no cache). Throws only what reading the original throws.
 * @example const { bytes, source } = await soundfontBytes('/f/FluidR3Mono_GM.sf3')
 */
export async function soundfontBytes(path: string, options: { cacheDir?: string | null } = {}): Promise<{ bytes: Uint8Array; source: FontSource; cachePath?: string }> {
  const original = new Uint8Array(await readFile(path));
  const dir = options.cacheDir === undefined ? soundfontCacheDir() : options.cacheDir;
  if (dir === null) return { bytes: original, source: 'direct' }; // no cache: FluidSynth decodes
  let version: number;
  try {
    version = soundfontVersion(original);
  } catch {
    return { bytes: original, source: 'direct' }; // FluidSynth will say what is wrong with it
  }
  if (version < 3) return { bytes: original, source: 'direct' };
  const cachePath = cachePathFor(path, original, dir);
  const cached = await readCache(cachePath);
  if (cached) return { bytes: cached, source: 'cache', cachePath };
  const { decode, free } = await wasmVorbisDecoder();
  try {
    const bytes = await sf3ToSf2(original, decode);
    const written = await writeCache(cachePath, bytes);
    return { bytes, source: 'converted', cachePath: written ? cachePath : undefined };
  } finally {
    free();
  }
}

/** Removes a cache file FluidSynth rejected, so the next start converts again. */
export async function dropCache(path: string): Promise<void> {
  await rm(path, { force: true });
}
