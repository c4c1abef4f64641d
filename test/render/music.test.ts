import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyExpression, dynamics, humanize, tempoDrift } from '../../src/render/expression.ts';
import { applyVoicing, applyInstrument, voicingFor, VOICINGS } from '../../src/render/voicing.ts';
import { findInstrument, getInstrument, instrumentNames } from '../../src/render/instruments.ts';
import { midiToScore, scoreToMidi } from '../../src/render/midi.ts';
import { parseSmf } from '../../src/render/smf.ts';
import { MixtapeError } from '../../src/engine/errors.ts';
import { scale } from './helpers.ts';

const notesOf = (s: ReturnType<typeof scale>) => s.tracks.flatMap((t) => t.notes);

test('instruments: names and aliases map to GM programs; unknown lists the valid names', () => {
  const expected: Record<string, number> = {
    piano: 0, 'acoustic guitar': 24, 'nylon guitar': 24, 'steel guitar': 25, 'music box': 10, strings: 48, violin: 40, fiddle: 40,
    flute: 73, 'tin whistle': 78, accordion: 21, harp: 46, celesta: 8, vibraphone: 11, organ: 19, 'synth lead': 80,
    'synth bass': 38, 'electric piano': 4, saxophone: 65, trumpet: 56, bass: 32,
  };
  for (const [name, program] of Object.entries(expected)) assert.equal(getInstrument(name).program, program, name);
  assert.equal(findInstrument('  Music_Box ')?.name, 'music box');
  assert.equal(getInstrument('drums').isDrum, true);
  assert.throws(() => getInstrument('theremin'), (e: MixtapeError) => e.code === 'UNKNOWN_INSTRUMENT' && e.message.includes('piano'));
  assert.ok(instrumentNames().length >= 20);
});

test('voicing: every genre sets the lead; dance adds drums on channel 10 and a bass; the user instrument wins', () => {
  for (const genre of Object.keys(VOICINGS)) {
    const v = applyVoicing(scale(16), genre);
    assert.equal(v.tracks[0].program, getInstrument(voicingFor(genre).lead).program, genre);
  }
  const dance = applyVoicing(scale(16), 'dance');
  const drums = dance.tracks.find((t) => t.isDrum);
  assert.ok(drums && drums.notes.some((n) => n.pitch === 36));
  assert.ok(dance.tracks.some((t) => t.name === 'bass' && t.program === 38 && t.notes.length > 0));
  assert.equal(applyVoicing(scale(8), 'celtic', 'tin whistle').tracks[0].program, 78);
  assert.equal(applyInstrument(scale(8), 'harp').tracks[0].program, 46);
  assert.throws(() => applyVoicing(scale(8), 'polka'), (e: MixtapeError) => e.code === 'UNKNOWN_GENRE');
  assert.throws(() => applyVoicing(scale(8), 'pop', 'drums'), (e: MixtapeError) => e.code === 'BAD_ARGUMENT');
  // Dance drums survive the MIDI round trip on channel 10.
  const back = midiToScore(scoreToMidi(dance));
  assert.ok(back.tracks.some((t) => t.isDrum && t.notes.length === drums!.notes.length));
});

test('expression is deterministic per seed, differs across seeds, and stays bounded', () => {
  const s = scale(64);
  const o = { seed: 42, humanize: 1, dynamics: 1, tempoDrift: 1 };
  assert.deepEqual(applyExpression(s, o), applyExpression(s, o));
  assert.notDeepEqual(applyExpression(s, o), applyExpression(s, { ...o, seed: 43 }));
  const h = humanize(s, 1, 1);
  notesOf(h).forEach((n, i) => {
    const orig = notesOf(s)[i];
    assert.ok(Math.abs(n.start - orig.start) <= 0.03 * 2.5 + 1e-9 && n.start >= 0);
    assert.ok(n.velocity >= 1 && n.velocity <= 127 && Math.abs(n.velocity - orig.velocity) <= 15);
    assert.ok(n.duration > 0);
  });
  assert.ok(notesOf(h).some((n, i) => n.start !== notesOf(s)[i].start), 'timing moved');
  for (const shape of ['walk', 'arc'] as const) {
    const d = dynamics(s, 5, 1, shape);
    assert.ok(notesOf(d).every((n) => Math.abs(n.velocity - 90) <= 18));
    assert.ok(new Set(notesOf(d).map((n) => n.velocity)).size > 3, `${shape} varies`);
  }
  const t = tempoDrift(s, 9, 1);
  assert.ok(t.tempos.length > 1 && t.tempos.every((x) => Math.abs(x.bpm - 120) <= 120 * 0.06 + 0.01));
  assert.deepEqual(humanize(s, 1, 0).tracks, s.tracks);
});

test('SMF reader: times follow the tempo map; garbage is NOT_MIDI', () => {
  const s = { ...scale(8), tempos: [{ beat: 0, bpm: 120 }, { beat: 2, bpm: 60 }] };
  const seq = parseSmf(scoreToMidi(s));
  const ons = seq.events.filter((e) => (e.status & 0xf0) === 0x90 && e.data2 > 0).map((e) => e.time);
  assert.equal(seq.noteCount, 8);
  assert.ok(Math.abs(ons[2] - 0.5) < 1e-6 && Math.abs(ons[4] - 1) < 1e-6 && Math.abs(ons[5] - 1.5) < 1e-6, ons.join(','));
  assert.ok(Math.abs(seq.endSeconds - 3) < 1e-6);
  assert.throws(() => parseSmf(new TextEncoder().encode('hello world, not midi')), (e: MixtapeError) => e.code === 'NOT_MIDI');
  assert.throws(() => midiToScore(new Uint8Array([0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, 1])), (e: MixtapeError) => e.code === 'NOT_MIDI');
});
