import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as melody from '../../src/engine/encodings/melody.ts';
import * as pd from '../../src/engine/encodings/pitchDuration.ts';
import * as poly from '../../src/engine/encodings/polyphonic.ts';
import * as perf from '../../src/engine/encodings/performance.ts';
import * as drums from '../../src/engine/encodings/drums.ts';
import { createRng } from '../../src/engine/random.ts';
import { n, scoreOf } from './fixtures.ts';

const strip = (notes: { pitch: number; start: number; duration: number }[]) => notes.map((x) => [x.pitch, x.start, x.duration]);

test('melody: vocab, tokens and exact round trip on the 16th grid', () => {
  assert.equal(melody.vocabSize(), 50);
  const notes = [n(60, 0, 1), n(62, 1, 0.5), n(64, 2, 0.25), n(64, 2.25, 1.75), n(95, 6, 2), n(48, 8, 0.25)];
  const { tokens, shift } = melody.encodeMelody(notes, { stepsPerBar: 16 });
  assert.equal(shift, 0);
  assert.deepEqual(tokens.slice(0, 8), [14, 0, 0, 0, 16, 0, 1, 0]);
  assert.equal(tokens.length, 48, 'padded to whole bars');
  assert.equal(melody.tokenName(14), 'ON_60');
  assert.deepEqual(strip(melody.decodeMelody(tokens)), strip(notes));
  assert.ok(melody.decodeMelody(tokens).every((x) => x.velocity === 100));
});

test('melody: octave shift into range and back', () => {
  const high = [n(100, 0, 1), n(103, 1, 1), n(107, 2, 1)];
  const { tokens, shift } = melody.encodeMelody(high, { stepsPerBar: 16 });
  assert.equal(shift, -12);
  assert.deepEqual(melody.decodeMelody(tokens, { shift }).map((x) => x.pitch), [100, 103, 107]);
  // Overlapping notes: the line is cut at the next onset.
  const { tokens: t2 } = melody.encodeMelody([n(60, 0, 4), n(67, 1, 1)], { stepsPerBar: 16 });
  assert.deepEqual(strip(melody.decodeMelody(t2)), [[60, 0, 1], [67, 1, 1]]);
});

test('lookback: sizes, counters, repeat flags and labels that resolve back to the events', () => {
  const V = melody.vocabSize();
  assert.equal(melody.lookbackInputSize(), 3 * V + 7);
  assert.equal(melody.lookbackLabelSize(), V + 2);
  const bar = [14, 0, 16, 0, 18, 0, 0, 1, 19, 0, 21, 0, 23, 0, 0, 1];
  const other = [26, 0, 0, 0, 25, 0, 0, 0, 23, 0, 0, 0, 21, 0, 0, 1];
  const tokens = [...bar, ...other, ...bar, ...bar];
  const x = melody.lookbackInput(tokens, 16, 16);
  assert.equal(x[26], 1, 'current event');
  assert.equal(x[V + tokens[1]], 1, 'event 1 bar before the next step');
  assert.equal(x[2 * V + melody.NO_EVENT], 1, 'before the start: NO_EVENT');
  // Counter of next step 17: bits 1,0,0,0,1.
  assert.deepEqual([...x.slice(3 * V, 3 * V + 5)], [1, -1, -1, -1, 1]);
  const y = melody.lookbackInput(tokens, 48, 16);
  assert.deepEqual([...y.slice(3 * V + 5)], [1, 0], 'bar 4 repeats bar 3, not bar 2');
  const labels = melody.lookbackLabels(tokens, 16);
  assert.equal(labels[0], 14);
  assert.equal(labels[1], V + 1, 'NO_EVENT in the first two bars uses the 2-bar label');
  assert.equal(labels[32], V + 1, 'bar 3 repeats bar 1 (2 bars back)');
  assert.equal(labels[48], V, 'bar 4 repeats bar 3 (1 bar back), not bar 2');
  assert.equal(labels[16 + 4], 25);
  for (let p = 0; p < tokens.length; p++) {
    assert.equal(melody.resolveLookbackLabel(labels[p], tokens.slice(0, p), 16), tokens[p], `position ${p}`);
  }
});

