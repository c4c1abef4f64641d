import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '../../src/engine/nn/backend.ts';
import { trainModel } from '../../src/engine/train.ts';
import { writeModelFolder } from '../../src/engine/models/folder.ts';
import { loadModelDir, stepModelOf } from '../../src/engine/models/model.ts';
import { compose } from '../../src/engine/compose.ts';
import { genres } from '../../src/engine/genres/index.ts';
import { readMidi, writeMidi } from '../../src/engine/midi.ts';
import { evaluateModel } from '../../src/engine/evaluation-report.ts';
import { generate } from '../../src/engine/generate.ts';
import { pieces, tune } from './fixtures.ts';

await initBackend();
const dir = mkdtempSync(join(tmpdir(), 'mixtape-models-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

const data = pieces(24);
const trained = await trainModel({ name: 'tiny', kind: 'pitchdur', genre: 'celtic', pieces: data, epochs: 6, hidden: [32], batchSize: 16, learningRate: 0.01, patience: 6 });
await writeModelFolder(join(dir, 'tiny'), trained, ['synthetic']);
const model = await loadModelDir(join(dir, 'tiny'));

test('a tiny pitch+duration model really trains: validation loss falls and it beats chance', () => {
  const epochs = trained.card.training!.epochs;
  assert.ok(epochs.length >= 2);
  assert.ok(epochs.at(-1)!.validationLoss < epochs[0].validationLoss, `loss ${epochs.map((e) => e.validationLoss.toFixed(3)).join(' -> ')}`);
  assert.ok(trained.card.metrics.model!.nll < Math.log(129 * 8), 'better than a uniform guess');
  assert.equal(trained.card.data.trainPieces + trained.card.data.validPieces, 24);
});

test('the model folder round-trips: card, Markov baseline and the training-piece list', () => {
  for (const f of ['model.json', 'weights.bin', 'markov.json.gz', 'MODEL_CARD.md', 'card.json', 'training-pieces.txt']) assert.ok(existsSync(join(dir, 'tiny', f)), f);
  assert.equal(model.meta.kind, 'pitchdur');
  assert.ok(model.markov && model.markov.order >= 1);
});

test('compose writes exactly the requested bars and is deterministic for a seed', () => {
  for (const bars of [1, 4, 16]) {
    const piece = compose({ model, genre: genres.celtic, bars, seed: 7 });
    const back = readMidi(writeMidi(piece.score));
    const barBeats = 4 * (back.timeSignatures[0].numerator / back.timeSignatures[0].denominator);
    assert.equal(piece.totalBars, bars);
    const end = Math.max(...back.tracks.flatMap((t) => t.notes.map((n) => n.start + n.duration)));
    assert.ok(end <= bars * barBeats + 1e-6, `notes end at ${end}, after bar ${bars}`);
    assert.ok(end > (bars - 1) * barBeats, 'the last bar has music');
  }
  const a = compose({ model, genre: genres.celtic, bars: 8, seed: 11 });
  const b = compose({ model, genre: genres.celtic, bars: 8, seed: 11 });
  const c = compose({ model, genre: genres.celtic, bars: 8, seed: 12 });
  assert.deepEqual(a.score.tracks, b.score.tracks);
  assert.notDeepEqual(a.score.tracks, c.score.tracks);
});

test("a genre's sampling is the default, and a request's own temperature and top-p win", () => {
  const warm = { ...genres.celtic, sampling: { temperature: 1.3, topP: 0.99 } };
  const byGenre = compose({ model, genre: warm, bars: 4, seed: 21 });
  assert.deepEqual([byGenre.temperature, byGenre.topP], [1.3, 0.99]);
  assert.deepEqual(byGenre.score.tracks, compose({ model, genre: genres.celtic, bars: 4, seed: 21, temperature: 1.3, topP: 0.99 }).score.tracks);
  const asked = compose({ model, genre: warm, bars: 4, seed: 21, temperature: 0.5 });
  assert.deepEqual([asked.temperature, asked.topP], [0.5, 0.99]);
  const plain = compose({ model, genre: genres.celtic, bars: 4, seed: 21 });
  assert.deepEqual([plain.temperature, plain.topP], [0.9, 0.95]);
});

test('continue keeps the primer unchanged and adds the new bars after it', () => {
  const primer = tune(99);
  const piece = compose({ model, genre: genres.celtic, bars: 4, seed: 3, primer });
  assert.deepEqual(piece.score.tracks[0].notes, primer.tracks[0].notes);
  const added = piece.score.tracks[1].notes;
  assert.ok(added.length > 0);
  assert.ok(added.every((n) => n.start >= piece.primerEndBeat! - 1e-9));
  assert.equal(piece.totalBars, 8 + 4);
});

test('beam search and batched takes work on the same model', () => {
  const takes = generate({ model: stepModelOf(model), codec: model.codec, bars: 4, stepsPerBar: 16, seed: 5, takes: 3, firstEvents: model.meta.firstEvents });
  assert.equal(takes.length, 3);
  for (const t of takes) assert.ok(model.codec.barsElapsed(t.sequence) >= 4);
  const beam = compose({ model, genre: genres.celtic, bars: 4, seed: 5, beam: { size: 4, branchFactor: 2, stepsPerIteration: 4 } });
  assert.equal(beam.totalBars, 4);
});

test('evaluation compares the model with its Markov baseline and leaves out training pieces', () => {
  const report = evaluateModel(model, data, { generate: 2, bars: 4 });
  assert.equal(report.pieces.seenInTraining, trained.card.data.trainPieces);
  assert.ok(report.events.model!.events > 0);
  assert.equal(report.events.model!.events, report.events.markov.events);
  assert.ok(report.notes!.durationAccuracy >= 0 && report.notes!.durationAccuracy <= 1);
  assert.ok(Number.isFinite(report.music!.generated.scaleConsistency));
});

test('every model kind builds, trains a step and generates whole bars', async () => {
  for (const kind of ['basic', 'lookback', 'attention', 'bidirectional', 'polyphonic', 'performance', 'drums', 'markov']) {
    const small = kind === 'drums' ? pieces(6, true) : pieces(6);
    const t = await trainModel({ name: kind, kind, pieces: small, epochs: 1, hidden: [16], batchSize: 8, maxWindowsPerEpoch: 8 });
    const piece = compose({ model: t.model, genre: kind === 'drums' ? genres.dance : genres.pop, bars: 2, seed: 1, accompany: false });
    assert.equal(piece.totalBars, 2, kind);
    assert.ok(piece.score.tracks.every((tr) => tr.notes.every((n) => n.start + n.duration <= piece.score.lengthBeats + 1e-6)), kind);
  }
});
