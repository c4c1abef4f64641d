/**
 * Member uploads: checked by name and declared size BEFORE any download, then fetched with a
 * byte cap and a timeout, then checked again (MIDI magic, zip bounds).
 */
import type { Attachment } from 'discord.js';
import { MixtapeError } from '../engine/errors.ts';
import { looksLikeMidi as isMidiHeader } from '../engine/midi.ts';
import { unzipInWorker, type UnzipLimits } from '../untrusted/unzip.ts';

export interface UploadedFile {
  name: string;
  bytes: Uint8Array;
}

const MIDI_EXT = /\.(mid|midi|kar|smf)$/i;

/** True for a MIDI file name. @example isMidiName('a.MID') // true */
export const isMidiName = (name: string): boolean => MIDI_EXT.test(name);

/** True for a zip file name. @example isZipName('songs.zip') // true */
export const isZipName = (name: string): boolean => /\.zip$/i.test(name);

/** Human size. @example formatBytes(1536) // '1.5 KB' */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1).replace(/\.0$/, '')} KB`;
  return `${(n / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MB`;
}

/** Refuses an attachment by its name and declared size; nothing is downloaded. */
export function checkUpload(a: Pick<Attachment, 'name' | 'size'>, kind: 'midi' | 'midi-or-zip', limits: { maxMidiBytes: number; maxZipBytes: number }): 'midi' | 'zip' {
  const zip = kind === 'midi-or-zip' && isZipName(a.name);
  if (!zip && !isMidiName(a.name)) {
    const want = kind === 'midi' ? 'a MIDI file (.mid or .midi)' : 'MIDI files (.mid) or one .zip of MIDI files';
    throw new MixtapeError('NOT_MIDI', `"${a.name}" is not a MIDI file. Please attach ${want}.`);
  }
  const max = zip ? limits.maxZipBytes : limits.maxMidiBytes;
  if (a.size > max) {
    throw new MixtapeError('TOO_LARGE', `"${a.name}" is ${formatBytes(a.size)}; the limit is ${formatBytes(max)}. Please attach a smaller file.`);
  }
  return zip ? 'zip' : 'midi';
}

/** Downloads a URL with a byte cap and a timeout; never buffers more than `maxBytes`. */
export async function download(url: string, maxBytes: number, timeoutMs: number): Promise<Uint8Array> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch {
    throw new MixtapeError('UNAVAILABLE', 'Could not download the attachment from Discord. Please try again.');
  }
  if (!res.ok || !res.body) throw new MixtapeError('UNAVAILABLE', 'Could not download the attachment from Discord. Please try again.');
  const declared = Number(res.headers.get('content-length') ?? 0);
  if (declared > maxBytes) {
    await res.body.cancel().catch(() => undefined);
    throw new MixtapeError('TOO_LARGE', `The attachment is larger than ${formatBytes(maxBytes)}.`);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for await (const chunk of res.body) {
      total += chunk.length;
      if (total > maxBytes) throw new MixtapeError('TOO_LARGE', `The attachment is larger than ${formatBytes(maxBytes)}.`);
      chunks.push(chunk);
    }
  } catch (e) {
    if (e instanceof MixtapeError) throw e;
    throw new MixtapeError('UNAVAILABLE', 'The attachment download timed out. Please try again.');
  }
  return concat(chunks, total);
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) { out.set(c, o); o += c.length; }
  return out;
}

/** A whole MIDI header (14 bytes) that starts with MThd. */
export const looksLikeMidi = (b: Uint8Array): boolean => b.length >= 14 && isMidiHeader(b);

/** Refuses bytes that are not a MIDI file. */
export function assertMidi(name: string, bytes: Uint8Array): void {
  if (!looksLikeMidi(bytes)) throw new MixtapeError('NOT_MIDI', `"${name}" is not a valid MIDI file (it has no MIDI header). Please export it again as .mid.`);
}

/**
 * The MIDI files inside a zip, unpacked in a worker with a deadline and a memory ceiling and
 * bounded by the bytes actually inflated (zip bombs and lying headers are refused).
 */
export function unzipMidi(zip: Uint8Array, limits: UnzipLimits): Promise<UploadedFile[]> {
  return unzipInWorker(zip, limits);
}
