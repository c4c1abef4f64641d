import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Renderer } from '../../src/render/renderer.ts';
import { scoreToMidi } from '../../src/render/midi.ts';
import { integratedLoudness, TARGET_LUFS, truePeak } from '../../src/render/loudness.ts';
import { scale, TEST_SOUNDFONT } from './helpers.ts';

test('a streamed render comes in chunks that add up to the whole render, near the loudness target', async () => {
  const r = new Renderer({ soundfont: TEST_SOUNDFONT });
  try {
    const midi = scoreToMidi(scale(64, 160)); // 12 s of music
    const whole = await r.render(midi);
    const chunks: { left: Float32Array; right: Float32Array }[] = [];
    for await (const c of r.renderStream(midi, { firstSeconds: 2, chunkSeconds: 3 })) chunks.push(c);
    assert.ok(chunks.length >= 4, `${chunks.length} chunks`);
    assert.ok(Math.abs(chunks[0].left.length - 2 * 48000) < 48000 / 10, 'the first chunk is the first 2 s');
    const n = chunks.reduce((k, c) => k + c.left.length, 0);
    assert.equal(n, whole.left.length);
    const left = new Float32Array(n);
    const right = new Float32Array(n);
    let at = 0;
    for (const c of chunks) { left.set(c.left, at); right.set(c.right, at); at += c.left.length; }
    // The same music: the streamed gain is a prediction, so compare shapes, not levels.
    let xy = 0, xx = 0, yy = 0;
    for (let i = 0; i < n; i++) { xy += left[i] * whole.left[i]; xx += left[i] ** 2; yy += whole.left[i] ** 2; }
    assert.ok(xy / Math.sqrt(xx * yy) > 0.99, `correlation ${xy / Math.sqrt(xx * yy)}`);
    const lufs = integratedLoudness([left, right], 48000);
    assert.ok(Math.abs(lufs - TARGET_LUFS) <= 2, `streamed loudness ${lufs.toFixed(2)} LUFS`);
    assert.ok(truePeak([left, right]) <= -0.99);
    // The renderer still answers plain renders after a stream.
    assert.equal((await r.render(midi)).left.length, whole.left.length);
  } finally {
    await r.close();
  }
});
