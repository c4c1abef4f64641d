/**
 * The mixtape as one recording: pieces rendered one after another with cross-fades, encoded
 * (Ogg/Opus and MP3 by default), with where each piece starts for the tracklist. Its length
 * is the pieces' lengths minus one cross-fade per join.
 */
import { MixtapeError } from '../engine/errors.ts';
import { DEFAULT_MAX_BYTES, encode } from '../render/index.ts';
import { crossfadeConcat, pcmFrames } from '../render/mixdown.ts';
import type { AudioFormat } from './types.ts';

const RATE = 48000;
/** Most pieces in one recording. */
export const MAX_RECORD_PIECES = 20;

export interface RecordPiece {
  title: string;
  midi: Uint8Array;
  instrument?: string;
}

export interface RecordOptions {
  /** Seconds each piece overlaps the next (default 3). */
  crossfadeSeconds?: number;
  formats?: AudioFormat[];
  maxBytes?: number;
}

export interface Recording {
  audio: { format: AudioFormat; bytes: Uint8Array }[];
  durationSeconds: number;
  /** Seconds at which each piece starts, and each piece's own length. */
  starts: number[];
  lengths: number[];
  crossfadeSeconds: number;
}

/** Renders a stored piece to 48 kHz stereo s16 PCM. */
export type PieceRenderer = (midi: Uint8Array, opts: { instrument?: string }) => Promise<Int16Array>;

/**
 * Renders and joins the pieces. @example await recordMixtape(pieces, { crossfadeSeconds: 3 }, renderPcm)
 */
export async function recordMixtape(pieces: readonly RecordPiece[], o: RecordOptions, render: PieceRenderer): Promise<Recording> {
  if (pieces.length === 0) throw new MixtapeError('NOT_FOUND', 'there are no tracks to record');
  if (pieces.length > MAX_RECORD_PIECES) throw new MixtapeError('TOO_LARGE', `a recording holds at most ${MAX_RECORD_PIECES} tracks`);
  const fade = Math.max(0, Math.min(10, o.crossfadeSeconds ?? 3));
  const pcms: Int16Array[] = [];
  for (const p of pieces) pcms.push(await render(p.midi, { instrument: p.instrument })); // one at a time: bounded memory and CPU
  const joined = crossfadeConcat(pcms, Math.round(fade * RATE));
  const pcm16 = { samples: joined.pcm, sampleRate: RATE, channels: 2 as const };
  const formats = o.formats ?? ['ogg', 'mp3'];
  const audio = await Promise.all(formats.map(async (format) => ({ format, bytes: await encode(pcm16, format, { maxBytes: o.maxBytes ?? DEFAULT_MAX_BYTES }) })));
  return {
    audio,
    durationSeconds: pcmFrames(joined.pcm) / RATE,
    starts: joined.starts.map((f) => f / RATE),
    lengths: pcms.map((p) => pcmFrames(p) / RATE),
    crossfadeSeconds: fade,
  };
}
