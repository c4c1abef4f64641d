/**
 * The MIDI files of an uploaded zip, checked against the bytes ACTUALLY inflated, never the
 * sizes its headers claim: the archive is fed to a streaming inflater in small slices and
 * every inflated chunk is counted, so a lying or "bomb" archive is stopped after at most
 * `maxUnzippedBytes` (plus one slice's worth) of work. Runs in a worker with a time limit and
 * a memory ceiling (see unzipInWorker); this module itself is pure and synchronous.
 */
import { Unzip, UnzipInflate, UnzipPassThrough } from 'fflate';
import { MixtapeError } from '../engine/errors.ts';

export interface UnzipLimits {
  maxZipEntries: number;
  maxUnzippedBytes: number;
  maxMidiBytes: number;
}

export interface UnzippedFile {
  name: string;
  bytes: Uint8Array;
}

/** Compressed bytes fed at once: at a deflate's best ratio (~1:1032) one slice inflates to at most ~4 MB. */
const SLICE = 4 * 1024;

const isMidiName = (name: string): boolean => /\.(mid|midi|kar|smf)$/i.test(name);
const hasMidiHeader = (b: Uint8Array): boolean => b.length >= 14 && b[0] === 0x4d && b[1] === 0x54 && b[2] === 0x68 && b[3] === 0x64;
const human = (n: number) => `${Math.round(n / 1024 / 102.4) / 10} MB`; // e.g. '1 MB', '32 MB'

/**
 * Unpacks the MIDI files of a zip (other entries are skipped without being inflated).
 * Throws TOO_LARGE past a limit, BAD_ARGUMENT for a damaged archive, NOT_MIDI when it holds none.
 * @example unzipMidiFiles(zipSync({ 'a.mid': midi }), limits)[0].name // 'a.mid'
 */
export function unzipMidiFiles(zip: Uint8Array, limits: UnzipLimits): UnzippedFile[] {
  // A zip starts with a local file header (PK 3 4), or is an empty archive (PK 5 6).
  if (zip.length < 4 || zip[0] !== 0x50 || zip[1] !== 0x4b || !((zip[2] === 3 && zip[3] === 4) || (zip[2] === 5 && zip[3] === 6))) throw damaged();
  const out: UnzippedFile[] = [];
  let entries = 0;
  let total = 0;
  let stop: MixtapeError | undefined;
  const unzip = new Unzip((file) => {
    if (stop || file.name.endsWith('/') || file.name.startsWith('__MACOSX/') || !isMidiName(file.name)) return;
    if (++entries > limits.maxZipEntries) {
      stop = new MixtapeError('TOO_LARGE', `The zip holds more than ${limits.maxZipEntries} MIDI files. Put fewer in it.`);
      return;
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    file.ondata = (err, chunk, final) => {
      if (stop) return;
      if (err) {
        stop = damaged();
        return;
      }
      size += chunk.length;
      total += chunk.length; // what really came out, whatever the header said
      if (size > limits.maxMidiBytes) {
        stop = new MixtapeError('TOO_LARGE', `"${baseName(file.name)}" in the zip is over ${human(limits.maxMidiBytes)}, the limit per MIDI file. Send smaller files.`);
      } else if (total > limits.maxUnzippedBytes) {
        stop = new MixtapeError('TOO_LARGE', `The zip unpacks to more than ${human(limits.maxUnzippedBytes)}. Send fewer or smaller files.`);
      }
      if (stop) {
        file.terminate();
        return;
      }
      chunks.push(chunk);
      if (final) {
        const bytes = concat(chunks, size);
        if (hasMidiHeader(bytes)) out.push({ name: baseName(file.name), bytes });
      }
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  unzip.register(UnzipPassThrough);
  try {
    for (let at = 0; at < zip.length && !stop; at += SLICE) {
      unzip.push(zip.subarray(at, Math.min(zip.length, at + SLICE)), at + SLICE >= zip.length);
    }
  } catch (e) {
    if (e instanceof MixtapeError) throw e;
    throw stop ?? damaged();
  }
  if (stop) throw stop;
  if (!out.length) throw new MixtapeError('NOT_MIDI', 'The zip holds no MIDI files. Put .mid files in it and try again.');
  return out;
}

const damaged = () => new MixtapeError('BAD_ARGUMENT', 'The zip file is damaged or uses an unsupported compression. Please make a new .zip of your MIDI files.');
const baseName = (path: string) => path.split('/').pop() || path;

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) { out.set(c, o); o += c.length; }
  return out;
}

/** Deadline and heap ceiling of one zip's unpacking. */
export const UNZIP_TIMEOUT_MS = 10_000;
export const UNZIP_HEAP_MB = 128;

/**
 * Unpacks a zip in a worker with a deadline and a memory ceiling (the bot's way).
 * @example const files = await unzipInWorker(bytes, limits)
 */
export async function unzipInWorker(zip: Uint8Array, limits: UnzipLimits, opts: { timeoutMs?: number; maxHeapMb?: number } = {}): Promise<UnzippedFile[]> {
  const { runIsolated } = await import('./isolate.ts');
  return runIsolated<{ zip: Uint8Array; limits: UnzipLimits }, UnzippedFile[]>(new URL('./unzip-worker.ts', import.meta.url), { zip, limits }, {
    timeoutMs: opts.timeoutMs ?? UNZIP_TIMEOUT_MS,
    maxHeapMb: opts.maxHeapMb ?? UNZIP_HEAP_MB,
    what: 'Unpacking your zip',
  });
}
