/**
 * A Standard MIDI File reader for untrusted bytes, bounded by construction: one pass over the
 * bytes (every step consumes at least one byte, lengths are clamped to their chunk), variable
 * length numbers of at most 4 bytes, and caps on what it keeps (note-ons, tempo and meter
 * events, parts) that throw TOO_LARGE the moment they are passed. So its time is linear in
 * the file's size and its memory is linear in the caps, whatever the bytes say.
 *
 * Its result mirrors what @tonejs/midi made of a file (one part per program and channel of
 * each track chunk, notes paired first-on first-off per pitch, unpaired notes dropped,
 * tempo and meter events from every chunk, the title from the first chunk's name) without its
 * unbounded paths (a 0xFF run read as a giant length, quadratic note pairing).
 */
import { MixtapeError } from './errors.ts';

export interface SmfNote {
  pitch: number;
  /** Start and duration in ticks. */
  ticks: number;
  durationTicks: number;
  /** 1..127 */
  velocity: number;
}

export interface SmfPart {
  name: string;
  channel: number;
  program: number;
  notes: SmfNote[];
}

export interface SmfFile {
  format: number;
  /** Ticks per quarter note (SMPTE files: ticks per half second, i.e. as if at 120 bpm). */
  ppq: number;
  name: string;
  parts: SmfPart[];
  tempos: { ticks: number; bpm: number }[];
  timeSignatures: { ticks: number; numerator: number; denominator: number }[];
}

export interface SmfLimits {
  /** Note-ons kept at most (paired or not). */
  maxNotes: number;
  /** Tempo + time signature events at most. */
  maxMetaEvents?: number;
  /** Parts (program x channel x track chunk) at most. */
  maxParts?: number;
}

const TRACK_NAME_MAX = 200;

const notMidi = () => new MixtapeError('NOT_MIDI', 'that file is not a MIDI file (.mid); send a standard MIDI file');
const tooMany = (what: string, limit: number) =>
  new MixtapeError('TOO_LARGE', `that MIDI file has ${limit + 1}+ ${what}; the limit is ${limit}`);

/** One part being read: its notes and, per pitch, the note-ons still waiting for their off. */
interface OpenPart extends SmfPart {
  pending: Map<number, Fifo>;
}

/** Note-ons of one pitch waiting for their off, oldest first (O(1) at both ends). */
interface Fifo { items: { ticks: number; velocity: number }[]; head: number }

/**
 * Reads a Standard MIDI File. Throws NOT_MIDI for bytes without a MIDI header and TOO_LARGE
 * past a limit; a malformed or truncated event ends its track (what was read is kept).
 * @example readSmf(bytes, { maxNotes: 20000 }).parts[0].notes[0].pitch // 76
 */
