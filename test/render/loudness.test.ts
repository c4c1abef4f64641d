import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { applyGain, gainFor, integratedLoudness, LoudnessMeter, normalizeLoudness, truePeak } from '../../src/render/loudness.ts';
import { toS16Interleaved } from '../../src/render/pcm.ts';

const RATE = 48000;

/** ffmpeg's own EBU R128 meter on interleaved stereo s16: integrated LUFS and true peak dBTP. */
function ffmpegEbur128(pcm: Int16Array): { integrated: number; truePeak: number } {
  const r = spawnSync('ffmpeg', ['-hide_banner', '-nostats', '-f', 's16le', '-ar', String(RATE), '-ac', '2', '-i', 'pipe:0', '-af', 'ebur128=peak=true', '-f', 'null', '-'], {
    input: Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength), maxBuffer: 64 * 1024 * 1024,
  });
  const text = r.stderr.toString();
  const summary = text.slice(text.lastIndexOf('Summary:'));
  const integrated = Number(/I:\s+(-?[\d.]+) LUFS/.exec(summary)?.[1]);
  const peak = Number(/Peak:\s+(-?[\d.]+) dBFS/.exec(summary)?.[1]);
  assert.ok(Number.isFinite(integrated), `ffmpeg printed no integrated loudness: ${text.slice(-400)}`);
  return { integrated, truePeak: peak };
}

/** A seeded test signal: notes of decaying harmonics with quiet passages and a loud hit. */
function music(seconds: number, seed: number, level: number) {
  let s = seed >>> 0;
  const rand = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 4294967296);
  const n = seconds * RATE;
  const left = new Float32Array(n);
  const right = new Float32Array(n);
  for (let start = 0; start < n; start += Math.floor(RATE * (0.15 + rand() * 0.5))) {
    const f = 110 * 2 ** (Math.floor(rand() * 36) / 12);
    const amp = level * (start > n / 2 && start < (3 * n) / 4 ? 0.05 : 0.3 + rand() * 0.7); // a quiet third quarter
    const pan = rand();
    for (let i = 0; i < RATE && start + i < n; i++) {
      const t = i / RATE;
      const v = amp * Math.exp(-3 * t) * (Math.sin(2 * Math.PI * f * t) + 0.5 * Math.sin(4 * Math.PI * f * t) + 0.25 * Math.sin(6 * Math.PI * f * t));
      left[start + i] += v * (1 - pan);
      right[start + i] += v * pan;
    }
  }
  return { left, right };
}

test('integrated loudness and true peak agree with ffmpeg ebur128 (within 0.2 LU / 0.3 dB)', () => {
  for (const [seed, level] of [[1, 0.05], [2, 0.3], [3, 0.01]] as const) {
    const { left, right } = music(12, seed, level);
    const pcm = toS16Interleaved(left, right);
    const ref = ffmpegEbur128(pcm);
    const ours = integratedLoudness(pcm, RATE);
    assert.ok(Math.abs(ours - ref.integrated) <= 0.2, `seed ${seed}: ours ${ours.toFixed(2)} LUFS, ffmpeg ${ref.integrated} LUFS`);
    const tp = truePeak(pcm);
    assert.ok(Math.abs(tp - ref.truePeak) <= 0.3, `seed ${seed}: true peak ours ${tp.toFixed(2)}, ffmpeg ${ref.truePeak} dBTP`);
  }
});

test('a full-scale 1 kHz sine in both channels reads 0 LUFS (BS.1770 calibration)', () => {
  const n = 5 * RATE;
  const x = Float32Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * 1000 * i) / RATE));
  assert.ok(Math.abs(integratedLoudness([x, x], RATE) - 0) < 0.05);
  assert.ok(Math.abs(integratedLoudness([x, new Float32Array(n)], RATE) + 3.01) < 0.05, 'one channel: -3 LUFS');
  assert.equal(integratedLoudness([new Float32Array(n), new Float32Array(n)], RATE), -Infinity);
});

test('normalizeLoudness lands quiet and loud pieces on -16 LUFS without passing -1 dBTP', () => {
  for (const level of [0.03, 0.1, 0.9]) {
    const { left, right } = music(10, 7, level);
    const r = normalizeLoudness(left, right, RATE);
    const pcm = toS16Interleaved(left, right);
    const ref = ffmpegEbur128(pcm);
    assert.ok(Math.abs(ref.integrated + 16) <= 0.5, `level ${level}: ffmpeg reads ${ref.integrated} LUFS (ours ${r.after.toFixed(2)})`);
    assert.ok(ref.truePeak <= -0.9, `level ${level}: true peak ${ref.truePeak} dBTP`);
    assert.ok(r.truePeak <= -1 + 1e-9);
  }
  const silent = { left: new Float32Array(RATE), right: new Float32Array(RATE) };
  assert.equal(normalizeLoudness(silent.left, silent.right, RATE).gainDb, 0, 'silence is left alone');
});

test('the meter fed in uneven pieces reads exactly what the whole-signal meters read', () => {
  for (const [seed, level] of [[4, 0.05], [5, 0.6], [6, 0.002]] as const) {
    const { left, right } = music(9, seed, level);
    const meter = new LoudnessMeter(left, right, RATE);
    let s = seed;
    for (let upTo = 0; upTo < left.length; ) {
      upTo = Math.min(left.length, upTo + 1 + ((s = (s * 48271) % 2147483647) % 30000)); // pieces of 1 to 30,000 frames
      meter.add(upTo);
    }
    const m = meter.result();
    assert.equal(m.loudness, integratedLoudness([left, right], RATE), `seed ${seed} loudness`);
    assert.equal(m.truePeak, truePeak([left, right]), `seed ${seed} true peak`);
  }
});

test('gainFor + applyGain give what normalizeLoudness gives when no limiting is needed, and ask for the limiter otherwise', () => {
  const quiet = music(6, 7, 0.02);
  const meter = new LoudnessMeter(quiet.left, quiet.right, RATE);
  meter.add(quiet.left.length);
  const plan = gainFor(meter.result());
  assert.equal(plan.limit, false);
  const a = { left: quiet.left.slice(), right: quiet.right.slice() };
  applyGain(a.left, a.right, plan.gainDb);
  const b = { left: quiet.left.slice(), right: quiet.right.slice() };
  const r = normalizeLoudness(b.left, b.right, RATE);
  assert.equal(r.limited, false);
  assert.deepEqual(a.left, b.left);
  assert.ok(Math.abs(integratedLoudness([a.left, a.right], RATE) - -16) < 0.01);
  const spiky = music(6, 8, 0.02);
  spiky.left[RATE] = 0.5; // one hit far above the music: lifted to -16 LUFS it would pass the ceiling
  const m2 = new LoudnessMeter(spiky.left, spiky.right, RATE);
  m2.add(spiky.left.length);
  assert.equal(gainFor(m2.result()).limit, true, 'peaks over the ceiling need the limiter');
});