test('pitchDuration: classes, rests and round trip', () => {
  assert.equal(pd.vocabSize(), 1032);
  assert.equal(pd.durationClass(5), 3);
  assert.equal(pd.durationClass(100), 7);
  assert.deepEqual(pd.restClasses(20), [7, 3]);
  // Quarter, eighth, dotted eighth + 16th, half rest, whole, 16th gap, dotted quarter.
  const notes = [n(60, 4, 1), n(62, 5, 0.5), n(64, 5.5, 0.75), n(65, 6.25, 0.25), n(67, 8.5, 4), n(69, 12.75, 1.5)];
  const events = pd.encodeEvents(notes);
  assert.deepEqual(events.map((e) => [e.pitch, pd.DURATION_STEPS[e.duration]]), [
    [61, 4], [63, 2], [65, 3], [66, 1], [0, 8], [68, 16], [0, 1], [70, 6],
  ]);
  assert.deepEqual(strip(pd.decode(pd.encode(notes), { startBeat: 4 })), strip(notes));
  assert.equal(pd.tokenName(pd.jointToken({ pitch: 61, duration: 3 })), 'P60:q');
  // Off-class durations: onsets stay exact, lengths snap to the nearest class that fits.
  const odd = [n(60, 0, 1.25), n(62, 1.25, 2.75), n(64, 4, 1)];
  const back = pd.decode(pd.encode(odd));
  assert.deepEqual(back.map((x) => x.start), [0, 1.25, 4]);
  assert.deepEqual(back.map((x) => x.duration), [1, 2, 1]);
  assert.equal(pd.encode(odd, { leadingRest: true })[0], pd.encode(odd)[0]);
  assert.equal(pd.encodeEvents([n(60, 2, 1)], { leadingRest: true })[0].pitch, pd.REST);
});

test('polyphonic: tokens, chords, velocity changes, bars and round trip', () => {
  assert.equal(poly.vocabSize(), 145);
  const l = poly.layout();
  const score = scoreOf([
    { notes: [n(60, 0, 1, 100), n(64, 0, 1, 100), n(67, 0, 2, 100), n(72, 1.5, 0.5, 40)] },
    { notes: [n(48, 4, 8, 100)] },
    { isDrum: true, notes: [n(36, 0, 0.25)] },
  ]);
  const tokens = poly.encode(score);
  assert.deepEqual(tokens.map((t) => poly.tokenName(t)), [
    'BAR', 'POS_0', 'VEL_6', 'PITCH_60', 'DUR_4', 'PITCH_64', 'DUR_4', 'PITCH_67', 'DUR_8', 'POS_6', 'VEL_2', 'PITCH_72', 'DUR_2',
    'BAR', 'POS_0', 'VEL_6', 'PITCH_48', 'DUR_32', 'BAR',
  ]);
  assert.equal(tokens[0], l.bar);
  assert.equal(poly.barsOf(tokens), 3);
  assert.ok(poly.isValidSequence(tokens));
  const back = poly.decode(tokens);
  assert.equal(back.lengthBeats, 12);
  assert.deepEqual(strip(back.tracks[0].notes), [[60, 0, 1], [64, 0, 1], [67, 0, 2], [72, 1.5, 0.5], [48, 4, 8]]);
  assert.deepEqual(back.tracks[0].notes.map((x) => poly.velocityBin(x.velocity)), [6, 6, 6, 2, 6]);
  // 3/4 and 6/8 use 12 positions; decode keeps 12-step bars.
  const waltz = scoreOf([{ notes: [n(60, 0), n(62, 3), n(64, 5.75, 0.25)] }], { timeSignatures: [{ beat: 0, numerator: 3, denominator: 4 }] });
  const wt = poly.encode(waltz);
  assert.equal(poly.barsOf(wt), 2);
  const wback = poly.decode(wt, { stepsPerBar: 12 });
  assert.deepEqual(strip(wback.tracks[0].notes), strip(waltz.tracks[0].notes));
  assert.deepEqual(wback.timeSignatures[0], { beat: 0, numerator: 3, denominator: 4 });
  assert.equal(wback.lengthBeats, 6);
  assert.equal(poly.decode(wt, { stepsPerBar: 12, timeSignature: { beat: 0, numerator: 6, denominator: 8 } }).timeSignatures[0].numerator, 6);
});

