import { test } from 'node:test';
import assert from 'node:assert/strict';
import pngjs from 'pngjs';
import { COLORS, noteRect, pianoRoll, rollLayout, trackColor } from '../../src/render/pianoroll.ts';
import type { Score } from '../../src/engine/score.ts';

const { PNG } = pngjs;

const score: Score = {
  title: 'roll',
  tempos: [{ beat: 0, bpm: 120 }],
  timeSignatures: [{ beat: 0, numerator: 4, denominator: 4 }],
  lengthBeats: 16,
  tracks: [
    { name: 'melody', program: 0, isDrum: false, notes: [
      { pitch: 72, start: 0, duration: 1, velocity: 90 }, { pitch: 76, start: 4.5, duration: 2, velocity: 90 },
      { pitch: 79, start: 9, duration: 1.5, velocity: 90 }, { pitch: 74, start: 13, duration: 2, velocity: 90 },
    ] },
    { name: 'bass', program: 32, isDrum: false, notes: [
      { pitch: 48, start: 0, duration: 3, velocity: 80 }, { pitch: 53, start: 8.5, duration: 3, velocity: 80 },
    ] },
    { name: 'drums', program: 0, isDrum: true, notes: [
      { pitch: 36, start: 0.5, duration: 0.25, velocity: 100 }, { pitch: 42, start: 6.5, duration: 0.25, velocity: 100 },
    ] },
  ],
};

const pixel = (png: InstanceType<typeof PNG>, x: number, y: number) => {
  const i = (png.width * Math.round(y) + Math.round(x)) * 4;
  return [png.data[i], png.data[i + 1], png.data[i + 2]];
};
const centre = (r: [number, number, number, number]) => [(r[0] + r[2] - 1) / 2, (r[1] + r[3] - 1) / 2] as const;

test('each note centre has its track colour; empty places have the background', () => {
  const png = PNG.sync.read(Buffer.from(pianoRoll(score)));
  assert.equal(png.width, 1200);
  assert.equal(png.height, 500);
  const layout = rollLayout(score);
  score.tracks.forEach((t, ti) => {
    const color = t.isDrum ? COLORS.drums : trackColor(ti);
    for (const n of t.notes) {
      const [x, y] = centre(noteRect(layout, n, t.isDrum));
      assert.deepEqual(pixel(png, x, y), [...color], `${t.name} note ${n.pitch}@${n.start}`);
    }
  });
  // Where no note sounds (pitch 62 during beat 2.5, away from grid lines) is background.
  const [x, y] = centre(noteRect(layout, { pitch: 62, start: 2.3, duration: 0.3, velocity: 1 }, false));
  assert.deepEqual(pixel(png, x, y), [...COLORS.background]);
});

test('the pitch range is fitted to the notes with a margin, drums get their own lane', () => {
  const l = rollLayout(score);
  assert.equal(l.lowPitch, 46);
  assert.equal(l.highPitch, 81);
  assert.ok(l.drumLane && l.drumLane.top > l.pitchBottom);
  const [, y0] = noteRect(l, score.tracks[2].notes[0], true);
  assert.ok(y0 >= l.drumLane!.top);
});

test('bar lines are drawn; the primer is greyed and divided from the new part', () => {
  const png = PNG.sync.read(Buffer.from(pianoRoll(score, { primerEndBeat: 8 })));
  const l = rollLayout(score);
  const x = (beat: number) => Math.round(l.left + beat * l.pxPerBeat);
  // A bar line at beat 12 in an empty row.
  const yEmpty = centre(noteRect(l, { pitch: 62, start: 0, duration: 1, velocity: 1 }, false))[1];
  assert.deepEqual(pixel(png, x(12), yEmpty), [...COLORS.barLine]);
  // Primer notes (start < 8) grey, later notes in colour, divider at beat 8.
  const [px, py] = centre(noteRect(l, score.tracks[0].notes[1], false));
  assert.deepEqual(pixel(png, px, py), [...COLORS.primerNote]);
  const [gx, gy] = centre(noteRect(l, score.tracks[0].notes[2], false));
  assert.deepEqual(pixel(png, gx, gy), [...trackColor(0)]);
  assert.deepEqual(pixel(png, x(8), yEmpty), [...COLORS.primerDivider]);
  assert.deepEqual(pixel(png, x(2.3), yEmpty), [...COLORS.primerBackground]);
});

test('an empty score still draws a picture', () => {
  const png = PNG.sync.read(Buffer.from(pianoRoll({ ...score, tracks: [], lengthBeats: 0 })));
  assert.equal(png.width, 1200);
});

test('pitch names sit in the left margin and bar numbers above the bars; labels: false leaves them out', () => {
  const labelled = (png: InstanceType<typeof PNG>, x0: number, y0: number, x1: number, y1: number) => {
    let n = 0;
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (pixel(png, x, y).join() === COLORS.label.join()) n++;
    return n;
  };
  const l = rollLayout(score);
  assert.ok(l.labels && l.left > 8 && l.top > 8, 'room for the labels');
  const png = PNG.sync.read(Buffer.from(pianoRoll(score)));
  // The C5 row (pitch 72) has its name "C5" left of the notes.
  const c5 = Math.round(l.top + (l.highPitch - 72) * l.rowHeight);
  assert.ok(labelled(png, 0, c5, l.left, Math.round(c5 + l.rowHeight)) > 4, 'C5 is named');
  // Bar 1 and bar 3 (beat 8) are numbered in the top margin.
  const x3 = Math.round(l.left + 8 * l.pxPerBeat);
  assert.ok(labelled(png, l.left, 0, l.left + 12, l.top) > 4, 'bar 1');
  assert.ok(labelled(png, x3, 0, x3 + 12, l.top) > 4, 'bar 3');
  const bare = PNG.sync.read(Buffer.from(pianoRoll(score, { labels: false })));
  assert.equal(labelled(bare, 0, 0, bare.width, bare.height), 0);
});
