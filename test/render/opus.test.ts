import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeOpusPackets, encodeOpusPackets, opusStream, FRAME_SAMPLES } from '../../src/render/opus.ts';
import { toS16Interleaved } from '../../src/render/pcm.ts';

const RATE = 48000;

function sineS16(seconds: number, freq: number): Int16Array {
  const n = Math.round(seconds * RATE);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = 0.4 * Math.sin((2 * Math.PI * freq * i) / RATE);
  return toS16Interleaved(x, x);
}

/** Goertzel power of one frequency in mono samples. */
function power(x: Float64Array, freq: number): number {
  const w = (2 * Math.PI * freq) / RATE;
  const k = 2 * Math.cos(w);
  let s1 = 0, s2 = 0;
  for (const v of x) { const s = v + k * s1 - s2; s2 = s1; s1 = s; }
  return (s1 * s1 + s2 * s2 - k * s1 * s2) / x.length;
}

test('a 1 s sine becomes 50 Opus packets of 20 ms that decode back to the same tone', () => {
  const pcm = sineS16(1, 440);
  const packets = encodeOpusPackets(pcm);
  assert.equal(packets.length, RATE / FRAME_SAMPLES);
  assert.ok(packets.every((p) => p.length > 0 && p.length < 1500));
  const decoded = decodeOpusPackets(packets);
  assert.equal(decoded.length, pcm.length);
  // Compare the middle half (skip codec warm-up), left channel.
  const mono = new Float64Array(RATE / 2);
  for (let i = 0; i < mono.length; i++) mono[i] = decoded[2 * (i + RATE / 4)] / 32768;
  const rms = Math.sqrt(mono.reduce((s, v) => s + v * v, 0) / mono.length);
  assert.ok(Math.abs(rms - 0.4 / Math.SQRT2) < 0.05, `rms ${rms}`);
  assert.ok(power(mono, 440) > 100 * power(mono, 1000), 'energy stays at 440 Hz');
});

test('the last partial frame is padded, and the object stream yields the same packets', async () => {
  const pcm = sineS16(0.05, 300); // 2.5 frames
  const packets = encodeOpusPackets(pcm);
  assert.equal(packets.length, 3);
  const streamed: Buffer[] = [];
  for await (const p of opusStream(pcm)) streamed.push(p as Buffer);
  assert.equal(streamed.length, 3);
  assert.ok(streamed.every((p) => Buffer.isBuffer(p)));
});
