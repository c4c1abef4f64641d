import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { genreFiles, isValidationFile, listMidiFiles, loadJsbChorales, splitFiles } from '../../src/engine/dataset.ts';
import { parsePieces, readPieces } from '../../src/engine/pieces.ts';
import { extractSequences } from '../../src/engine/corpus.ts';
import { readMidi, writeMidi } from '../../src/engine/midi.ts';
import { extractMelody } from '../../src/engine/melody.ts';
import { isMixtapeError } from '../../src/engine/errors.ts';
import * as poly from '../../src/engine/encodings/polyphonic.ts';
import * as melodyEnc from '../../src/engine/encodings/melody.ts';
import { datasetsUrl, n, scoreOf } from './fixtures.ts';

const tune = (offset = 0) =>
  scoreOf([
    { name: 'Melody', notes: Array.from({ length: 32 }, (_, i) => n(67 + offset + [0, 2, 4, 5, 7, 4, 2][i % 7], i, 1, 90)) },
    { name: 'Chords', notes: Array.from({ length: 8 }, (_, i) => [n(48, i * 4, 4), n(52, i * 4, 4)]).flat() },
  ]);

test('listMidiFiles / readPieces / parsePieces on a temporary folder', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mixtape-ds-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'b', 'deep'), { recursive: true });
  mkdirSync(join(dir, 'skip'));
  writeFileSync(join(dir, 'b', 'deep', 'one.MID'), writeMidi(tune()));
  writeFileSync(join(dir, 'a.mid'), writeMidi(tune(2)));
  writeFileSync(join(dir, 'broken.midi'), 'not midi');
  writeFileSync(join(dir, 'notes.txt'), 'x');
  writeFileSync(join(dir, 'skip', 'c.mid'), writeMidi(tune()));
  const files = listMidiFiles(dir, { exclude: ['skip'] });
  assert.deepEqual(files.map((f) => f.slice(dir.length + 1)), ['a.mid', join('b', 'deep', 'one.MID'), 'broken.midi']);
  assert.equal(listMidiFiles(dir, { maxFiles: 1 }).length, 1);
  assert.equal(listMidiFiles(dir, { maxDepth: 0 }).length, 2);
  assert.throws(() => listMidiFiles(join(dir, 'nope')), (e) => isMixtapeError(e) && e.code === 'NOT_FOUND');
  const { loaded, failed } = parsePieces(readPieces([dir]).filter((p) => !p.name.startsWith('skip')));
  assert.equal(loaded.length, 2);
  assert.deepEqual(failed, ['broken.midi']);
  assert.equal(loaded[0].score.title, 'a');
  assert.equal(loaded[0].score.tracks[0].notes[0].pitch, 69);
});

test('splitFiles is deterministic, stable under additions and close to the fraction', () => {
  const files = Array.from({ length: 2000 }, (_, i) => `/root/set/${i}.mid`);
  const a = splitFiles(files, 0.1, 0, '/root');
  const b = splitFiles([...files, '/root/set/new.mid'].reverse(), 0.1, 0, '/root');
  assert.ok(a.valid.every((f) => b.valid.includes(f)), 'adding a file moves no other file');
  assert.ok(a.valid.length > 150 && a.valid.length < 250, `${a.valid.length}`);
  assert.equal(a.train.length + a.valid.length, 2000);
  assert.equal(isValidationFile('set/1.mid', 0.1), a.valid.includes('/root/set/1.mid'));
  assert.notDeepEqual(splitFiles(files, 0.1, 1, '/root').valid, a.valid, 'the seed changes the split');
  assert.throws(() => splitFiles(files, 2), (e) => isMixtapeError(e) && e.code === 'BAD_ARGUMENT');
});

test('JSB chorale JSON becomes held notes', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'mixtape-jsb-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'jsb.json');
  writeFileSync(file, JSON.stringify({ train: [[[72, 60], [72, 60], [74, 60], [74, 59]]], valid: [], test: [] }));
  const [s] = loadJsbChorales(file, 'train');
  assert.deepEqual(s.tracks[0].notes.map((x) => [x.pitch, x.start, x.duration]), [[60, 0, 0.75], [72, 0, 0.5], [74, 0.5, 0.5], [59, 0.75, 0.25]]);
  assert.equal(s.lengthBeats, 1);
});

test('extractSequences: every encoding, transposition augmentation and counts', () => {
  const drumScore = scoreOf([{ isDrum: true, notes: Array.from({ length: 16 }, (_, i) => n(i % 2 ? 42 : 36, i * 0.5, 0.1)) }]);
  const scores = [tune(), tune(3), drumScore];
  const mel = extractSequences(scores, 'melody', { augmentTranspositions: [-2, 0, 2] });
  assert.equal(mel.vocabSize, 50);
  assert.equal(mel.sequences.length, 6);
  assert.deepEqual(mel.counts, { scores: 3, used: 2, skipped: 1, notes: 6 * 32, tokens: 6 * 32 * 4 });
  assert.equal(melodyEnc.decodeMelody(mel.sequences[1])[0].pitch, 67);
  assert.equal(melodyEnc.decodeMelody(mel.sequences[0])[0].pitch, 65);
  const pd = extractSequences(scores, 'pitchDuration');
  assert.equal(pd.sequences.length, 2);
  assert.equal(pd.sequences[0].length, 32);
  const pl = extractSequences(scores, 'polyphonic', { augmentTranspositions: [0, 1] });
  assert.equal(pl.sequences.length, 4);
  assert.ok(pl.sequences.every((s) => poly.isValidSequence(s) && poly.barsOf(s) === 8));
  const pf = extractSequences(scores, 'performance');
  assert.equal(pf.vocabSize, 388);
  assert.equal(pf.sequences.length, 2);
  const dr = extractSequences(scores, 'drums', { augmentTranspositions: [-1, 0, 1] });
  assert.equal(dr.sequences.length, 1);
  assert.equal(dr.sequences[0].length, 32);
  assert.equal(dr.counts.skipped, 2);
  assert.throws(() => extractSequences(scores, 'abc' as never), (e) => isMixtapeError(e) && e.code === 'BAD_ARGUMENT');
});

test('smoke: real dataset files (Nottingham, POP909) read, split into a melody and encode', (t) => {
  const root = fileURLToPath(datasetsUrl);
  const nottingham = join(root, 'celtic/nottingham/MIDI/ashover1.mid');
  const pop = join(root, 'pop/pop909/001/001.mid');
  if (!existsSync(nottingham) || !existsSync(pop)) {
    t.diagnostic(`shared datasets not found at ${root}: running the pipeline on a synthetic file instead`);
    const s = readMidi(writeMidi(tune()));
    assert.equal(extractMelody(s)?.length, 32);
    return;
  }
  assert.equal(genreFiles('celtic', root, { maxFiles: 5 }).length, 10, 'maxFiles applies per source (2 sources)');
  const reel = readMidi(readFileSync(nottingham));
  assert.equal(reel.timeSignatures[0].numerator, 3);
  assert.equal(reel.tracks.length, 2);
  const line = extractMelody(reel);
  assert.ok(line && line.length === 68, `nottingham melody: ${line?.length}`);
  assert.equal(line[0].pitch, 76);
  const song = readMidi(readFileSync(pop));
  assert.deepEqual(song.tracks.map((x) => x.name), ['MELODY', 'BRIDGE', 'PIANO']);
  const popLine = extractMelody(song)!;
  assert.equal(popLine.length, song.tracks[0].notes.length, 'POP909 MELODY track chosen');
  const tokens = poly.encode(song);
  assert.ok(poly.isValidSequence(tokens, poly.barSteps(song)));
});
