/**
 * Score <-> MIDI bytes for the render stage, kept small on top of @tonejs/midi.
 * (The engine owns the project's MIDI reader/writer; this is the render stage's own
 * bridge so that it does not depend on engine internals.)
 */
import ToneMidi from '@tonejs/midi';
import { MixtapeError } from '../engine/errors.ts';
import type { Score, Track } from '../engine/score.ts';
import { looksLikeMidi } from './smf.ts';

const { Midi } = ToneMidi;
const DRUM_CHANNEL = 9;

/** Channel for the i-th melodic track: 0..15 skipping the drum channel, shared past 15 tracks. */
const melodicChannel = (i: number) => { const c = i % 15; return c >= DRUM_CHANNEL ? c + 1 : c; };

/** Encodes a Score as a format-1 Standard MIDI File. @example scoreToMidi(score).length > 0 */
export function scoreToMidi(score: Score): Uint8Array {
  const midi = new Midi();
  const ppq = midi.header.ppq;
  for (const t of score.tempos) midi.header.tempos.push({ ticks: Math.round(t.beat * ppq), bpm: t.bpm });
  for (const ts of score.timeSignatures) midi.header.timeSignatures.push({ ticks: Math.round(ts.beat * ppq), timeSignature: [ts.numerator, ts.denominator] });
  midi.header.name = score.title;
  midi.header.update();
  let melodic = 0;
  for (const t of score.tracks) {
    const track = midi.addTrack();
    track.name = t.name;
    track.channel = t.isDrum ? DRUM_CHANNEL : melodicChannel(melodic++);
    track.instrument.number = t.isDrum ? 0 : clamp(t.program, 0, 127);
    for (const n of t.notes) {
      const ticks = Math.max(0, Math.round(n.start * ppq));
      track.addNote({ midi: clamp(Math.round(n.pitch), 0, 127), ticks, durationTicks: Math.max(1, Math.round(n.duration * ppq)), velocity: clamp(n.velocity, 1, 127) / 127 });
    }
  }
  return midi.toArray();
}

/** Decodes MIDI bytes to a Score (beats from the file's PPQ); MixtapeError NOT_MIDI when unreadable. */
export function midiToScore(bytes: Uint8Array, title = 'untitled'): Score {
  if (!looksLikeMidi(bytes)) throw new MixtapeError('NOT_MIDI', 'not a MIDI file (no MThd header); send a Standard MIDI File (.mid)');
  let midi: InstanceType<typeof Midi>;
  try {
    midi = new Midi(bytes);
  } catch (e) {
    throw new MixtapeError('NOT_MIDI', `the MIDI file is corrupt (${(e as Error).message}); export it again and retry`);
  }
  const ppq = midi.header.ppq || 480;
  const tracks: Track[] = midi.tracks.filter((t) => t.notes.length > 0).map((t, i) => ({
    name: t.name || `track ${i + 1}`,
    program: t.instrument.number,
    isDrum: t.channel === DRUM_CHANNEL,
    notes: t.notes.map((n) => ({ pitch: n.midi, start: n.ticks / ppq, duration: n.durationTicks / ppq, velocity: Math.round(n.velocity * 127) })),
  }));
  const tempos = midi.header.tempos.map((t) => ({ beat: t.ticks / ppq, bpm: t.bpm }));
  const timeSignatures = midi.header.timeSignatures.map((t) => ({ beat: t.ticks / ppq, numerator: t.timeSignature[0], denominator: t.timeSignature[1] }));
  const lastEnd = Math.max(0, ...tracks.flatMap((t) => t.notes.map((n) => n.start + n.duration)));
  return {
    title: midi.header.name || title,
    tracks,
    tempos: tempos.length && tempos[0].beat === 0 ? tempos : [{ beat: 0, bpm: 120 }, ...tempos],
    timeSignatures: timeSignatures.length && timeSignatures[0].beat === 0 ? timeSignatures : [{ beat: 0, numerator: 4, denominator: 4 }, ...timeSignatures],
    lengthBeats: Math.max(lastEnd, midi.durationTicks / ppq),
  };
}

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
