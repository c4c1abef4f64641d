/**
 * Standard MIDI files <-> Score. Reading treats the bytes as untrusted and uses Mixtape's own
 * bounded reader (smf.ts); writing (trusted scores) uses @tonejs/midi.
 */
import tonejs from '@tonejs/midi';
import { MixtapeError } from './errors.ts';
import type { Note, Score, TempoChange, TimeSignature, Track } from './score.ts';
import { DEFAULT_BPM } from './score.ts';
import { readSmf, type SmfFile } from './smf.ts';

const { Midi } = tonejs;

/** Largest MIDI file accepted (2 MiB). */
export const MIDI_MAX_BYTES = 2 * 1024 * 1024;
/** Most notes accepted in one file. */
export const MIDI_MAX_NOTES = 20000;
/** Longest piece accepted, in beats (about 2.8 hours at 120 bpm): keeps grid encodings bounded. */
export const MIDI_MAX_BEATS = 20000;
/** Ticks per quarter note of written files. */
export const WRITE_PPQ = 480;
/** General MIDI drums live on channel 10 (index 9). */
export const DRUM_CHANNEL = 9;

export interface ReadMidiOptions {
  /** Title of the score (default: the MIDI's own name, else 'untitled'). */
  title?: string;
  maxBytes?: number;
  maxNotes?: number;
  maxBeats?: number;
  /** Keep tracks without notes (default false). */
  keepEmptyTracks?: boolean;
}

/** True when the bytes start like a Standard MIDI File (an "MThd" chunk). @example looksLikeMidi(writeMidi(score)) // true */
export function looksLikeMidi(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x4d && bytes[1] === 0x54 && bytes[2] === 0x68 && bytes[3] === 0x64;
}

const notMidi = () => new MixtapeError('NOT_MIDI', 'that file is not a MIDI file (.mid); send a standard MIDI file');

/**
 * Count note-on events (velocity > 0) by walking the track chunks, without building objects.
 * Stops early once `limit` is passed. Throws NOT_MIDI on a malformed header.
 * @example countMidiNotes(bytes) // 264
 */
export function countMidiNotes(bytes: Uint8Array, limit = Infinity): number {
  if (bytes.length < 14 || !looksLikeMidi(bytes)) throw notMidi();
  const u32 = (i: number) => ((bytes[i] << 24) | (bytes[i + 1] << 16) | (bytes[i + 2] << 8) | bytes[i + 3]) >>> 0;
  let pos = 8 + u32(4);
  let notes = 0;
  while (pos + 8 <= bytes.length && notes <= limit) {
    const isTrack = String.fromCharCode(...bytes.subarray(pos, pos + 4)) === 'MTrk';
    const end = Math.min(bytes.length, pos + 8 + u32(pos + 4));
    if (isTrack) notes += countTrackNotes(bytes, pos + 8, end);
    pos = end;
  }
  return notes;
}

/** Note-ons with velocity > 0 in one MTrk body; tolerant of truncation (stops at `end`). */
function countTrackNotes(b: Uint8Array, start: number, end: number): number {
  let i = start;
  let status = 0;
  let notes = 0;
  const varLen = () => {
    let v = 0;
    for (let k = 0; k < 4 && i < end; k++) {
      const c = b[i++];
      v = (v << 7) | (c & 0x7f);
      if (!(c & 0x80)) break;
    }
    return v;
  };
  while (i < end) {
    varLen(); // delta time
    if (i >= end) break;
    let s = b[i];
    if (s & 0x80) i++;
    else s = status; // running status
    if (s === 0xff) {
      i++; // meta type
      const length = varLen(); // (not `i += varLen()`: varLen moves i first)
      i += length;
      continue;
    }
    if (s === 0xf0 || s === 0xf7) {
      const length = varLen();
      i += length;
      continue;
    }
    if (!(s & 0x80)) return notes; // garbage: no running status to reuse
    status = s;
    const kind = s & 0xf0;
    const size = kind === 0xc0 || kind === 0xd0 ? 1 : 2;
    if (kind === 0x90 && i + 1 < end && b[i + 1] > 0) notes++;
    i += size;
  }
  return notes;
}

/**
 * Parse a standard MIDI file into a Score (notes in beats = ticks / ppq). The bytes are
 * untrusted: the reader (smf.ts) is linear in their size and stops at `maxNotes`.
 * @example readMidi(fs.readFileSync('tune.mid')).tracks[0].notes[0].pitch // 76
 */
export function readMidi(bytes: Uint8Array, opts: ReadMidiOptions = {}): Score {
  const maxBytes = opts.maxBytes ?? MIDI_MAX_BYTES;
  const maxNotes = opts.maxNotes ?? MIDI_MAX_NOTES;
  if (!bytes || bytes.length === 0) throw new MixtapeError('EMPTY_MIDI', 'that MIDI file is empty (0 bytes); send a file with notes');
  if (bytes.length > maxBytes) {
    throw new MixtapeError('TOO_LARGE', `that MIDI file is ${bytes.length} bytes; the limit is ${maxBytes} bytes`);
  }
  return smfToScore(readSmf(bytes, { maxNotes }), opts);
}

