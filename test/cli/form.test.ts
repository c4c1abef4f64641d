import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeMidi } from '../../src/engine/midi.ts';
import type { Note, Score } from '../../src/engine/score.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'mixtape-form-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

function mixtape(...args: string[]) {
  const r = spawnSync(process.execPath, [join(root, 'bin/mixtape.js'), 'form', ...args], { cwd: tmp, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A 4/4 tune of bars given as indices (equal index = identical bar), each bar four quarter notes. */
function tune(bars: number[], numerator = 4, denominator = 4): Score {
  const notes: Note[] = bars.flatMap((k, at) => [0, 1, 2, 3].map((b) => ({ pitch: 40 + 4 * k + b, start: at * 4 + b, duration: 1, velocity: 90 })));
  return { title: 't', tracks: [{ name: 'm', program: 0, isDrum: false, notes }], tempos: [{ beat: 0, bpm: 120 }], timeSignatures: [{ beat: 0, numerator, denominator }], lengthBeats: bars.length * 4 };
}

const dir = join(tmp, 'tunes');
mkdirSync(dir);
const a = [0, 1, 2, 3, 4, 5, 6, 7];
const b = [8, 9, 10, 11, 12, 13, 14, 15];
writeFileSync(join(dir, 'aabb.mid'), writeMidi(tune([...a, ...a, ...b, ...b])));
writeFileSync(join(dir, 'through.mid'), writeMidi(tune([...a, ...b])));

test('mixtape form measures a folder: an AABB tune and a through-composed one', () => {
  const r = mixtape(dir, '--json');
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  const byName = Object.fromEntries(out.pieces.map((p: { name: string }) => [p.name, p]));
  assert.equal(byName['aabb.mid'].barRepeatRate, 0.5);
  assert.equal(byName['aabb.mid'].partRepeat, 1);
  assert.equal(byName['through.mid'].barRepeatRate, 0);
  assert.equal(byName['through.mid'].partRepeat, 0);
  assert.equal(out.summary.pieces, 2);
  assert.equal(out.summary.barRepeatRate, 0.25);
  // --min-bars leaves the 16-bar tune out; the text report names the figures.
  const long = JSON.parse(mixtape(dir, '--min-bars', '32', '--json').stdout);
  assert.equal(long.summary.pieces, 1);
  const text = mixtape(join(dir, 'aabb.mid'));
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /bars 9-16 against bars 1-8\s+1\.00/);
});

test('mixtape form --genre compares generated pieces with the given files', () => {
  const r = mixtape('--genre', 'celtic', '--generate', '2', '--bars', '16', dir, '--json');
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.bars, 16);
  assert.equal(out.generated.pieces, 2);
  assert.equal(out.generated.meters['4/4'], 1);
  // On their first 16 bars the AABB tune is A A (0.5 of its bars repeat, part repeat 1), the other A B (0, 0).
  assert.equal(out.data.pieces, 2);
  assert.equal(out.data.barRepeatRate, 0.25);
  assert.equal(out.data.partRepeat, 0.5);
});

test('mixtape form --genre measures alternatives: a tune type, no form plan', () => {
  const jigs = JSON.parse(mixtape('--genre', 'celtic', '--generate', '2', '--bars', '16', '--type', 'jig', dir, '--json').stdout);
  assert.deepEqual(jigs.generated.meters, { '6/8': 1 });
  const planned = JSON.parse(mixtape('--genre', 'celtic', '--generate', '2', '--bars', '16', '--meter', '4/4', dir, '--json').stdout);
  const plain = JSON.parse(mixtape('--genre', 'celtic', '--generate', '2', '--bars', '16', '--meter', '4/4', '--no-plan', dir, '--json').stdout);
  assert.ok(planned.generated.partRepeat > plain.generated.partRepeat, `the AABB plan restates part A: ${planned.generated.partRepeat} vs ${plain.generated.partRepeat}`);
});

test('mixtape form --loudness renders generated pieces as /compose does and measures them near the target', () => {
  const r = mixtape('--genre', 'classical', '--generate', '1', '--bars', '4', '--loudness', '--loudness-pieces', '1', dir, '--json');
  assert.equal(r.code, 0, r.stderr);
  const { loudness } = JSON.parse(r.stdout);
  assert.equal(loudness.pieces, 1);
  assert.equal(loudness.targetLufs, -16);
  assert.ok(Math.abs(loudness.meanLufs - loudness.targetLufs) <= 2, `within 2 LU of the target: ${loudness.meanLufs}`);
});

test('mixtape form: bad input gets one clear line', () => {
  for (const [args, pattern] of [
    [[], /give MIDI files or folders/],
    [[join(tmp, 'missing')], /no file or folder/],
    [[dir, '--meter', '7'], /--meter must look like 6\/8/],
    [[dir, '--bars', '0'], /--bars must be an integer from 1 to 64/],
    [['--all-genres', '--genre', 'celtic'], /leave out --genre/],
    [['--genre', 'polka'], /unknown genre "polka"/],
    [['--genre', 'celtic', '--type', 'tango', dir], /unknown tune type "tango"/],
    [['--genre', 'celtic', '--temperature', '9', dir], /--temperature must be a number from 0.1 to 2/],
    [['--genre', 'celtic', '--loudness', '--loudness-pieces', '99', dir], /--loudness-pieces must be an integer from 1 to 50/],
  ] as [string[], RegExp][]) {
    const r = mixtape(...args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr.trim(), pattern);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  }
});