export function readSmf(bytes: Uint8Array, limits: SmfLimits): SmfFile {
  const maxMeta = limits.maxMetaEvents ?? 10000;
  const maxParts = limits.maxParts ?? 1024;
  if (bytes.length < 14 || bytes[0] !== 0x4d || bytes[1] !== 0x54 || bytes[2] !== 0x68 || bytes[3] !== 0x64) throw notMidi();
  const u32 = (i: number) => ((bytes[i] << 24) | (bytes[i + 1] << 16) | (bytes[i + 2] << 8) | bytes[i + 3]) >>> 0;
  const headerLength = u32(4);
  if (headerLength < 6 || 8 + headerLength > bytes.length) throw notMidi();
  const format = (bytes[8] << 8) | bytes[9];
  const division = (bytes[12] << 8) | bytes[13];
  // SMPTE timing (top bit set): frames per second x ticks per frame = ticks per second.
  const ppq = division & 0x8000 ? Math.max(1, ((256 - (division >> 8)) * (division & 0xff)) / 2) : division || 480;

  const file: SmfFile = { format, ppq, name: '', parts: [], tempos: [], timeSignatures: [] };
  let noteOns = 0;
  let metaEvents = 0;
  let chunkIndex = 0;
  let pos = Math.min(bytes.length, 8 + headerLength);
  while (pos + 8 <= bytes.length) {
    const isTrack = bytes[pos] === 0x4d && bytes[pos + 1] === 0x54 && bytes[pos + 2] === 0x72 && bytes[pos + 3] === 0x6b;
    const start = pos + 8;
    const end = Math.min(bytes.length, start + u32(pos + 4)); // a lying length is clamped to the file
    if (isTrack) readTrack(start, end, chunkIndex++);
    pos = end;
  }
  if (chunkIndex === 0) throw notMidi(); // a header and no track chunk at all
  if (format === 1 && file.parts.length && file.parts[0].notes.length === 0) file.parts.shift();
  return { ...file, parts: file.parts.map(({ name, channel, program, notes }) => ({ name, channel, program, notes })) };

  function readTrack(start: number, end: number, chunk: number): void {
    let i = start;
    let ticks = 0;
    let status = 0;
    let name = '';
    const program = new Uint8Array(16);
    const parts = new Map<number, OpenPart>(); // key: program * 16 + channel
    let first: OpenPart | undefined; // meta events (the name) belong to the chunk's first part
    const partOf = (channel: number): OpenPart => {
      const key = program[channel] * 16 + channel;
      let part = parts.get(key);
      if (!part) {
        if (file.parts.length >= maxParts) throw tooMany('instrument parts', maxParts);
        part = { name: first ? '' : name, channel, program: program[channel], notes: [], pending: new Map() };
        parts.set(key, part);
        first ??= part;
        file.parts.push(part);
      }
      return part;
    };
    // A variable-length number of at most 4 bytes; -1 when malformed or cut off.
    const varLen = (): number => {
      let v = 0;
      for (let k = 0; k < 4; k++) {
        if (i >= end) return -1;
        const c = bytes[i++];
        v = v * 128 + (c & 0x7f);
        if (!(c & 0x80)) return v;
      }
      return -1;
    };
    while (i < end) {
      const delta = varLen();
      if (delta < 0 || i >= end) break;
      ticks += delta;
      let s = bytes[i];
      if (s & 0x80) i++;
      else if (status) s = status; // running status: this byte is data
      else break; // data with no status to reuse: garbage
      if (s === 0xff) {
        if (i >= end) break;
        const type = bytes[i++];
        const length = varLen();
        if (length < 0 || length > end - i) break;
        meta(type, i, length);
        i += length;
        continue;
      }
      if (s === 0xf0 || s === 0xf7) {
        const length = varLen();
        if (length < 0 || length > end - i) break;
        i += length;
        continue;
      }
      if (s > 0xf0) break; // system common/real-time bytes do not belong in a file
      status = s;
      const kind = s & 0xf0;
      const channel = s & 0x0f;
      const size = kind === 0xc0 || kind === 0xd0 ? 1 : 2;
      if (i + size > end) break;
      const a = bytes[i] & 0x7f;
      const b = size === 2 ? bytes[i + 1] & 0x7f : 0;
      i += size;
      if (kind === 0xc0) {
        program[channel] = a;
        partOf(channel); // the program change opens its part, as a track of its own
      } else if (kind === 0x90 && b > 0) {
        if (++noteOns > limits.maxNotes) throw tooMany('notes', limits.maxNotes);
        const part = partOf(channel);
        const queue = part.pending.get(a);
        if (queue) queue.items.push({ ticks, velocity: b });
        else part.pending.set(a, { items: [{ ticks, velocity: b }], head: 0 });
      } else if (kind === 0x80 || kind === 0x90) {
        const part = partOf(channel);
        const queue = part.pending.get(a);
        const on = queue && queue.head < queue.items.length ? queue.items[queue.head++] : undefined;
        if (on) part.notes.push({ pitch: a, ticks: on.ticks, durationTicks: ticks - on.ticks, velocity: on.velocity });
      } else {
        partOf(channel);
      }
    }
    // A chunk without channel events (a format 1 conductor track) is still a part, so the
    // parts' numbering matches @tonejs/midi's (which drops a first part without notes).
    if (!first && i > start) {
      if (file.parts.length >= maxParts) throw tooMany('instrument parts', maxParts);
      file.parts.push({ name, channel: 0, program: 0, notes: [], pending: new Map() } as OpenPart);
    }

    function meta(type: number, at: number, length: number): void {
      if (type === 0x03) {
        const text = decodeText(bytes.subarray(at, at + Math.min(length, TRACK_NAME_MAX * 4))).slice(0, TRACK_NAME_MAX);
        if (!name) name = text;
        if (first && !first.name) first.name = text;
        if (chunk === 0) file.name = text;
        return;
      }
      if (type === 0x51 && length >= 3) {
        if (++metaEvents > maxMeta) throw tooMany('tempo and meter events', maxMeta);
        const micros = (bytes[at] << 16) | (bytes[at + 1] << 8) | bytes[at + 2];
        file.tempos.push({ ticks, bpm: micros > 0 ? 60_000_000 / micros : Infinity });
        return;
      }
      if (type === 0x58 && length >= 2) {
        if (++metaEvents > maxMeta) throw tooMany('tempo and meter events', maxMeta);
        file.timeSignatures.push({ ticks, numerator: bytes[at], denominator: bytes[at + 1] < 8 ? 2 ** bytes[at + 1] : 0 });
      }
    }
  }
}

/** Latin-1 text (MIDI predates UTF-8; most files use ASCII). */
function decodeText(b: Uint8Array): string {
  let s = '';
  for (let k = 0; k < b.length; k++) s += String.fromCharCode(b[k]);
  return s.replace(/\0+$/, '');
}
