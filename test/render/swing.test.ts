/** Swing in the expression stage: off-beat eighths move late, beats stay, notes keep their order. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyExpression, swing, swingTime } from '../../src/render/expression.ts';
import type { Score } from '../../src/engine/score.ts';

const eighths: Score = {
  title: 't',
  tracks: [{ name: 'x', program: 0, isDrum: false, notes: [0, 0.5, 1, 1.5, 1.75].map((start) => ({ pitch: 60, start, duration: start === 1.5 ? 0.25 : 0.5, velocity: 90 })) }],
  tempos: [{ beat: 0, bpm: 140 }],
  timeSignatures: [{ beat: 0, numerator: 4, denominator: 4 }],
  lengthBeats: 4,
};

test('swingTime stretches the first eighth of each beat and keeps the beats', () => {
  assert.equal(swingTime(2, 0.62), 2);
  assert.ok(Math.abs(swingTime(1.5, 0.62) - 1.62) < 1e-9);
  assert.ok(Math.abs(swingTime(1.75, 0.62) - 1.81) < 1e-9);
  assert.equal(swingTime(0.5, 0.5), 0.5, '0.5 is straight');
});

test('swing moves off-beats late, shortens them to the next beat, and leaves straight pieces alone', () => {
  const notes = swing(eighths, 2 / 3).tracks[0].notes;
  assert.deepEqual(notes.map((n) => Math.round(n.start * 1000) / 1000), [0, 0.667, 1, 1.667, 1.833]);
  assert.ok(Math.abs(notes[0].duration - 2 / 3) < 1e-9, 'the on-beat eighth is long');
  assert.ok(Math.abs(notes[1].duration - 1 / 3) < 1e-9, 'the off-beat eighth is short');
  assert.equal(swing(eighths, 0.5), eighths);
  const viaExpression = applyExpression(eighths, { seed: 1, swing: 0.62 }).tracks[0].notes;
  assert.ok(Math.abs(viaExpression[1].start - 0.62) < 1e-9);
});
