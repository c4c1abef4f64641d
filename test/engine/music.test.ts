import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mainTimeSignature, quantizeNotes, quantizeScore, stepsPerBarOf } from '../../src/engine/quantize.ts';
import { foldPitch, octaveShiftIntoRange, transposeScore, transpositionsThatFit } from '../../src/engine/transpose.ts';
import { extractMelody, monophonicity, skyline } from '../../src/engine/melody.ts';
import { cMajorScale, n, scoreOf } from './fixtures.ts';

test('quantize snaps to 16ths and keeps the meter as steps per bar', () => {
  assert.deepEqual(quantizeNotes([n(60, 0.02, 0.5), n(62, 1.01, 0.01)]), [
    { pitch: 60, start: 0, end: 2, velocity: 100 },
    { pitch: 62, start: 4, end: 5, velocity: 100 },
  ]);
  assert.equal(stepsPerBarOf({ beat: 0, numerator: 6, denominator: 8 }), 12);
  assert.equal(stepsPerBarOf({ beat: 0, numerator: 3, denominator: 4 }), 12);
  assert.equal(stepsPerBarOf({ beat: 0, numerator: 2, denominator: 4 }), 8);
  // A pickup bar of 2/4 does not beat 30 beats of 3/4.
  const s = scoreOf([{ notes: [n(60, 0, 32)] }], {
    timeSignatures: [{ beat: 0, numerator: 2, denominator: 4 }, { beat: 2, numerator: 3, denominator: 4 }],
  });
  assert.equal(mainTimeSignature(s).numerator, 3);
  assert.equal(quantizeScore(s).stepsPerBar, 12);
  assert.equal(quantizeScore(s).totalSteps, 128);
});

test('transpose moves pitched tracks only; folding and fitting', () => {
  const s = scoreOf([{ notes: [n(60, 0)] }, { isDrum: true, notes: [n(36, 0)] }]);
  const up = transposeScore(s, 5);
  assert.equal(up.tracks[0].notes[0].pitch, 65);
  assert.equal(up.tracks[1].notes[0].pitch, 36);
  assert.equal(s.tracks[0].notes[0].pitch, 60, 'input untouched');
  assert.equal(foldPitch(100, 48, 95), 88);
  assert.equal(foldPitch(30, 48, 95), 54);
  assert.equal(octaveShiftIntoRange([n(100, 0), n(105, 1)], 48, 95), -12);
  assert.equal(octaveShiftIntoRange([n(60, 0)], 48, 95), 0);
  assert.deepEqual(transpositionsThatFit(scoreOf([{ notes: [n(50, 0), n(90, 1)] }]), 48, 95), [-2, -1, 0, 1, 2, 3, 4, 5]);
});

test('skyline keeps the top note and makes the line monophonic', () => {
  const line = skyline([n(60, 0, 2), n(64, 0, 2), n(67, 1, 2), n(55, 1, 1)]);
  assert.deepEqual(line.map((x) => [x.pitch, x.start, x.duration]), [[64, 0, 1], [67, 1, 2]]);
  assert.equal(monophonicity(line), 1);
  assert.ok(monophonicity([n(60, 0, 2), n(64, 0, 2)]) < 1);
});

test('extractMelody prefers the melodic track and applies Magenta filters', () => {
  const tune = Array.from({ length: 32 }, (_, i) => n([72, 74, 76, 77, 79][i % 5], i));
  const chords = Array.from({ length: 8 }, (_, i) => [n(48, i * 4, 4), n(52, i * 4, 4), n(55, i * 4, 4)]).flat();
  const bass = Array.from({ length: 16 }, (_, i) => n(36 + (i % 3), i * 2, 2));
  const melody = extractMelody(scoreOf([{ name: 'bass', notes: bass }, { name: 'chords', notes: chords }, { name: 'x', notes: tune }]));
  assert.ok(melody);
  assert.deepEqual(melody.map((x) => x.pitch), tune.map((x) => x.pitch));
  // Too short (2 bars) and too few pitches.
  assert.equal(extractMelody(scoreOf([{ notes: cMajorScale() }])), null);
  assert.equal(extractMelody(scoreOf([{ notes: Array.from({ length: 40 }, (_, i) => n(60 + (i % 2), i)) }])), null);
  assert.ok(extractMelody(scoreOf([{ notes: cMajorScale() }]), { minBars: 2 }));
});
