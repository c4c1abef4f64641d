import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';
import { closeRenderers, scoreToMidi } from '../../src/render/index.ts';
import { TEST_SOUNDFONT, scale } from './helpers.ts';

const dir = await mkdtemp(join(tmpdir(), 'mixtape-cli-render-'));
after(async () => { await closeRenderers(); await rm(dir, { recursive: true, force: true }); });

/** Runs the CLI in-process, capturing output. */
async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const [log, error] = [console.log, console.error];
  console.log = (m: string) => out.push(String(m));
  console.error = (m: string) => err.push(String(m));
  try {
    return { code: await main(args), out: out.join('\n'), err: err.join('\n') };
  } finally {
    console.log = log;
    console.error = error;
  }
}

const good = join(dir, 'tune.mid');
await writeFile(good, scoreToMidi(scale(8)));

async function expectFailure(name: string, args: string[], pattern: RegExp, env: Record<string, string> = {}) {
  const out = join(dir, `out-${name}`);
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    const r = await run(['render', ...args, '--out', out]);
    assert.equal(r.code, 2, r.err);
    assert.equal(r.err.split('\n').length, 1, 'one line');
    assert.match(r.err, pattern);
  } finally {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
  }
  const files = await readdir(out).catch(() => []);
  assert.deepEqual(files, [], 'no partial files');
}

test('bad input: one-line error, exit 2, no files', async () => {
  const notMidi = join(dir, 'notes.mid');
  await writeFile(notMidi, 'this is text');
  await expectFailure('text', [notMidi, '--format', 'wav'], /not a (valid )?MIDI file/);
  const corrupt = join(dir, 'corrupt.mid');
  const bytes = scoreToMidi(scale(8));
  await writeFile(corrupt, bytes.subarray(0, 30));
  await expectFailure('corrupt', [corrupt, '--format', 'wav'], /MIDI/);
  await expectFailure('nofile', [join(dir, 'nope.mid')], /no such file/);
  await expectFailure('font', [good, '--format', 'wav,png', '--soundfont', join(dir, 'missing.sf2')], /SoundFont not found/);
  await expectFailure('ffmpeg', [good, '--format', 'ogg,png'], /ffmpeg not found.*install/, { FFMPEG_PATH: join(dir, 'no-ffmpeg') });
  await expectFailure('format', [good, '--format', 'flac'], /unknown format/);
  await expectFailure('instrument', [good, '--format', 'wav', '--instrument', 'theremin'], /unknown instrument/);
});

test('100,000 notes is refused with the limit in the message', async () => {
  const big = scale(8);
  big.tracks[0].notes = Array.from({ length: 100_000 }, (_, i) => ({ pitch: 60 + (i % 12), start: i * 0.01, duration: 0.01, velocity: 80 }));
  big.lengthBeats = 1000;
  const path = join(dir, 'big.mid');
  await writeFile(path, scoreToMidi(big));
  await expectFailure('big', [path, '--format', 'wav'], /100000 notes; the limit is 20000/);
});

test('renders WAV and PNG beside each other and reports timings as JSON', async () => {
  const out = join(dir, 'out');
  const r = await run(['render', good, '--out', out, '--format', 'wav,png', '--soundfont', TEST_SOUNDFONT, '--genre', 'game', '--json']);
  assert.equal(r.code, 0, r.err);
  const report = JSON.parse(r.out);
  assert.deepEqual(report.files.map((f: { format: string }) => f.format), ['wav', 'png']);
  assert.deepEqual((await readdir(out)).sort(), ['tune.png', 'tune.wav']);
  assert.ok(report.timings.renderMs > 0 && report.timings.imageMs >= 0 && report.durationSeconds > 2);
  const wav = await readFile(join(out, 'tune.wav'));
  assert.equal(wav.toString('latin1', 0, 4), 'RIFF');
  assert.equal(wav.length, report.files[0].bytes);
});