function smfToScore(midi: SmfFile, opts: ReadMidiOptions): Score {
  const ppq = midi.ppq > 0 ? midi.ppq : WRITE_PPQ;
  const beat = (ticks: number) => ticks / ppq;
  if (midi.parts.length === 0) throw new MixtapeError('EMPTY_MIDI', 'that MIDI file has no tracks; send a file with notes');
  const tracks: Track[] = midi.parts.map((t, i) => ({
    name: t.name.trim() || `Track ${i + 1}`,
    program: t.program,
    isDrum: t.channel === DRUM_CHANNEL,
    notes: t.notes
      .map((n): Note => ({
        pitch: n.pitch,
        start: beat(n.ticks),
        duration: beat(n.durationTicks),
        velocity: Math.max(1, Math.min(127, n.velocity)),
      }))
      .sort((a, b) => a.start - b.start || a.pitch - b.pitch),
  }));
  const kept = opts.keepEmptyTracks ? tracks : tracks.filter((t) => t.notes.length > 0);
  const total = kept.reduce((n, t) => n + t.notes.length, 0);
  if (total === 0) throw new MixtapeError('NO_NOTES', 'that MIDI file has no notes; send a file with at least one note');
  const lastEnd = kept.reduce((m, t) => t.notes.reduce((mm, n) => Math.max(mm, n.start + n.duration), m), 0);
  const maxBeats = opts.maxBeats ?? MIDI_MAX_BEATS;
  if (lastEnd > maxBeats) {
    throw new MixtapeError('TOO_LARGE', `that MIDI file is ${Math.round(lastEnd)} beats long; the limit is ${maxBeats} beats`);
  }
  return {
    title: opts.title ?? (midi.name.trim() || 'untitled'),
    tracks: kept,
    tempos: normalizeTempos(midi.tempos.map((t) => ({ beat: beat(t.ticks), bpm: t.bpm }))),
    timeSignatures: normalizeTimeSignatures(midi.timeSignatures.map((t) => ({ beat: beat(t.ticks), numerator: t.numerator, denominator: t.denominator }))),
    lengthBeats: lastEnd,
  };
}

/** Sorted, deduplicated (last wins at one beat), sane tempos starting at beat 0. */
export function normalizeTempos(tempos: TempoChange[]): TempoChange[] {
  const ok = tempos.filter((t) => Number.isFinite(t.bpm) && t.bpm > 0 && t.beat >= 0);
  const out = dedupeByBeat(ok.map((t) => ({ beat: t.beat, bpm: Math.round(t.bpm * 1000) / 1000 })));
  if (out.length === 0 || out[0].beat > 0) out.unshift({ beat: 0, bpm: out[0]?.bpm ?? DEFAULT_BPM });
  return out;
}

/** Sorted, deduplicated, sane time signatures starting at beat 0 (default 4/4). */
export function normalizeTimeSignatures(list: TimeSignature[]): TimeSignature[] {
  const ok = list.filter(
    (t) => t.beat >= 0 && t.numerator >= 1 && t.numerator <= 32 && [1, 2, 4, 8, 16, 32].includes(t.denominator),
  );
  const out = dedupeByBeat(ok).filter(
    (t, i, a) => i === 0 || t.numerator !== a[i - 1].numerator || t.denominator !== a[i - 1].denominator,
  );
  if (out.length === 0 || out[0].beat > 0) {
    const first = out[0] ?? { numerator: 4, denominator: 4 };
    out.unshift({ beat: 0, numerator: first.numerator, denominator: first.denominator });
  }
  return out;
}

function dedupeByBeat<T extends { beat: number }>(list: T[]): T[] {
  const sorted = [...list].sort((a, b) => a.beat - b.beat);
  const out: T[] = [];
  for (const item of sorted) {
    if (out.length && Math.abs(out[out.length - 1].beat - item.beat) < 1e-9) out[out.length - 1] = item;
    else out.push(item);
  }
  return out;
}

/**
 * Write a Score as a type-1 MIDI file (ppq 480): tempo map, time signatures, one track per
 * part with its name and program; drums on channel 10, other parts on channels 1..16 skipping 10.
 * @example readMidi(writeMidi(score)).tracks.length === score.tracks.length
 */
export function writeMidi(score: Score): Uint8Array {
  const midi = new Midi();
  const ticks = (beat: number) => Math.max(0, Math.round(beat * WRITE_PPQ));
  midi.header.name = score.title;
  for (const t of normalizeTempos(score.tempos)) midi.header.tempos.push({ ticks: ticks(t.beat), bpm: t.bpm });
  for (const ts of normalizeTimeSignatures(score.timeSignatures)) {
    midi.header.timeSignatures.push({ ticks: ticks(ts.beat), timeSignature: [ts.numerator, ts.denominator] });
  }
  midi.header.update();
  let melodic = 0;
  for (const track of score.tracks) {
    const out = midi.addTrack();
    out.name = track.name;
    out.channel = track.isDrum ? DRUM_CHANNEL : melodicChannel(melodic++);
    out.instrument.number = Math.max(0, Math.min(127, Math.round(track.program)));
    const notes = [...track.notes].sort((a, b) => a.start - b.start || a.pitch - b.pitch);
    for (const n of notes) {
      const start = ticks(n.start);
      out.addNote({
        midi: Math.max(0, Math.min(127, Math.round(n.pitch))),
        ticks: start,
        durationTicks: Math.max(1, ticks(n.start + n.duration) - start),
        // +0.5 survives the encoder's floor(v * 127).
        velocity: Math.min(1, (Math.max(1, Math.min(127, Math.round(n.velocity))) + 0.5) / 127),
      });
    }
  }
  return midi.toArray();
}

function melodicChannel(i: number): number {
  const c = i % 15;
  return c >= DRUM_CHANNEL ? c + 1 : c;
}
