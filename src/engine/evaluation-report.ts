/**
 * `mixtape evaluate`: a model and its Markov baseline on the same held-out pieces (pieces
 * the model was trained on are left out by content hash), note-level accuracies, and music
 * statistics of generated pieces beside those of the data.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compose } from './compose.ts';
import { MixtapeError } from './errors.ts';
import { evaluateMarkov, evaluateNetwork } from './evaluate.ts';
import type { EventMetrics, NoteMetrics } from './evaluate.ts';
import { genres } from './genres/index.ts';
import type { Model } from './models/model.ts';
import { stepModelOf } from './models/model.ts';
import { sequenceToScore } from './models/sequences.ts';
import type { LoadedPiece } from './pieces.ts';
import type { ScoreStats } from './stats.ts';
import { aggregateStats, scoreStats } from './stats.ts';
import { encodePieces } from './train.ts';

export interface EvaluationReport {
  model: string;
  kind: string;
  pieces: { given: number; used: number; seenInTraining: number; unusable: number };
  events: { model?: EventMetrics; markov: EventMetrics & { order: number }; nllImprovement?: number };
  notes?: NoteMetrics;
  music?: { generatedPieces: number; bars: number; generated: ScoreStats; data: ScoreStats; scaleConsistencyGap: number; pitchClassEntropyRelativeGap: number };
}

/** Pieces generated for the music statistics: with 20, pop's scale-consistency gap swung 0.013-0.048 between seed sets. */
export const DEFAULT_GENERATED_PIECES = 50;

/** Hashes of the pieces a model folder was trained on. */
export function trainingHashes(model: Model): Set<string> {
  const file = model.dir ? join(model.dir, 'training-pieces.txt') : '';
  return new Set(file && existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);
}

/**
 * Evaluates a model on pieces. `generate` pieces of `bars` bars are composed for the statistics.
 * @example evaluateModel(model, pieces, { generate: 20, bars: 16 }).events.nllImprovement
 */
export function evaluateModel(model: Model, pieces: LoadedPiece[], opts: { generate?: number; bars?: number } = {}): EvaluationReport {
  if (!model.markov) throw new MixtapeError('NOT_FOUND', `model "${model.meta.name}" has no Markov baseline beside it (markov.json.gz); retrain it with mixtape train`);
  const seen = trainingHashes(model);
  const unseen = pieces.filter((p) => !seen.has(p.hash));
  const seqs = encodePieces(model.kind, unseen);
  if (seqs.length === 0) throw new MixtapeError('NO_NOTES', `none of the ${pieces.length} pieces is usable for evaluation (${pieces.length - unseen.length} were in the training data)`);
  const report: EvaluationReport = {
    model: model.meta.name,
    kind: model.kind.name,
    pieces: { given: pieces.length, used: seqs.length, seenInTraining: pieces.length - unseen.length, unusable: unseen.length - seqs.length },
    events: { markov: { ...evaluateMarkov(model.markov, seqs), order: model.markov.order } },
  };
  if (model.spec) {
    const measured = evaluateNetwork(stepModelOf(model), model.codec, seqs);
    report.events.model = measured.events;
    report.events.nllImprovement = 1 - measured.events.nll / report.events.markov.nll;
    report.notes = measured.notes;
  }
  const count = opts.generate ?? DEFAULT_GENERATED_PIECES;
  if (count > 0) {
    const bars = opts.bars ?? 16;
    const genre = genres[model.meta.genre ?? ''] ?? genres.celtic;
    const generated = Array.from({ length: count }, (_, i) => scoreStats(compose({ model, genre, bars, seed: i + 1, accompany: false }).score));
    // The data as the model sees it: the same encoding decoded back, so both sides lose the same detail.
    const data = seqs.map((s) => scoreStats(sequenceToScore(model.codec, s, Math.max(1, Math.ceil(model.codec.barsElapsed(s))), { bpm: 120, title: '' })));
    const g = aggregateStats(generated);
    const d = aggregateStats(data);
    report.music = {
      generatedPieces: count,
      bars,
      generated: g,
      data: d,
      scaleConsistencyGap: Math.abs(g.scaleConsistency - d.scaleConsistency),
      pitchClassEntropyRelativeGap: Math.abs(g.pitchClassEntropy - d.pitchClassEntropy) / d.pitchClassEntropy,
    };
  }
  return report;
}
