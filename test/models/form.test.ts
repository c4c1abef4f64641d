/** The shipped models compose with form: meters as asked, whole bars, parts that come back, tonic endings. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compose } from '../../src/engine/compose.ts';
import { formStats } from '../../src/engine/form.ts';
import { getGenre } from '../../src/engine/genres/index.ts';
import { parseMeter, tuneType } from '../../src/engine/meter.ts';
import { readMidi, writeMidi } from '../../src/engine/midi.ts';
import { resolveModel } from '../../src/engine/models/model.ts';
import type { Score } from '../../src/engine/score.ts';
import { allNotes } from '../../src/engine/score.ts';

test('celtic --meter 6/8 --bars 16: a 6/8 MIDI of exactly 16 bars, the A part played twice, ending on the tonic', async () => {
  const model = await resolveModel('celtic');
  const piece = compose({ model, genre: getGenre('celtic'), bars: 16, seed: 11, meter: parseMeter('6/8') });
  const back = readMidi(writeMidi(piece.score));
  assert.deepEqual([back.timeSignatures[0].numerator, back.timeSignatures[0].denominator], [6, 8]);
  assert.equal(back.lengthBeats, 16 * 3);
  assert.equal(piece.totalBars, 16);
  assert.equal(piece.meter, '6/8');
  assert.equal(piece.tuneType, 'jig');
  assert.equal(piece.form, 'A'.repeat(16));
  const stats = formStats(piece.score);
  assert.ok(stats.partRepeat! >= 0.6, `bars 9-16 come back from 1-8 (${stats.partRepeat})`);
  assert.equal(stats.lastNote?.endsOnTonic, true);
  assert.ok(allNotes(piece.score).every((n) => n.start + n.duration <= 48 + 1e-9));
});

test('every celtic tune type composes in its meter and tempo', async () => {
  const model = await resolveModel('celtic');
  for (const name of ['reel', 'jig', 'slip jig', 'hornpipe', 'polka', 'slide', 'waltz']) {
    const type = tuneType(name);
    const piece = compose({ model, genre: getGenre('celtic'), bars: 8, seed: 5, tuneType: type });
    const ts = piece.score.timeSignatures[0];
    assert.deepEqual([ts.numerator, ts.denominator], [type.meter.numerator, type.meter.denominator], name);
    assert.equal(piece.score.lengthBeats, (8 * type.meter.numerator * 4) / type.meter.denominator, name);
    assert.equal(piece.tempo, type.bpm);
  }
});

test('pop --bars 8 is eight bars of 4/4 (its model writes a bar per beat; four make a bar)', async () => {
  const model = await resolveModel('pop');
  const piece = compose({ model, genre: getGenre('pop'), bars: 8, seed: 4 });
  assert.deepEqual([piece.score.timeSignatures[0].numerator, piece.score.timeSignatures[0].denominator], [4, 4]);
  assert.equal(piece.score.lengthBeats, 32);
  assert.equal(piece.totalBars, 8);
});

test('without a meter, the genre draws one from its data: classical writes 4/4, 3/4 and 2/4', async () => {
  const model = await resolveModel('classical');
  const seen = new Set<string>();
  for (let seed = 1; seed <= 12; seed++) seen.add(compose({ model, genre: getGenre('classical'), bars: 2, seed }).meter);
  for (const m of ['4/4', '3/4', '2/4']) assert.ok(seen.has(m), `classical wrote ${[...seen].join(', ')}`);
});

test('jazz never opens with an empty bar; form off lets the network write freely', async () => {
  const model = await resolveModel('jazz');
  for (let seed = 1; seed <= 12; seed++) {
    const piece = compose({ model, genre: getGenre('jazz'), bars: 4, seed });
    assert.ok(allNotes(piece.score).some((n) => n.start < 4), `seed ${seed}: a note in bar 1`);
  }
  const free = compose({ model, genre: getGenre('jazz'), bars: 4, seed: 1, form: false });
  assert.equal(free.form, '');
});

test('a continuation restates the primer: over ten primers most continuations reuse one of its bars', async () => {
  const model = await resolveModel('celtic');
  const genre = getGenre('celtic');
  let reused = 0;
  for (let seed = 1; seed <= 10; seed++) {
    const tune = compose({ model, genre, bars: 4, seed: 100 + seed, meter: parseMeter('4/4'), form: false });
    const primer: Score = readMidi(writeMidi(tune.score));
    const piece = compose({ model, genre, bars: 4, seed, primer });
    assert.equal(piece.meter, '4/4', 'the primer keeps its meter');
    const sets = barSets(piece.score, 8);
    if (sets.slice(4).some((s) => s.size && sets.slice(0, 4).some((o) => shared(s, o) >= 0.75))) reused++;
  }
  assert.ok(reused >= 5, `only ${reused} of 10 continuations reuse a primer bar`);
});

function barSets(score: Score, bars: number): Set<string>[] {
  const sets = Array.from({ length: bars }, () => new Set<string>());
  for (const n of allNotes(score)) {
    const bar = Math.floor(n.start / 4 + 1e-9);
    if (bar < bars) sets[bar].add(`${Math.round((n.start - bar * 4) * 4)}:${n.pitch}`);
  }
  return sets;
}

function shared(a: Set<string>, b: Set<string>): number {
  let n = 0;
  for (const x of a) if (b.has(x)) n++;
  return n / Math.max(a.size, b.size);
}
