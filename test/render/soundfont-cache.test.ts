import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Renderer } from '../../src/render/renderer.ts';
import { scoreToMidi } from '../../src/render/midi.ts';
import { cachePathFor, soundfontBytes } from '../../src/render/soundfont-cache.ts';
import { soundfontVersion } from '../../src/render/sf3.ts';
import { scale, TEST_SOUNDFONT } from './helpers.ts';

/** Renders the test scale with a fresh renderer and returns its left channel and font source. */
async function renderWith(cacheDir: string | null) {
  const r = new Renderer({ soundfont: TEST_SOUNDFONT, cacheDir });
  try {
    await r.ready();
    const audio = await r.render(scoreToMidi(scale(12)), { normalize: false });
    return { left: audio.left, source: r.fontSource };
  } finally {
    await r.close();
  }
}

test('an SF3 font decoded into the cache renders like FluidSynth decoding it itself, and is reused', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mixtape-sfcache-'));
  try {
    const direct = await renderWith(null);
    const made = await renderWith(dir);
    assert.equal(direct.source, 'direct');
    assert.equal(made.source, 'converted');
    assert.equal(made.left.length, direct.left.length);
    let signal = 0;
    let noise = 0;
    for (let i = 0; i < direct.left.length; i++) {
      signal += direct.left[i] ** 2;
      noise += (direct.left[i] - made.left[i]) ** 2;
    }
    assert.ok(signal > 1, 'the scale is audible');
    const snrDb = 10 * Math.log10(signal / Math.max(noise, 1e-20));
    assert.ok(snrDb > 60, `cached font renders within 60 dB of the original (SNR ${snrDb.toFixed(1)} dB)`);

    const again = await renderWith(dir);
    assert.equal(again.source, 'cache');
    assert.deepEqual(again.left, made.left);

    // The cache file is a plain SF2, named after the original's hash.
    const original = new Uint8Array(await readFile(TEST_SOUNDFONT));
    const path = cachePathFor(TEST_SOUNDFONT, original, dir);
    const sf2 = new Uint8Array(await readFile(path));
    assert.equal(soundfontVersion(original), 3);
    assert.equal(soundfontVersion(sf2), 2);
    assert.equal((await soundfontBytes(path, { cacheDir: dir })).source, 'direct', 'an SF2 is used as it is');

    // A damaged (cut) cache file is not used: the font is converted again.
    await truncate(path, 1000);
    assert.equal((await soundfontBytes(TEST_SOUNDFONT, { cacheDir: dir })).source, 'converted');
    assert.equal((await soundfontBytes(TEST_SOUNDFONT, { cacheDir: dir })).source, 'cache');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the cache file name follows the font content, so an edited font is converted again', () => {
  const a = cachePathFor('/fonts/My Font.sf3', new Uint8Array([1, 2, 3]), '/c');
  const b = cachePathFor('/fonts/My Font.sf3', new Uint8Array([1, 2, 4]), '/c');
  assert.notEqual(a, b);
  assert.match(a, /^\/c\/My_Font-[0-9a-f]{24}-v\d+\.sf2$/);
});
