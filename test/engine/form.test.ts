import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventSimilarity, formStats, repeatRate, summarizeForm } from '../../src/engine/form.ts';
import type { Note } from '../../src/engine/score.ts';
import { n, scoreOf } from './fixtures.ts';

const C_MAJOR = { root: 0, mode: 'major' };

/** Bar `k` of a 4/4 tune: four quarter notes on pitches no other bar uses, placed at bar `at`. */
const distinctBar = (k: number, at: number): Note[] => [0, 1, 2, 3].map((b) => n(36 + 4 * k + b, at * 4 + b));

/** A tune made of bars given as indices into distinctBar (equal index = identical bar). */
const tuneOf = (bars: number[]) => scoreOf([{ notes: bars.flatMap((k, at) => distinctBar(k, at)) }]);

test('an AABB tune of 32 bars: half the bars and phrases repeat, bars 9-16 restate bars 1-8', () => {
  const a = [0, 1, 2, 3, 4, 5, 6, 7];
  const b = [8, 9, 10, 11, 12, 13, 14, 15];
  const s = formStats(tuneOf([...a, ...a, ...b, ...b]), { key: C_MAJOR });
  assert.equal(s.bars, 32);
  assert.equal(s.meter, '4/4');
  assert.equal(s.notes, 'pitched');
  assert.equal(s.barRepeatRate, 0.5);
  assert.equal(s.exactBarRepeatRate, 0.5);
  assert.equal(s.phrase2RepeatRate, 0.5);
  assert.equal(s.phrase4RepeatRate, 0.5);
  assert.equal(s.partRepeat, 1);
  assert.equal(s.leadingEmptyBars, 0);
});

test('a tune without repeats scores 0 everywhere; under 16 bars there is no part repeat', () => {
  const s = formStats(tuneOf(Array.from({ length: 16 }, (_, i) => i)));
  assert.equal(s.barRepeatRate, 0);
  assert.equal(s.exactBarRepeatRate, 0);
  assert.equal(s.phrase2RepeatRate, 0);
  assert.equal(s.phrase4RepeatRate, 0);
  assert.equal(s.partRepeat, 0);
  assert.equal(formStats(tuneOf([0, 1, 2, 3, 0, 1, 2, 3])).partRepeat, null);
  // Only the first maxBars bars count: the repeat in bars 5-8 is outside a 4-bar window.
  assert.equal(formStats(tuneOf([0, 1, 2, 3, 0, 1, 2, 3]), { maxBars: 4 }).barRepeatRate, 0);
  assert.equal(formStats(tuneOf([0, 1, 2, 3, 0, 1, 2, 3]), { maxBars: 4 }).bars, 4);
  assert.equal(formStats(tuneOf([0, 1]), { maxBars: NaN }).bars, 0, 'a nonsense window measures nothing');
  assert.equal(formStats(tuneOf([0, 0]), { maxBars: 1e12 }).barRepeatRate, 0.5, 'a huge window is capped, not allocated');
});

test('the 75 % rule: 3 of 4 shared events repeat, 2 of 4 do not, and the measure is symmetric', () => {
  const bar = new Set(['0:60', '4:62', '8:64', '12:65']);
  const three = new Set(['0:60', '4:62', '8:64', '12:67']);
  const two = new Set(['0:60', '4:62', '8:69', '12:67']);
  const subset = new Set(['0:60', '4:62', '8:64']);
  assert.equal(eventSimilarity(bar, three), 0.75);
  assert.equal(eventSimilarity(bar, subset), eventSimilarity(subset, bar));
  assert.equal(repeatRate([bar, three]), 0.5);
  assert.equal(repeatRate([bar, three], true), 0, 'not an exact repeat');
  assert.equal(repeatRate([bar, two]), 0);
  assert.equal(repeatRate([subset, bar]), 0.5, '3 of max(3, 4) = 0.75');
  assert.equal(repeatRate([new Set(), new Set(), bar]), null, 'empty bars never count, one filled bar gives no rate');
  // Same pitches one 16th later are different events.
  assert.equal(eventSimilarity(bar, new Set(['1:60', '5:62', '9:64', '13:65'])), 0);
});

