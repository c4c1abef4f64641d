import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chooseBitrate, encode, findFfmpeg, keepEncodersWarm, stopIdleEncoders } from '../../src/render/ffmpeg.ts';
import { encodeWavWithin, wavBytes } from '../../src/render/wav.ts';
import { toS16Interleaved, downsample } from '../../src/render/pcm.ts';
import { writeAllOrNothing, writeFileAtomic } from '../../src/render/files.ts';
import { MixtapeError } from '../../src/engine/errors.ts';
import { decodeWithFfmpeg, rms } from './helpers.ts';

/** `seconds` of a 440 Hz sine at 48 kHz stereo s16. */
function sine(seconds: number, freq = 440) {
  const n = Math.round(seconds * 48000);
  const l = new Float32Array(n);
  for (let i = 0; i < n; i++) l[i] = 0.5 * Math.sin((2 * Math.PI * freq * i) / 48000);
  return { samples: toS16Interleaved(l, l), sampleRate: 48000, channels: 2 as const };
}

test('toS16Interleaved interleaves and clips', () => {
  const s = toS16Interleaved(new Float32Array([0, 1, -2]), new Float32Array([0.5, -1, 2]));
  assert.deepEqual([...s], [0, 16383, 32767, -32767, -32768, 32767]);
});

test('ogg and mp3 of a 3 s sine decode back to ~3 s of sound', async () => {
  const pcm = sine(3);
  const [ogg, mp3] = await Promise.all([encode(pcm, 'ogg'), encode(pcm, 'mp3')]);
  assert.equal(String.fromCharCode(...ogg.subarray(0, 4)), 'OggS');
  for (const bytes of [ogg, mp3]) {
    const pcmOut = decodeWithFfmpeg(bytes);
    assert.ok(Math.abs(pcmOut.length / 48000 - 3) < 0.08, `duration ${pcmOut.length / 48000}`);
    // ffmpeg's stereo->mono downmix is (L+R)/sqrt(2): identical 0.5-amplitude channels give rms 0.5.
    assert.ok(Math.abs(rms(pcmOut, 4800, 96000) - 0.5) < 0.05, 'energy preserved');
  }
});

test('bitrate is lowered to fit the byte budget; impossible budgets are LIMIT errors', async () => {
  assert.equal(chooseBitrate('mp3', 60, 10 * 1048576, 160), 160);
  assert.equal(chooseBitrate('mp3', 600, 10 * 1048576, 160), 128);
  assert.ok(chooseBitrate('ogg', 900, 10 * 1048576, 128) < 128);
  assert.throws(() => chooseBitrate('mp3', 600, 100_000, 160), (e: MixtapeError) => e.code === 'LIMIT');
  const small = await encode(sine(4), 'mp3', { maxBytes: 30_000 });
  assert.ok(small.length <= 30_000, `${small.length}`);
});

test('WAV: valid header, and downsampled to fit the budget', () => {
  const pcm = sine(1);
  const wav = wavBytes(pcm);
  const v = new DataView(wav.buffer);
  assert.equal(String.fromCharCode(...wav.subarray(0, 4)), 'RIFF');
  assert.equal(v.getUint32(24, true), 48000);
  assert.equal(wav.length, 44 + 48000 * 4);
  const fitted = encodeWavWithin(pcm, 60_000);
  assert.ok(fitted.length <= 60_000);
  assert.ok(new DataView(fitted.buffer).getUint32(24, true) < 48000);
  const decoded = decodeWithFfmpeg(fitted);
  assert.ok(rms(decoded) > 0.2, 'still the sine after downsampling');
  assert.equal(downsample(pcm, 2, 1).samples.length, 24000);
  assert.throws(() => encodeWavWithin(pcm, 1000), (e: MixtapeError) => e.code === 'LIMIT');
});

test('a bogus FFMPEG_PATH is FFMPEG_MISSING, with what to install', async () => {
  const saved = process.env.FFMPEG_PATH;
  process.env.FFMPEG_PATH = '/nonexistent/ffmpeg';
  try {
    assert.throws(() => findFfmpeg(), (e: MixtapeError) => e.code === 'FFMPEG_MISSING' && /apt install ffmpeg/.test(e.message));
    await assert.rejects(encode(sine(0.1), 'ogg'), (e: MixtapeError) => e.code === 'FFMPEG_MISSING');
    assert.ok((await encode(sine(0.1), 'wav')).length > 44, 'WAV needs no ffmpeg');
  } finally {
    if (saved === undefined) delete process.env.FFMPEG_PATH;
    else process.env.FFMPEG_PATH = saved;
  }
  assert.match(findFfmpeg(), /ffmpeg/);
});

test('writes are atomic: a failed batch leaves no files and no temp files', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mixtape-files-'));
  try {
    await writeFileAtomic(join(dir, 'a.bin'), new Uint8Array([1, 2]));
    assert.deepEqual(await readdir(dir), ['a.bin']);
    await assert.rejects(writeAllOrNothing([
      { path: join(dir, 'b.bin'), bytes: new Uint8Array([1]) },
      { path: join(dir, 'missing-folder', 'c.bin'), bytes: new Uint8Array([1]) },
    ]));
    assert.deepEqual(await readdir(dir), ['a.bin']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('kept warm, each format has one idle ffmpeg after an encode; encodes after those were stopped, and after idle ones were used, come back whole', async () => {
  keepEncodersWarm();
  try {
    const first = sine(2);
    await Promise.all([encode(first, 'ogg'), encode(first, 'mp3')]);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(stopIdleEncoders(), 2, 'one idle encoder per format'); // and they were killed: the next must start its own
    for (const seconds of [1, 3]) {
      const pcm = sine(seconds, 330);
      const [ogg, mp3] = await Promise.all([encode(pcm, 'ogg'), encode(pcm, 'mp3')]);
      for (const bytes of [ogg, mp3]) {
        const back = decodeWithFfmpeg(bytes);
        assert.ok(Math.abs(back.length / 48000 - seconds) < 0.1, `${seconds} s came back as ${back.length / 48000} s`);
      }
    }
  } finally {
    keepEncodersWarm(false);
  }
  assert.equal(stopIdleEncoders(), 0, 'turned off: nothing left idle');
});
