/** Notation: ABC and MusicXML export, ABC reading; every genre's piece round-trips ABC -> MIDI -> the same notes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import mxml from '@stringsync/musicxml';
import { genres } from '../../src/engine/genres/index.ts';
import { resolveModel } from '../../src/engine/models/model.ts';
import { compose } from '../../src/engine/compose.ts';
import { readMidi, writeMidi } from '../../src/engine/midi.ts';
import { quantizeNotes } from '../../src/engine/quantize.ts';
import type { Score } from '../../src/engine/score.ts';
import { looksLikeAbc, readAbc, toAbc, toMusicXml } from '../../src/engine/notation/index.ts';
import { MixtapeError } from '../../src/engine/errors.ts';
import { n, scoreOf } from './fixtures.ts';

const { MusicXML } = mxml as unknown as typeof import('@stringsync/musicxml');

/** Pitched notes as a sorted list of "pitch@start-end" on the 16th grid. */
const grid = (s: Score): string[] =>
  quantizeNotes(s.tracks.filter((t) => !t.isDrum).flatMap((t) => t.notes)).map((x) => `${x.pitch}@${x.start}-${x.end}`).sort();
const drums = (s: Score): string[] =>
  quantizeNotes(s.tracks.filter((t) => t.isDrum).flatMap((t) => t.notes)).map((x) => `${x.pitch}@${x.start}-${x.end}`).sort();

/** Parses MusicXML with a MusicXML reader library and counts its measures and notes. */
function readMusicXml(xml: string): { parts: number; measures: number; notes: number } {
  const doc = MusicXML.parse(xml);
  const root = doc.getRoot() as any;
  const parts = root.getParts();
  let measures = 0;
  let notes = 0;
  for (const p of parts) {
    for (const m of p.getMeasures()) {
      measures++;
      for (const v of m.getValues()) if (v?.constructor?.name === 'Note') notes++;
    }
  }
  return { parts: parts.length, measures, notes };
}

for (const genre of Object.values(genres)) {
  test(`${genre.key}: a composed piece's ABC round-trips (ABC -> MIDI -> the same notes) and its MusicXML reads back`, async () => {
    const model = await resolveModel(genre.key);
    const piece = compose({ model, genre, bars: 8, seed: 11 });
    const score = readMidi(writeMidi(piece.score)); // what is stored: the MIDI
    const abc = toAbc(score, { genre: genre.key });
    assert.match(abc, /^X:1\nT:.+\n/);
    for (const field of ['M:', 'L:', 'K:', 'Q:']) assert.match(abc, new RegExp(`^${field}`, 'm'));
    const back = readMidi(writeMidi(readAbc(abc)));
    assert.deepEqual(grid(back), grid(score));
    assert.deepEqual(drums(back), drums(score));
    const xml = readMusicXml(toMusicXml(score));
    const pitchedNotes = score.tracks.reduce((a, t) => a + t.notes.length, 0);
    assert.ok(xml.parts >= 1 && xml.measures >= 8, `${xml.parts} parts, ${xml.measures} measures`);
    assert.ok(xml.notes >= pitchedNotes, `${xml.notes} note elements for ${pitchedNotes} notes`);
  });
}

test('a celtic jig names its tune type and meter; repeated bars are written as a repeat', () => {
  const bar = [n(62, 0, 0.5), n(66, 0.5, 0.5), n(69, 1, 0.5), n(67, 1.5, 1.5)];
  const notes = [0, 1, 2, 3, 4, 5, 6, 7].flatMap((b) => bar.map((x) => n(x.pitch + (b % 4), x.start + 3 * b, x.duration)));
  const score = scoreOf([{ notes }], { timeSignatures: [{ beat: 0, numerator: 6, denominator: 8 }], title: 'Jig' });
  const abc = toAbc(score, { genre: 'celtic' });
  assert.match(abc, /^R:jig$/m);
  assert.match(abc, /^M:6\/8$/m);
  assert.match(abc, /\|:.*:\|/s, 'bars 1-4 equal bars 5-8: written once between repeat signs');
  assert.deepEqual(grid(readAbc(abc)), grid(score), 'the repeat is played out again on reading');
  assert.doesNotMatch(toAbc(score, { genre: 'jazz' }), /^R:/m, 'only folk tunes name a tune type');
});

test('accidentals hold to the bar line; ties cross it; chords and rests survive', () => {
  const score = scoreOf([{ notes: [n(61, 0, 1), n(61, 1, 1), n(60, 2, 1), n(61, 3, 2), n(64, 6, 1), n(67, 6, 1), n(72, 8, 0.25)] }]);
  const abc = toAbc(score);
  assert.deepEqual(grid(readAbc(abc)), grid(score));
  assert.match(abc, /-/, 'the note over the bar line is tied');
  assert.match(abc, /\[/, 'the chord is one chord');
});

test('reads real-world ABC: a pasted one-line tune, broken rhythm, triplets, endings, modes', () => {
  const tune = 'X:1 T:Pasted M:4/4 L:1/8 K:Ador |: A>B c2 (3Bcd e2 | [1 a4 g4 :| [2 g4 a4 |]';
  assert.ok(looksLikeAbc(tune));
  const s = readAbc(tune);
  assert.equal(s.title, 'Pasted');
  const notes = s.tracks[0].notes;
  // A dorian: no sharps or flats; A>B is dotted; the triplet is three notes in one beat.
  assert.deepEqual(notes.slice(0, 2).map((x) => [x.pitch, x.duration]), [[69, 0.75], [71, 0.25]]);
  assert.ok(Math.abs(notes[3].duration - 1 / 3) < 1e-9);
  // first pass: A B c B c d e a g ; second: A B c B c d e g a
  assert.equal(notes.length, 18);
  assert.deepEqual(notes.slice(7, 9).map((x) => x.pitch), [81, 79]);
  assert.deepEqual(notes.slice(16).map((x) => x.pitch), [79, 81]);
  const dmix = readAbc('X:1\nK:Dmix\nFcf^c|').tracks[0].notes.map((x) => x.pitch);
  assert.deepEqual(dmix, [66, 72, 78, 73], 'D mixolydian has F# but C natural; ^c holds in its bar only');
});

test('bad ABC gets a clear error; sizes are bounded', () => {
  assert.throws(() => readAbc('just some words'), (e) => e instanceof MixtapeError && /K: \(key\) line/.test(e.message));
  assert.throws(() => readAbc('X:1\nK:D\n'), (e) => e instanceof MixtapeError && e.code === 'NO_NOTES');
  assert.throws(() => readAbc(`X:1\nK:C\n${'C'.repeat(70000)}`), (e) => e instanceof MixtapeError && e.code === 'TOO_LARGE');
  assert.throws(() => readAbc(`X:1\nK:C\n${'|: CDEF :|'.repeat(3000)}`, { maxNotes: 1000 }), (e) => e instanceof MixtapeError && e.code === 'TOO_LARGE');
});

test('an empty piece in 5/4 still writes valid ABC and MusicXML', () => {
  const score = scoreOf([], { timeSignatures: [{ beat: 0, numerator: 5, denominator: 4 }], lengthBeats: 10 });
  assert.match(toAbc(score), /^M:5\/4$/m);
  const xml = toMusicXml(score);
  assert.equal(MusicXML.parse(xml).getRoot() !== undefined, true);
  assert.match(xml, /<rest\/><duration>16<\/duration>/);
});