test('a piece ending on a long tonic on the downbeat, with the bass deciding the tonic', () => {
  const melody = [n(60, 0), n(62, 1), n(64, 2), n(65, 3), n(67, 4), n(65, 5), n(64, 6), n(62, 7)];
  const s = formStats(scoreOf([{ notes: [...melody, n(72, 8, 4)] }, { notes: [n(48, 8, 4)] }]));
  assert.deepEqual(s.lastNote, { beats: 4, atLeastOneBeat: true, onBeat: true, onDownbeat: true, endsOnTonic: true });
  // The same tune stopping on a 16th G over nothing: short, off the beat, not the tonic.
  const stop = formStats(scoreOf([{ notes: [...melody, n(60, 8, 2), n(67, 10.25, 0.25)] }]), { key: C_MAJOR });
  assert.deepEqual(stop.lastNote, { beats: 0.25, atLeastOneBeat: false, onBeat: false, onDownbeat: false, endsOnTonic: false });
  // A held low C still sounding under a last high G: the bass is C, so it ends on the tonic.
  const held = formStats(scoreOf([{ notes: [...melody, n(48, 8, 4), n(67, 10, 2)] }]), { key: C_MAJOR });
  assert.equal(held.lastNote?.endsOnTonic, true);
  assert.equal(held.lastNote?.onBeat, true);
  assert.equal(held.lastNote?.onDownbeat, false);
});

test('leading rests are whole empty bars; a pickup is not bar 1', () => {
  const late = formStats(scoreOf([{ notes: [n(60, 9), n(62, 10)] }]));
  assert.equal(late.leadingEmptyBars, 2);
  // A one-beat pickup, then the same bar twice: bar 1 is the first full bar, so 1 of 2 bars repeats.
  const pickup = formStats(scoreOf([{ notes: [n(55, 3), ...distinctBar(2, 1), ...distinctBar(2, 2)] }]));
  assert.equal(pickup.leadingEmptyBars, 0);
  assert.equal(pickup.bars, 2);
  assert.equal(pickup.barRepeatRate, 0.5);
});

test('6/8 bars are three beats long', () => {
  const jigBar = (pitches: number[], bar: number) => pitches.map((p, i) => n(p, bar * 3 + i * 0.5, 0.5));
  const notes = [...jigBar([62, 66, 69, 62, 66, 69], 0), ...jigBar([71, 69, 67, 66, 64, 62], 1), ...jigBar([62, 66, 69, 62, 66, 69], 2), ...jigBar([64, 66, 67, 69, 71, 74], 3)];
  const s = formStats(scoreOf([{ notes }], { timeSignatures: [{ beat: 0, numerator: 6, denominator: 8 }] }));
  assert.equal(s.meter, '6/8');
  assert.equal(s.bars, 4);
  assert.equal(s.barRepeatRate, 0.25);
  // Read as 4/4 the same notes make 3 bars, none of which repeats.
  assert.equal(formStats(scoreOf([{ notes }])).barRepeatRate, 0);
});

test('phrase ends held: bars 4 and 8 end on half notes, the others on quarters', () => {
  const notes: Note[] = [];
  for (let bar = 0; bar < 8; bar++) {
    const end = bar % 4 === 3;
    notes.push(n(60 + bar, bar * 4), n(62 + bar, bar * 4 + 1, end ? 1 : 2), ...(end ? [n(64 + bar, bar * 4 + 2, 2)] : [n(64 + bar, bar * 4 + 3)]));
  }
  const s = formStats(scoreOf([{ notes }]));
  assert.equal(s.phraseEndHeld, 1);
  assert.equal(s.otherBarsHeld, 0);
});

test('drums-only pieces are measured on their drums; an empty score gives neutral values', () => {
  const groove = [0, 1, 2, 3].flatMap((bar) => [n(36, bar * 4), n(38, bar * 4 + 1), n(36, bar * 4 + 2), n(38, bar * 4 + 3)]);
  const drums = formStats(scoreOf([{ isDrum: true, notes: groove }]));
  assert.equal(drums.notes, 'drums');
  assert.equal(drums.barRepeatRate, 0.75);
  const empty = formStats(scoreOf([]));
  assert.deepEqual(
    { bars: empty.bars, notes: empty.notes, bar: empty.barRepeatRate, part: empty.partRepeat, last: empty.lastNote, held: empty.phraseEndHeld, lead: empty.leadingEmptyBars },
    { bars: 0, notes: 'none', bar: null, part: null, last: null, held: null, lead: 0 },
  );
  const broken = formStats({ ...scoreOf([{ notes: [n(60, NaN)] }]), lengthBeats: NaN, timeSignatures: [] });
  assert.equal(broken.notes, 'pitched');
  assert.equal(broken.bars, 0);
  assert.equal(broken.lastNote, null);
});

