/** The shipped models: one per genre, of the genre's kind, composing, and with a card that shows the bar they cleared. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { genres } from '../../src/engine/genres/index.ts';
import { MODELS_DIR, resolveModel } from '../../src/engine/models/model.ts';
import { compose } from '../../src/engine/compose.ts';

for (const genre of Object.values(genres)) {
  test(`${genre.key}: the shipped model is a ${genre.kind} model that composes whole bars and beats its Markov baseline by 15 %`, async () => {
    const model = await resolveModel(genre.key);
    assert.equal(model.kind.name, genre.kind);
    assert.ok(model.markov, 'the Markov baseline ships beside the network');
    const card = JSON.parse(readFileSync(join(MODELS_DIR, genre.key, 'card.json'), 'utf8'));
    assert.ok(card.metrics.improvement >= 0.15, `validation NLL only ${(100 * card.metrics.improvement).toFixed(1)} % below the Markov baseline`);
    const piece = compose({ model, genre, bars: 4, seed: 3, accompany: false });
    assert.equal(piece.totalBars, 4);
    assert.ok(piece.score.tracks.some((t) => t.notes.length > 0), 'a piece with notes');
  });
}
