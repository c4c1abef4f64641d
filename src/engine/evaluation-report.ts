/**
 * `mixtape evaluate`: a model and its Markov baseline on the same held-out pieces (pieces
 * the model was trained on are left out by content hash), note-level accuracies, and music
 * statistics and musical form of generated pieces beside those of the data.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compose } from './compose.ts';
import type { CompositionRequest } from './compose.ts';
import { MixtapeError } from './errors.ts';
import { evaluateMarkov, evaluateNetwork } from './evaluate.ts';
import type { EventMetrics, NoteMetrics } from './evaluate.ts';
import type { FormOptions, FormSummary } from './form.ts';
import { formStats, summarizeForm } from './form.ts';
import type { Genre } from './genres/genre.ts';
import { genres } from './genres/index.ts';
import type { Model } from './models/model.ts';
import { stepModelOf } from './models/model.ts';
import { sequenceToScore } from './models/sequences.ts';
import type { LoadedPiece } from './pieces.ts';
import type { Score } from './score.ts';
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
  form?: FormComparison;
}

/** Form of generated pieces beside the form of real ones (src/engine/form.ts). */
export interface FormComparison {
  bars: number;
  /** Real pieces count when they have at least this many full bars (7/8 of `bars`: a 32-bar tune with a pickup has 30-31). */
  dataMinBars: number;
  /** Bars measured in this meter on both sides instead of the files' own (see FORM_BAR_METER). */
  barMeter: string | null;
  generated: FormSummary;
  data: FormSummary;
  /** Integrated loudness of the rendered generated pieces; filled by callers that render (mixtape evaluate --loudness). */
  loudness?: { pieces: number; targetLufs: number; meanLufs: number; minLufs: number; maxLufs: number };
}

/**
 * Genres whose data files carry a meaningless time signature: POP909's files say 1/4 or 2/4,
 * but the songs are in 4/4 (its beat annotations), so bars of both sides are measured in 4/4.
 */
export const FORM_BAR_METER: Record<string, { numerator: number; denominator: number }> = { pop: { numerator: 4, denominator: 4 } };

/** What a comparison may vary in generation (the genre's defaults otherwise). */
export type GenerationChoices = Pick<CompositionRequest, 'temperature' | 'topP' | 'meter' | 'tuneType' | 'form'>;

/**
 * `count` pieces of `bars` bars from a model, seeds 1..count, without the genre's arranged parts.
 * @example generatePieces(model, getGenre('celtic'), 50, 32).length // 50
 */
export function generatePieces(model: Model, genre: Genre, count: number, bars: number, choices: GenerationChoices = {}): Score[] {
  return Array.from({ length: count }, (_, i) => compose({ ...choices, model, genre, bars, seed: i + 1, accompany: false }).score);
}

/**
 * Form statistics of generated scores against real ones, each over its first `bars` bars.
 * @example compareForm(generatePieces(model, genre, 50, 32), realScores, 32, 'celtic').generated.barRepeatRate
 */
export function compareForm(generated: readonly Score[], data: readonly Score[], bars: number, genreKey = ''): FormComparison {
  const barMeter = FORM_BAR_METER[genreKey];
  const opts: FormOptions = { maxBars: bars, ...(barMeter ? { barMeter } : {}) };
  const dataMinBars = Math.ceil((bars * 7) / 8);
  const dataStats = data.map((s) => formStats(s, opts));
  // With too few long pieces (e.g. a folder of 8-bar loops) every piece counts; `data.shorterLeftOut` says which happened.
  const longEnough = dataStats.filter((s) => s.bars >= dataMinBars).length >= Math.min(5, dataStats.length);
  return {
    bars,
    dataMinBars: longEnough ? dataMinBars : 0,
    barMeter: barMeter ? `${barMeter.numerator}/${barMeter.denominator}` : null,
    generated: summarizeForm(generated.map((s) => formStats(s, opts))),
    data: summarizeForm(dataStats, { minBars: longEnough ? dataMinBars : 0 }),
  };
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
    const scores = generatePieces(model, genre, count, bars);
    const generated = scores.map(scoreStats);
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
    // Form is measured on the real files (their meter, pickups and endings), not on their encoding.
    report.form = compareForm(scores, unseen.map((p) => p.score), bars, genre.key);
  }
  return report;
}
