/**
 * A small Standard MIDI File reader that yields channel events timed in seconds.
 * The synth worker schedules these itself (instead of FluidSynth's player) so that
 * note tails ring out after the last note-off and timing is sample-accurate.
 */
import { MixtapeError } from '../engine/errors.ts';
import { looksLikeMidi } from '../engine/midi.ts';

/** One channel (or sysex) event at `time` seconds. `status` is 0x80..0xEF, or 0xF0 for sysex. */
export interface TimedEvent {
  time: number;
  status: number;
  data1: number;
  data2: number;
  sysex?: Uint8Array;
}

/** A parsed file: events sorted by time, the time of the last event, and counts. */
export interface SmfSequence {
  events: TimedEvent[];
  endSeconds: number;
  noteCount: number;
}

interface RawEvent {
  tick: number;
  order: number;
  status: number;
  data1: number;
  data2: number;
  tempo?: number;
  sysex?: Uint8Array;
}

const notMidi = (why: string) => new MixtapeError('NOT_MIDI', `not a valid MIDI file (${why}); export a Standard MIDI File (.mid) and try again`);

/** Parses SMF bytes into timed events; throws MixtapeError NOT_MIDI / EMPTY_MIDI on bad input. */
export function parseSmf(bytes: Uint8Array): SmfSequence {
  const raw: RawEvent[] = [];
  walkTracks(bytes, (e) => raw.push(e));
  const division = (bytes[12] << 8) | bytes[13];
  if (raw.length === 0) throw new MixtapeError('EMPTY_MIDI', 'the MIDI file has no events; send a file with notes in it');
  raw.sort((a, b) => a.tick - b.tick || a.order - b.order);
  return timeEvents(raw, division);
}

/** Walks every MTrk chunk, handing each event to `emit` in file order. */
function walkTracks(bytes: Uint8Array, emit: (e: RawEvent) => void): void {
  if (!looksLikeMidi(bytes)) throw notMidi('no MThd header');
  if (bytes.length < 14) throw notMidi('truncated header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const trackCount = view.getUint16(10);
  if (view.getUint16(12) === 0) throw notMidi('zero time division');
  let pos = 8 + view.getUint32(4);
  let order = 0;
  for (let t = 0; t < trackCount && pos + 8 <= bytes.length; t++) {
    const tag = String.fromCharCode(bytes[pos], bytes[pos + 1], bytes[pos + 2], bytes[pos + 3]);
    const end = pos + 8 + view.getUint32(pos + 4);
    if (end > bytes.length) throw notMidi(`track ${t + 1} runs past the end of the file`);
    if (tag === 'MTrk') order = readTrack(bytes, pos + 8, end, emit, order);
    pos = end;
  }
}


/** Reads one MTrk chunk, emitting its events; returns the next order number. */
function readTrack(bytes: Uint8Array, start: number, end: number, push: (e: RawEvent) => void, order: number): number {
  let pos = start;
  let tick = 0;
  let running = 0;
  const varLen = (): number => {
    let value = 0;
    for (let i = 0; i < 4; i++) {
      if (pos >= end) throw notMidi('truncated variable-length number');
      const b = bytes[pos++];
      value = (value << 7) | (b & 0x7f);
      if (!(b & 0x80)) return value;
    }
    throw notMidi('variable-length number longer than 4 bytes');
  };
  while (pos < end) {
    tick += varLen();
    if (pos >= end) throw notMidi('truncated event');
    let status = bytes[pos];
    if (status & 0x80) pos++;
    else if (running) status = running;
    else throw notMidi('data byte without a status byte');
    if (status === 0xff) {
      const type = bytes[pos++];
      const len = varLen();
      if (pos + len > end) throw notMidi('truncated meta event');
      if (type === 0x51 && len === 3) {
        const tempo = (bytes[pos] << 16) | (bytes[pos + 1] << 8) | bytes[pos + 2];
        if (tempo > 0) push({ tick, order: order++, status: 0xff, data1: 0, data2: 0, tempo });
      }
      pos += len;
      if (type === 0x2f) {
        push({ tick, order: order++, status: 0, data1: 0, data2: 0 }); // end of track: keeps trailing rests
        break;
      }
      continue;
    }
    if (status === 0xf0 || status === 0xf7) {
      const len = varLen();
      if (pos + len > end) throw notMidi('truncated sysex');
      const body = bytes.subarray(pos, pos + len);
      const payload = body[body.length - 1] === 0xf7 ? body.subarray(0, body.length - 1) : body;
      if (status === 0xf0 && payload.length > 0) push({ tick, order: order++, status: 0xf0, data1: 0, data2: 0, sysex: payload.slice() });
      pos += len;
      continue;
    }
    if (status >= 0xf0) throw notMidi(`unexpected status byte 0x${status.toString(16)}`);
    running = status;
    const kind = status & 0xf0;
    const twoBytes = kind !== 0xc0 && kind !== 0xd0;
    if (pos + (twoBytes ? 2 : 1) > end) throw notMidi('truncated channel event');
    const data1 = bytes[pos++] & 0x7f;
    const data2 = twoBytes ? bytes[pos++] & 0x7f : 0;
    push({ tick, order: order++, status, data1, data2 });
  }
  return order;
}

/** Turns ticks into seconds under the file's tempo map. */
function timeEvents(raw: RawEvent[], division: number): SmfSequence {
  const smpte = (division & 0x8000) !== 0;
  const smpteTicksPerSecond = smpte ? (256 - (division >> 8)) * (division & 0xff) : 0;
  let microsPerQuarter = 500000;
  let lastTick = 0;
  let seconds = 0;
  let noteCount = 0;
  const events: TimedEvent[] = [];
  for (const e of raw) {
    const dt = e.tick - lastTick;
    seconds += smpte ? dt / smpteTicksPerSecond : (dt * microsPerQuarter) / (division * 1e6);
    lastTick = e.tick;
    if (e.tempo !== undefined) {
      microsPerQuarter = e.tempo;
      continue;
    }
    if (e.status === 0) continue;
    if ((e.status & 0xf0) === 0x90 && e.data2 > 0) noteCount++;
    events.push({ time: seconds, status: e.status, data1: e.data1, data2: e.data2, sysex: e.sysex });
  }
  return { events, endSeconds: seconds, noteCount };
}