test('summarizeForm: means over the pieces where a figure is defined, and the meter distribution', () => {
  const aabb = formStats(tuneOf([0, 1, 0, 1]), { key: C_MAJOR });
  const plain = formStats(tuneOf([0, 1, 2, 3]), { key: C_MAJOR });
  const jig = formStats(scoreOf([{ notes: [n(60, 6), n(60, 7)] }], { timeSignatures: [{ beat: 0, numerator: 6, denominator: 8 }] }));
  const sum = summarizeForm([aabb, plain, jig]);
  assert.equal(sum.pieces, 3);
  assert.equal(sum.barRepeatRate, 0.25, '(0.5 + 0) / 2; the jig has one filled bar, so no rate');
  assert.equal(sum.partRepeat, null);
  assert.equal(sum.lastNoteAtLeastOneBeat, 1);
  assert.deepEqual(sum.meters, { '4/4': 2 / 3, '6/8': 1 / 3 });
  assert.equal(sum.meanLeadingEmptyBars, 2 / 3);
  assert.equal(sum.openingWithOverOneEmptyBar, 1 / 3);
  assert.equal(summarizeForm([]).barRepeatRate, null);
  assert.deepEqual(summarizeForm([]).meters, {});
});

test('minBars leaves short pieces out of a summary; barMeter measures bars of another meter', () => {
  const long = formStats(tuneOf([0, 1, 0, 1]));
  const short = formStats(tuneOf([0, 0]));
  const sum = summarizeForm([long, short], { minBars: 3 });
  assert.equal(sum.pieces, 1);
  assert.equal(sum.shorterLeftOut, 1);
  assert.equal(sum.barRepeatRate, 0.5);
  // Four 4/4 bars written as 1/4: measured in 1/4 no bar repeats (16 one-beat bars, 16 pitches); in 4/4 half do.
  const oneBeat = { ...tuneOf([0, 1, 0, 1]), timeSignatures: [{ beat: 0, numerator: 1, denominator: 4 }] };
  assert.equal(formStats(oneBeat).bars, 16);
  assert.equal(formStats(oneBeat).barRepeatRate, 8 / 16, 'as 1/4 the repeated bars 3-4 repeat beat by beat');
  const asFourFour = formStats(oneBeat, { barMeter: { numerator: 4, denominator: 4 } });
  assert.equal(asFourFour.bars, 4);
  assert.equal(asFourFour.meter, '1/4');
  assert.equal(asFourFour.barRepeatRate, 0.5);
});

test('a late first hit stays in bar 1; a first note in the second half of a bar is a pickup', () => {
  const late = formStats(scoreOf([{ notes: [...distinctBar(1, 0), ...distinctBar(1, 1)].map((x) => ({ ...x, start: x.start + 0.25 })) }]));
  assert.equal(late.barRepeatRate, 0.5);
  const pickup = formStats(scoreOf([{ notes: [n(60, 2), n(62, 3), ...distinctBar(1, 1), ...distinctBar(1, 2)] }]));
  assert.equal(pickup.bars, 2);
  assert.equal(pickup.barRepeatRate, 0.5);
});

test('compareForm: generated against real pieces of (nearly) the same length, pop bars in 4/4', async () => {
  const { compareForm } = await import('../../src/engine/evaluation-report.ts');
  const aabb = tuneOf([0, 1, 2, 3, 4, 5, 6, 7, 0, 1, 2, 3, 4, 5, 6, 7]);
  const through = tuneOf(Array.from({ length: 16 }, (_, i) => i));
  const short = tuneOf([0, 0, 0, 0]);
  const data = [aabb, aabb, aabb, aabb, aabb, short];
  const c = compareForm([through], data, 16);
  assert.equal(c.dataMinBars, 14);
  assert.equal(c.data.pieces, 5);
  assert.equal(c.data.shorterLeftOut, 1);
  assert.equal(c.data.partRepeat, 1);
  assert.equal(c.generated.partRepeat, 0);
  assert.equal(c.barMeter, null);
  // Too few long pieces: every piece counts.
  const few = compareForm([through], [aabb, short], 16);
  assert.equal(few.dataMinBars, 0);
  assert.equal(few.data.pieces, 2);
  // Pop files that say 1/4 are measured in 4/4 bars.
  const oneBeat = { ...aabb, timeSignatures: [{ beat: 0, numerator: 1, denominator: 4 }] };
  const pop = compareForm([oneBeat], [oneBeat], 16, 'pop');
  assert.equal(pop.barMeter, '4/4');
  assert.equal(pop.generated.partRepeat, 1);
});
