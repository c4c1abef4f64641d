import { test } from 'node:test';
import assert from 'node:assert/strict';
import { composeTrack, listGenres } from '../../src/studio/index.ts';
import { closeRenderers, integratedLoudness, TARGET_LUFS, truePeak } from '../../src/render/index.ts';

test('every genre renders within 2 LU of the loudness target and under -1 dBTP', async () => {
  try {
    for (const genre of listGenres()) {
      for (const seed of [1, 2]) {
        const r = await composeTrack({ genre, bars: 8, seed, formats: [] }, undefined, { picture: false });
        assert.ok(r.pcm && r.pcm.length > 48000, `${genre}: audio`);
        const lufs = integratedLoudness(r.pcm!, 48000);
        assert.ok(Math.abs(lufs - TARGET_LUFS) <= 2, `${genre} seed ${seed}: ${lufs.toFixed(2)} LUFS, target ${TARGET_LUFS}`);
        // s16 rounding can add a hair to the peak
        assert.ok(truePeak(r.pcm!) <= -0.95, `${genre} seed ${seed}: true peak ${truePeak(r.pcm!).toFixed(2)} dBTP`);
      }
    }
  } finally {
    await closeRenderers();
  }
});
