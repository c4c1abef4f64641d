import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countMidiNotes, MIDI_MAX_NOTES, readMidi, writeMidi } from '../../src/engine/midi.ts';
import { isMixtapeError } from '../../src/engine/errors.ts';
import { n, scoreOf } from './fixtures.ts';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    assert.ok(isMixtapeError(e), `expected a MixtapeError, got ${e}`);
    return { code: e.code, message: e.message };
  }
  assert.fail('expected a throw');
};

test('writeMidi -> readMidi round trip keeps tempo map, meter, programs, drums and notes', () => {
  const score = scoreOf(
    [
      { name: 'Lead', program: 73, notes: [n(72, 0, 0.5, 90), n(74, 0.5, 0.25, 64), n(76, 1.25, 2.75, 127)] },
      { name: 'Drums', isDrum: true, notes: [n(36, 0, 0.25, 100), n(42, 0.5, 0.25, 70)] },
      { name: 'Bass', program: 33, notes: [n(36, 0, 4, 1)] },
    ],
    {
      title: 'round trip',
      tempos: [{ beat: 0, bpm: 100 }, { beat: 3, bpm: 140 }],
      timeSignatures: [{ beat: 0, numerator: 3, denominator: 4 }, { beat: 3, numerator: 6, denominator: 8 }],
    },
  );
  const back = readMidi(writeMidi(score));
  assert.equal(back.title, 'round trip');
  assert.deepEqual(back.tempos, score.tempos);
  assert.deepEqual(back.timeSignatures, score.timeSignatures);
  assert.deepEqual(back.tracks.map((t) => [t.name, t.program, t.isDrum]), [['Lead', 73, false], ['Drums', 0, true], ['Bass', 33, false]]);
  for (let i = 0; i < score.tracks.length; i++) assert.deepEqual(back.tracks[i].notes, score.tracks[i].notes);
  assert.equal(back.lengthBeats, 4);
});

test('readMidi rejects non-MIDI, empty, note-less and oversized input with typed errors', () => {
  assert.equal(codeOf(() => readMidi(new Uint8Array())).code, 'EMPTY_MIDI');
  const text = codeOf(() => readMidi(new TextEncoder().encode('hello, this is not a midi file at all')));
  assert.equal(text.code, 'NOT_MIDI');
  assert.match(text.message, /not a MIDI file \(\.mid\)/);
  assert.equal(codeOf(() => readMidi(writeMidi(scoreOf([{ notes: [] }])))).code, 'NO_NOTES');
  assert.equal(codeOf(() => readMidi(new Uint8Array(3 * 1024 * 1024).fill(77))).code, 'TOO_LARGE');
  const long = codeOf(() => readMidi(writeMidi(scoreOf([{ notes: [n(60, 30000)] }]))));
  assert.equal(long.code, 'TOO_LARGE');
  assert.match(long.message, /30001 beats long/);
  // Truncated header after MThd.
  assert.equal(codeOf(() => readMidi(new Uint8Array([0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0]))).code, 'NOT_MIDI');
});

test('the note cap is checked by the chunk scan before parsing', () => {
  const many = Array.from({ length: 300 }, (_, i) => n(60 + (i % 12), i * 0.25, 0.25));
  const bytes = writeMidi(scoreOf([{ notes: many }]));
  assert.equal(countMidiNotes(bytes), 300);
  const err = codeOf(() => readMidi(bytes, { maxNotes: 200 }));
  assert.equal(err.code, 'TOO_LARGE');
  assert.match(err.message, /the limit is 200/);
  assert.equal(readMidi(bytes).tracks[0].notes.length, 300);
  assert.equal(MIDI_MAX_NOTES, 20000);
});