test('polyphonic grammar: masks allow exactly valid continuations; random masked walks stay valid', () => {
  const l = poly.layout();
  const start = poly.allowedNext([]);
  assert.deepEqual([...start.keys()].filter((i) => start[i]), [l.bar]);
  const afterPos = poly.allowedNext([l.bar, l.pos + 4]);
  assert.equal(afterPos[l.pos + 5], 0, 'no POS right after POS');
  assert.equal(afterPos[l.pitch], 1);
  assert.equal(afterPos[l.dur], 0);
  const afterPitch = poly.allowedNext([l.bar, l.pos + 4, l.pitch + 39]);
  assert.deepEqual([...afterPitch.keys()].filter((i) => afterPitch[i]), Array.from({ length: 32 }, (_, i) => l.dur + i));
  const afterDur = poly.allowedNext([l.bar, l.pos + 4, l.vel + 3, l.pitch + 39, l.dur]);
  assert.equal(afterDur[l.pos + 4], 0, 'positions must increase');
  assert.equal(afterDur[l.pos + 5], 1);
  assert.equal(afterDur[l.pitch + 39], 0, 'pitches ascend at one position');
  assert.equal(afterDur[l.pitch + 40], 1);
  assert.equal(afterDur[l.vel + 3], 0, 'VEL only when it changes');
  assert.equal(afterDur[l.bar], 1);
  assert.equal(poly.allowedNext([l.bar], 12)[l.pos + 12], 0, '3/4 has 12 positions');
  assert.equal(poly.isValidSequence([l.bar, l.pitch + 3]), false);
  const rng = createRng(5);
  const g = poly.createGrammar(16);
  const walk: number[] = [];
  for (let i = 0; i < 400; i++) {
    const mask = g.allowed();
    const options = [...mask.keys()].filter((k) => mask[k]);
    assert.ok(options.length > 0);
    const t = options[rng.int(options.length)];
    g.push(t);
    walk.push(t);
  }
  assert.ok(poly.isValidSequence(walk));
  const decoded = poly.decode(walk);
  assert.equal(decoded.lengthBeats, poly.barsOf(walk) * 4);
  assert.ok(decoded.tracks[0].notes.every((x) => x.start + x.duration <= decoded.lengthBeats));
});

