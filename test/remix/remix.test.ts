import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { brownian, curveAt, logisticMap, poissonEvents, randomWalk } from '../../src/engine/remix/curves.ts';
import { CURVE_EFFECTS, remixScore } from '../../src/engine/remix/transform.ts';
import { writeRemixMidi } from '../../src/engine/remix/smf.ts';
import { readMidi, writeMidi } from '../../src/engine/midi.ts';
import { parseSmf } from '../../src/render/smf.ts';
import { remixTrack, checkRemix } from '../../src/studio/remix.ts';
import { scale, TEST_SOUNDFONT } from '../render/helpers.ts';

const hash = (b: ArrayBufferView) => createHash('sha256').update(Buffer.from(b.buffer, b.byteOffset, b.byteLength)).digest('hex');

test('curves: same seed, same curve; within their bounds; the logistic map is the textbook one', () => {
  assert.deepEqual(brownian(7, { length: 50, sigma: 0.3 }), brownian(7, { length: 50, sigma: 0.3 }));
  assert.notDeepEqual(brownian(7, { length: 50, sigma: 0.3 }), brownian(8, { length: 50, sigma: 0.3 }));
  assert.ok(brownian(3, { length: 2000, sigma: 0.5, min: -1, max: 1 }).every((v) => v >= -1 && v <= 1));
  const walk = randomWalk(3, { length: 500, step: 2, min: -6, max: 6 });
  assert.ok(walk.every((v, i) => v >= -6 && v <= 6 && (i === 0 || Math.abs(v - walk[i - 1]) <= 2)));
  assert.deepEqual(logisticMap(1, { length: 3, r: 3.9, x0: 0.5 }), [0.5, 0.975, 3.9 * 0.975 * (1 - 0.975)]);
  assert.ok(logisticMap(9, { length: 500 }).every((v) => v > 0 && v < 1));
  const events = poissonEvents(5, { rate: 0.5, duration: 2000 });
  assert.ok(Math.abs(events.length - 1000) < 100, `${events.length} events for an expected 1000`);
  assert.ok(events.every((t, i) => t < 2000 && (i === 0 || t > events[i - 1])));
  assert.equal(curveAt([0, 10], 0.25), 2.5);
  assert.deepEqual(brownian(1, { length: 0, sigma: 1 }), []);
});

test('curve remixes: same seed, same MIDI bytes; another seed, other MIDI; controllers and program changes are written', () => {
  const source = readMidi(writeMidi(scale(64, 120, 0)));
  for (const effect of CURVE_EFFECTS) {
    const a = remixScore(source, effect, 42);
    const b = remixScore(source, effect, 42);
    const c = remixScore(source, effect, 43);
    assert.equal(hash(writeRemixMidi(a.score, a.controls)), hash(writeRemixMidi(b.score, b.controls)), effect);
    assert.notEqual(hash(writeRemixMidi(a.score, a.controls)), hash(writeRemixMidi(c.score, c.controls)), `${effect} depends on the seed`);
  }
  const drift = remixScore(source, 'drift', 42).score;
  const pcs = new Set([0, 2, 4, 5, 7, 9, 11]);
  assert.ok(drift.tracks[0].notes.every((n) => pcs.has(n.pitch % 12)), 'drift stays in C major');
  assert.ok(drift.tracks[0].notes.some((n, i) => n.pitch !== source.tracks[0].notes[i].pitch), 'drift moves some notes');
  const tempo = remixScore(source, 'tempo-walk', 42).score.tempos;
  assert.ok(tempo.length === 8 && tempo.every((t) => t.bpm >= 120 * 0.84 && t.bpm <= 120 * 1.16));
  const timbre = remixScore(source, 'timbre', 42);
  const events = parseSmf(writeRemixMidi(timbre.score, timbre.controls)).events;
  assert.ok(events.some((e) => (e.status & 0xf0) === 0xb0 && e.data1 === 74), 'CC74 filter cutoff');
  assert.ok(events.filter((e) => (e.status & 0xf0) === 0xc0).length > 1, 'program changes after the first');
  const pan = remixScore(source, 'pan-walk', 42);
  assert.ok(parseSmf(writeRemixMidi(pan.score, pan.controls)).events.some((e) => (e.status & 0xf0) === 0xb0 && e.data1 === 10 && e.data2 !== 64), 'pan moves');
  // The notes survive the writer.
  assert.equal(readMidi(writeRemixMidi(drift, [])).tracks[0].notes.length, 64);
});


test('studio remixes render the same audio twice for the same seed (curve and spectral)', async () => {
  const midi = writeMidi(scale(16, 140, 0));
  const base = { midi, title: 'Scale', genre: 'celtic', instrument: 'piano', temperature: 1, formats: [] };
  for (const effect of ['timbre', 'pitch-shift'] as const) {
    const a = await remixTrack({ ...base, effect, seed: 5, semitones: 3 }, undefined, { soundfont: TEST_SOUNDFONT, inThread: true });
    const b = await remixTrack({ ...base, effect, seed: 5, semitones: 3 }, undefined, { soundfont: TEST_SOUNDFONT, inThread: true });
    assert.ok(a.pcm && a.pcm.length > 48000, effect);
    assert.equal(hash(a.pcm!), hash(b.pcm!), `${effect}: byte-identical PCM`);
    assert.match(a.title, new RegExp(`${effect} remix`));
  }
  assert.throws(() => checkRemix({ effect: 'wobble' as never, seed: 1 }), /unknown effect/);
  assert.throws(() => checkRemix({ effect: 'pitch-shift', seed: 1, semitones: 0 }), /semitones/);
});

test('mixtape remix: bad input gets one line and a non-zero exit; a remix writes its MIDI and audio', async () => {
  const { spawnSync } = await import('node:child_process');
  const { mkdtempSync, writeFileSync, readdirSync, rmSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'mixtape-remix-'));
  try {
    const input = join(dir, 'tune.mid');
    writeFileSync(input, writeMidi(scale(8, 120, 0)));
    const cli = (...args: string[]) => spawnSync(process.execPath, [new URL('../../bin/mixtape.js', import.meta.url).pathname, 'remix', ...args], { encoding: 'utf8', timeout: 120_000, cwd: dir });
    const bad = cli(input, '--effect', 'wobble');
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr.trim(), /^error: unknown effect "wobble"; choose one of drift, /);
    assert.equal(bad.stderr.trim().split('\n').length, 1);
    const missing = cli(join(dir, 'nope.mid'), '--effect', 'drift');
    assert.match(missing.stderr, /no such file/);
    const ok = cli(input, '--effect', 'chaos', '--seed', '9', '--format', 'wav', '--soundfont', TEST_SOUNDFONT, '--out', join(dir, 'out'));
    assert.equal(ok.status, 0, ok.stderr);
    assert.deepEqual(readdirSync(join(dir, 'out')).sort(), ['tune-chaos-9.mid', 'tune-chaos-9.wav']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
