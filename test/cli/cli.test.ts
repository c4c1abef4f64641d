import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeMidi } from '../../src/engine/midi.ts';
import type { Score } from '../../src/engine/score.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'mixtape-cli-'));
process.on('exit', () => rmSync(tmp, { recursive: true, force: true }));

function mixtape(...args: string[]) {
  const r = spawnSync(process.execPath, [join(root, 'bin/mixtape.js'), ...args], { cwd: tmp, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function file(name: string, bytes: Uint8Array | string): string {
  const path = join(tmp, name);
  writeFileSync(path, bytes);
  return path;
}

const score = (notes: { pitch: number; start: number; duration: number; velocity: number }[]): Score => ({
  title: 't',
  tracks: [{ name: 'm', program: 0, isDrum: false, notes }],
  tempos: [{ beat: 0, bpm: 120 }],
  timeSignatures: [{ beat: 0, numerator: 4, denominator: 4 }],
  lengthBeats: 8,
});

/** One line on stderr, exit 2, no stack trace, nothing written. */
function assertClearError(r: { code: number | null; stderr: string }, pattern: RegExp) {
  assert.equal(r.code, 2, r.stderr);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], /^error: /);
  assert.match(lines[0], pattern);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
}

test('every command has --help', () => {
  for (const cmd of ['compose', 'continue', 'train', 'evaluate', 'render']) {
    const r = mixtape(cmd, '--help');
    assert.equal(r.code, 0, cmd);
    assert.match(r.stdout, new RegExp(`usage: mixtape ${cmd}`));
  }
});

test('bad input gets one clear line and a non-zero exit', () => {
  const out = join(tmp, 'bad-out');
  assertClearError(mixtape('compose', '--genre', 'polka', '--out', out), /unknown genre "polka".*celtic/);
  assertClearError(mixtape('compose', '--genre', 'celtic', '--bars', '0', '--out', out), /--bars must be an integer from 1 to 64/);
  assertClearError(mixtape('compose', '--genre', 'celtic', '--bars', '65', '--out', out), /--bars/);
  assertClearError(mixtape('compose', '--genre', 'celtic', '--bars', 'x', '--out', out), /--bars/);
  assertClearError(mixtape('compose', '--genre', 'celtic', '--wat'), /Unknown option '--wat'/);
  assertClearError(mixtape('continue', '--input', file('notes.txt', 'these are not notes'), '--out', out), /not a MIDI file/);
  assertClearError(mixtape('continue', '--input', file('empty.mid', new Uint8Array(0)), '--out', out), /empty/i);
  const corrupt = writeMidi(score([{ pitch: 60, start: 0, duration: 1, velocity: 90 }])).slice(0, 30);
  assertClearError(mixtape('continue', '--input', file('corrupt.mid', corrupt), '--out', out), /MIDI/);
  assertClearError(mixtape('continue', '--input', file('silent.mid', writeMidi(score([]))), '--out', out), /no notes/);
  const huge = Array.from({ length: 25_000 }, (_, i) => ({ pitch: 40 + (i % 40), start: i / 8, duration: 0.1, velocity: 80 }));
  assertClearError(mixtape('continue', '--input', file('huge.mid', writeMidi(score(huge))), '--out', out), /8001\+ notes; the limit is 8000/);
  assertClearError(mixtape('continue', '--input', join(tmp, 'missing.mid'), '--out', out), /no file/);
  assert.throws(() => readdirSync(out), 'nothing was written for bad input');
});