test('performance: 388 tokens, round trip to 10 ms and velocity bins, tempo map respected', () => {
  assert.equal(perf.vocabSize(), 388);
  const score = scoreOf([{ notes: [n(60, 0, 1, 100), n(64, 0.5, 3, 30), n(60, 1, 0.013, 127), n(67, 2.001, 2, 64)] }], {
    tempos: [{ beat: 0, bpm: 120 }, { beat: 2, bpm: 60 }],
  });
  const tokens = perf.encode(score);
  assert.ok(tokens.every((t) => t >= 0 && t < 388));
  assert.deepEqual(tokens.slice(0, 3).map((t) => perf.tokenName(t)), ['VEL_24', 'ON_60', 'SHIFT_25']);
  const back = perf.decode(tokens, { bpm: 60 }); // 60 bpm: beats == seconds
  const expected = [
    [60, 0, 0.5], [64, 0.25, 2.25], [60, 0.5, 0.01], [67, 1.0, 2.0],
  ];
  const got = back.tracks[0].notes.map((x) => [x.pitch, x.start, x.duration]);
  assert.equal(got.length, 4);
  got.forEach((g, i) => {
    assert.equal(g[0], expected[i][0]);
    assert.ok(Math.abs(g[1] - expected[i][1]) <= 0.0051, `onset ${i}: ${g[1]}`);
    assert.ok(Math.abs(g[1] + g[2] - (expected[i][1] + expected[i][2])) <= 0.0101, `offset ${i}`);
  });
  assert.deepEqual(back.tracks[0].notes.map((x) => perf.velocityToBin(x.velocity)), [100, 30, 127, 64].map((v) => perf.velocityToBin(v)));
  // Long silences are split into 1-second shifts.
  const gap = perf.encode(scoreOf([{ notes: [n(60, 0, 0.5), n(62, 10, 0.5)] }]));
  assert.equal(gap.filter((t) => t === perf.TIME_SHIFT + 99).length, 4);
});

test('performance: a note that never gets its NOTE_OFF sounds at most maxNoteSeconds', () => {
  const second = perf.TIME_SHIFT + 99;
  const tokens = [perf.NOTE_ON + 60, ...new Array(10).fill(second), perf.NOTE_ON + 64, second, perf.NOTE_OFF + 64];
  const notes = perf.decode(tokens, { bpm: 60 }).tracks[0].notes; // 60 bpm: beats == seconds
  assert.deepEqual(notes.map((x) => [x.pitch, x.start, x.duration]), [[60, 0, 5], [64, 10, 1]]);
  assert.equal(perf.decode(tokens, { bpm: 60, maxNoteSeconds: 20 }).tracks[0].notes[0].duration, 11);
});

test('drums: GM map to 9 classes, 512-token masks and round trip of classes and onsets', () => {
  assert.equal(drums.vocabSize(), 512);
  assert.equal(drums.drumClass(35), 0);
  assert.equal(drums.drumClass(44), 2);
  assert.equal(drums.drumClass(26), 3);
  assert.equal(drums.drumClass(51), 8);
  assert.equal(drums.drumClass(20), -1);
  const kit = scoreOf([
    { isDrum: true, notes: [n(36, 0, 0.1), n(42, 0, 0.1), n(44, 0.5, 0.1), n(38, 1, 0.1, 60), n(49, 3.75, 0.5)] },
    { notes: [n(60, 0, 4)] },
  ]);
  const tokens = drums.encode(kit);
  assert.equal(tokens.length, 16);
  assert.equal(tokens[0], 0b101);
  assert.equal(drums.tokenName(tokens[0]), 'kick+closed hat');
  assert.equal(tokens[2], 0b100);
  assert.equal(tokens[4], 0b10);
  assert.equal(tokens[15], 1 << 7);
  const track = drums.decode(tokens);
  assert.ok(track.isDrum);
  assert.deepEqual(track.notes.map((x) => [x.pitch, x.start]), [[36, 0], [42, 0], [42, 0.5], [38, 1], [49, 3.75]]);
  assert.deepEqual(drums.encodeHits(track.notes), tokens, 'decode -> encode is the identity on tokens');
});

test('performance secondsMapper matches score.ts beatToSeconds', async () => {
  const { beatToSeconds } = await import('../../src/engine/score.ts');
  const s = scoreOf([{ notes: [n(60, 0, 40)] }], {
    tempos: [{ beat: 0, bpm: 90 }, { beat: 1.5, bpm: 200 }, { beat: 7, bpm: 45 }, { beat: 7.25, bpm: 120 }],
  });
  const map = perf.secondsMapper(s);
  for (const beat of [0, 0.3, 1.5, 2, 7, 7.1, 7.25, 30]) assert.ok(Math.abs(map(beat) - beatToSeconds(s, beat)) < 1e-9, `beat ${beat}`);
});
