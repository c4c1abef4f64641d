import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { applySpectral, pitchShift, timeStretch, type SpectralEffect } from '../../src/render/spectral.ts';

const RATE = 48000;

/** A harmonic tone (fundamental plus three overtones), stereo s16. */
function tone(hz: number, seconds: number): Int16Array {
  const n = Math.round(RATE * seconds);
  const pcm = new Int16Array(n * 2);
  for (let i = 0; i < n; i++) {
    const t = i / RATE;
    let v = 0;
    for (let h = 1; h <= 4; h++) v += Math.sin(2 * Math.PI * hz * h * t) / h;
    pcm[2 * i] = pcm[2 * i + 1] = Math.round(v * 9000);
  }
  return pcm;
}

const left = (pcm: Int16Array) => Float32Array.from({ length: pcm.length / 2 }, (_, i) => pcm[2 * i] / 32768);

/** The fundamental in Hz: the lowest spectral peak at least a fifth of the highest (DFT around it, parabolic fit). */
function fundamental(x: Float32Array): number {
  const n = 1 << 16;
  const from = Math.floor((x.length - n) / 2);
  const seg = Float64Array.from({ length: n }, (_, i) => x[from + i] * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n)));
  // A coarse magnitude scan from 50 to 2000 Hz, then a fine look around the first strong peak.
  // Goertzel: the DFT magnitude at any frequency, one multiply-add a sample.
  const mag = (hz: number) => {
    const c = 2 * Math.cos((2 * Math.PI * hz) / RATE);
    let s1 = 0, s2 = 0;
    for (let i = 0; i < n; i++) { const s0 = seg[i] + c * s1 - s2; s2 = s1; s1 = s0; }
    return Math.sqrt(Math.max(0, s1 * s1 + s2 * s2 - c * s1 * s2));
  };
  const bins: { hz: number; m: number }[] = [];
  for (let hz = 50; hz <= 1200; hz += 4) bins.push({ hz, m: mag(hz) });
  const top = Math.max(...bins.map((b) => b.m));
  const peak = bins.find((b, k) => b.m > top / 5 && b.m >= (bins[k - 1]?.m ?? 0) && b.m >= (bins[k + 1]?.m ?? 0))!;
  let best = peak.hz;
  let bestM = 0;
  for (let hz = peak.hz - 4; hz <= peak.hz + 4; hz += 0.05) { const m = mag(hz); if (m > bestM) { bestM = m; best = hz; } }
  return best;
}

const cents = (a: number, b: number) => 1200 * Math.log2(a / b);
const hash = (pcm: Int16Array) => createHash('sha256').update(Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength)).digest('hex');

test('pitch shift moves the fundamental by the interval (within 20 cents) and keeps the duration (within 1 %)', () => {
  const input = tone(220, 3);
  const f0 = fundamental(left(input));
  assert.ok(Math.abs(cents(f0, 220)) < 5, `measured the input at ${f0.toFixed(2)} Hz`);
  for (const semitones of [3, -5, 7, 12]) {
    const out = applySpectral(input, 'pitch-shift', { semitones });
    assert.ok(Math.abs(out.length / input.length - 1) < 0.01, `duration ${out.length / input.length}`);
    const f = fundamental(left(out));
    const error = cents(f, 220) - semitones * 100;
    assert.ok(Math.abs(error) < 20, `${semitones} semitones: ${f.toFixed(2)} Hz, ${error.toFixed(1)} cents off`);
  }
});

test('time stretch changes the duration by the factor and keeps the pitch within 20 cents', () => {
  const x = left(tone(330, 2));
  for (const factor of [0.75, 1.5]) {
    const y = timeStretch(x, factor);
    assert.ok(Math.abs(y.length / (x.length * factor) - 1) < 0.01);
    const error = cents(fundamental(y), 330);
    assert.ok(Math.abs(error) < 20, `factor ${factor}: ${error.toFixed(1)} cents off`);
  }
});

test('every spectral effect gives the same samples twice for the same seed; freeze depends on the seed', () => {
  const input = tone(262, 4);
  for (const effect of ['pitch-shift', 'time-stretch', 'freeze', 'blur', 'shimmer'] as SpectralEffect[]) {
    const a = applySpectral(input, effect, { seed: 11, semitones: 4, factor: 1.2 });
    const b = applySpectral(input, effect, { seed: 11, semitones: 4, factor: 1.2 });
    assert.equal(hash(a), hash(b), effect);
    assert.notEqual(hash(a), hash(input), `${effect} changes the sound`);
  }
  assert.notEqual(hash(applySpectral(input, 'freeze', { seed: 11 })), hash(applySpectral(input, 'freeze', { seed: 12 })));
});

test('bad spectral settings get a clear error', () => {
  assert.throws(() => pitchShift(new Float32Array(100), 13), /from -12 to 12/);
  assert.throws(() => timeStretch(new Float32Array(100), 9), /from 0.25 to 4/);
});
