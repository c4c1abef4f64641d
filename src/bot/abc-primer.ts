/**
 * ABC tunes as `/continue` primers: a `.abc` attachment or text pasted into the `abc` option
 * (Discord turns its line breaks into spaces; the reader puts the header fields back on lines).
 */
import type { Attachment } from 'discord.js';
import { MixtapeError } from '../engine/errors.ts';
import { writeMidi } from '../engine/midi.ts';
import { ABC_MAX_CHARS, readAbc } from '../engine/notation/index.ts';
import { download, formatBytes } from './attachments.ts';

/** True for an ABC file name. @example isAbcName('tune.abc') // true */
export const isAbcName = (name: string): boolean => /\.abc$/i.test(name);

/** Largest .abc attachment (bytes). */
export const MAX_ABC_BYTES = ABC_MAX_CHARS * 2;

/** Refuses an .abc attachment by its declared size before any download. */
export function checkAbcUpload(a: Pick<Attachment, 'name' | 'size'>): void {
  if (a.size > MAX_ABC_BYTES) {
    throw new MixtapeError('TOO_LARGE', `"${a.name}" is ${formatBytes(a.size)}; an ABC file may be ${formatBytes(MAX_ABC_BYTES)}. Attach one tune.`);
  }
}

/** An ABC tune (text) as MIDI bytes for the studio; a clear error when it is not one. */
export function abcToPrimer(text: string): Uint8Array {
  try {
    return writeMidi(readAbc(text));
  } catch (e) {
    if (e instanceof MixtapeError) throw new MixtapeError(e.code, `Your ABC tune could not be read: ${e.message}.`);
    throw e;
  }
}

/** Downloads an .abc attachment (bounded) and turns it into MIDI. */
export async function abcAttachmentToPrimer(url: string, timeoutMs: number): Promise<Uint8Array> {
  const bytes = await download(url, MAX_ABC_BYTES, timeoutMs);
  return abcToPrimer(new TextDecoder('utf-8', { fatal: false }).decode(bytes));
}
