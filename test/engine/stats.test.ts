import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aggregateStats, emptyBeatRate, grooveConsistency, overlapArea, polyphony, scoreStats } from '../../src/engine/stats.ts';
import { n, scoreOf } from './fixtures.ts';

const close = (a: number, b: number, msg?: string) => assert.ok(Math.abs(a - b) < 1e-9, `${msg ?? ''} ${a} != ${b}`);

test('a C major scale: entropy log2(7), scale consistency 1, monophonic quarters', () => {
  const s = scoreStats(scoreOf([{ notes: [60, 62, 64, 65, 67, 69, 71].map((p, i) => n(p, i)) }], { lengthBeats: 8 }));
  close(s.pitchClassEntropy, Math.log2(7));
  close(s.scaleConsistency, 1);
  close(s.polyphony, 1);
  close(s.meanInterOnsetInterval, 1);
  close(s.emptyBeatRate, 1 / 8);
  assert.equal(s.pitchRange, 11);
  assert.equal(s.minPitch, 60);
  assert.deepEqual(s.noteLengthHistogram, [0, 0, 0, 1, 0, 0, 0, 0]);
  close(s.pitchClassHistogram[0], 1 / 7);
  assert.equal(s.pitchClassHistogram[1], 0);
  assert.equal(s.noteCount, 7);
});

test('chromatic scale: maximal entropy, 7/12 in the best scale', () => {
  const s = scoreStats(scoreOf([{ notes: Array.from({ length: 12 }, (_, i) => n(60 + i, i * 0.5, 0.5)) }]));
  close(s.pitchClassEntropy, Math.log2(12));
  close(s.scaleConsistency, 7 / 12);
  assert.deepEqual(s.noteLengthHistogram, [0, 1, 0, 0, 0, 0, 0, 0]);
});

test('groove consistency, empty beats and polyphony on hand-made patterns', () => {
  const quarters = [0, 1, 2, 3].map((b) => n(36, b, 0.25));
  const eighths = [0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5].map((b) => n(36, 4 + b, 0.25));
  close(grooveConsistency([...quarters, ...quarters.map((x) => ({ ...x, start: x.start + 4 }))], 16), 1);
  close(grooveConsistency([...quarters, ...eighths], 16), 0.75);
  assert.ok(Number.isNaN(grooveConsistency(quarters, 16)), 'one bar: undefined');
  close(emptyBeatRate([n(60, 0, 1), n(62, 2.5, 0.5)], 4), 0.5);
  close(polyphony([n(60, 0), n(64, 0), n(67, 0), n(72, 1)]), 2);
  // Drums count for rhythm statistics but not for pitch statistics.
  const s = scoreStats(scoreOf([{ isDrum: true, notes: [...quarters, ...eighths] }, { notes: [n(60, 0, 8)] }]));
  close(s.grooveConsistency, 0.75);
  assert.equal(s.pitchRange, 0);
  close(s.pitchClassEntropy, 0);
});

test('aggregate means skip undefined values; overlap area', () => {
  const a = scoreStats(scoreOf([{ notes: [60, 62, 64, 65, 67, 69, 71].map((p, i) => n(p, i)) }]));
  const b = scoreStats(scoreOf([{ notes: [n(60, 0), n(61, 1)] }]));
  const m = aggregateStats([a, b]);
  close(m.scaleConsistency, (1 + 1) / 2);
  close(m.pitchRange, (11 + 1) / 2);
  close(m.grooveConsistency, a.grooveConsistency, 'b has one bar (NaN), skipped');
  close(m.pitchClassHistogram.reduce((x, y) => x + y, 0), 1);
  close(overlapArea([1, 0], [0.5, 0.5]), 0.5);
  close(overlapArea([2, 2], [1, 1]), 1);
});
