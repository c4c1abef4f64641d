/**
 * A Standard MIDI File writer that keeps controller and program changes along the notes (the
 * engine's writer carries one program per track and no controllers): format 1, 480 ticks a beat.
 */
import type { Score } from '../score.ts';
import { normalizeTempos, normalizeTimeSignatures, DRUM_CHANNEL } from '../midi.ts';
import type { ControlEvent } from './transform.ts';

const PPQ = 480;

interface Ev { tick: number; order: number; bytes: number[] }

const vlq = (n: number): number[] => {
  const out = [n & 0x7f];
  for (n >>= 7; n > 0; n >>= 7) out.unshift((n & 0x7f) | 0x80);
  return out;
};
const u32 = (n: number) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
const b7 = (n: number) => Math.max(0, Math.min(127, Math.round(n)));
const tick = (beat: number) => Math.max(0, Math.round(beat * PPQ));

function chunk(events: Ev[]): number[] {
  events.sort((a, b) => a.tick - b.tick || a.order - b.order);
  const body: number[] = [];
  let now = 0;
  for (const e of events) {
    body.push(...vlq(e.tick - now), ...e.bytes);
    now = e.tick;
  }
  body.push(0, 0xff, 0x2f, 0);
  return [0x4d, 0x54, 0x72, 0x6b, ...u32(body.length), ...body];
}

/**
 * Writes a score with its controller events (pan, filter, program changes) as MIDI bytes.
 * Melodic tracks take channels 0-15 except 9, drums channel 9, like the engine's writer.
 * @example writeRemixMidi(score, [{ track: 0, beat: 4, kind: 'cc', controller: 10, value: 20 }])
 */
export function writeRemixMidi(score: Score, controls: readonly ControlEvent[] = []): Uint8Array {
  const conductor: Ev[] = [];
  for (const t of normalizeTempos(score.tempos)) {
    const us = Math.round(60_000_000 / t.bpm);
    conductor.push({ tick: tick(t.beat), order: 0, bytes: [0xff, 0x51, 3, (us >> 16) & 255, (us >> 8) & 255, us & 255] });
  }
  for (const ts of normalizeTimeSignatures(score.timeSignatures)) {
    conductor.push({ tick: tick(ts.beat), order: 1, bytes: [0xff, 0x58, 4, ts.numerator, Math.round(Math.log2(ts.denominator)), 24, 8] });
  }
  const chunks = [chunk(conductor)];
  let melodic = 0;
  score.tracks.forEach((track, index) => {
    const ch = track.isDrum ? DRUM_CHANNEL : ((c) => (c >= DRUM_CHANNEL ? c + 1 : c))(melodic++ % 15);
    const name = [...new TextEncoder().encode(track.name.slice(0, 60))];
    const evs: Ev[] = [
      { tick: 0, order: 0, bytes: [0xff, 0x03, ...vlq(name.length), ...name] },
      { tick: 0, order: 1, bytes: [0xc0 | ch, b7(track.program)] },
    ];
    for (const c of controls) {
      if (c.track !== index) continue;
      evs.push(c.kind === 'program'
        ? { tick: tick(c.beat), order: 2, bytes: [0xc0 | ch, b7(c.value)] }
        : { tick: tick(c.beat), order: 2, bytes: [0xb0 | ch, b7(c.controller ?? 0), b7(c.value)] });
    }
    for (const n of track.notes) {
      const on = tick(n.start);
      evs.push({ tick: Math.max(on + 1, tick(n.start + n.duration)), order: 1, bytes: [0x80 | ch, b7(n.pitch), 0] });
      evs.push({ tick: on, order: 3, bytes: [0x90 | ch, b7(n.pitch), Math.max(1, b7(n.velocity))] });
    }
    chunks.push(chunk(evs));
  });
  const header = [0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, 1, (chunks.length >> 8) & 255, chunks.length & 255, PPQ >> 8, PPQ & 255];
  return new Uint8Array([...header, ...chunks.flat()]);
}
