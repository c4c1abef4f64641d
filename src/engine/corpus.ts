/**
 * One corpus, five encodings: turn a genre's Scores into token sequences so that every model
 * and the Markov baseline train on identical data.
 */
import { MixtapeError } from './errors.ts';
import { extractMelody } from './melody.ts';
import type { MelodyOptions } from './melody.ts';
import { scoreStepsPerBar } from './quantize.ts';
import type { Score } from './score.ts';
import { noteCount } from './score.ts';
import { transposeNotes, transposeScore } from './transpose.ts';
import * as melody from './encodings/melody.ts';
import * as pitchDuration from './encodings/pitchDuration.ts';
import * as polyphonic from './encodings/polyphonic.ts';
import * as performance from './encodings/performance.ts';
import * as drums from './encodings/drums.ts';

export const ENCODING_NAMES = ['melody', 'pitchDuration', 'polyphonic', 'performance', 'drums'] as const;
export type EncodingName = (typeof ENCODING_NAMES)[number];

export interface CorpusConfig {
  /** Semitone shifts applied to each pitched score (default [0]); ignored by drums. */
  augmentTranspositions?: number[];
  /** Melody extraction filters (melody and pitchDuration). */
  melody?: MelodyOptions;
  melodyConfig?: melody.MelodyConfig;
  pitchDurationConfig?: pitchDuration.PitchDurationConfig;
  polyphonicConfig?: polyphonic.PolyphonicConfig;
  performanceConfig?: performance.PerformanceConfig;
  /** Drop sequences shorter than this many tokens (default 2). */
  minTokens?: number;
}

export interface Corpus {
  encoding: EncodingName;
  vocabSize: number;
  sequences: number[][];
  /** Steps per bar of each sequence's source (grid encodings need it for lookback and decoding). */
  stepsPerBar: number[];
  counts: { scores: number; used: number; skipped: number; notes: number; tokens: number };
}

/** Vocabulary size of an encoding under a config. @example encodingVocabSize('melody') // 50 */
export function encodingVocabSize(encoding: EncodingName, config: CorpusConfig = {}): number {
  switch (encoding) {
    case 'melody':
      return melody.vocabSize(config.melodyConfig);
    case 'pitchDuration':
      return pitchDuration.vocabSize(config.pitchDurationConfig);
    case 'polyphonic':
      return polyphonic.vocabSize(config.polyphonicConfig);
    case 'performance':
      return performance.vocabSize(config.performanceConfig);
    case 'drums':
      return drums.vocabSize();
  }
}

/** Token sequences of one score for each requested transposition (empty when the score has nothing usable). */
function encodeScore(score: Score, encoding: EncodingName, config: CorpusConfig, shifts: readonly number[]): { tokens: number[]; notes: number }[] {
  if (encoding === 'drums') {
    const hasDrums = score.tracks.some((t) => t.isDrum && t.notes.length > 0);
    if (!hasDrums) return [];
    return [{ tokens: drums.encode(score), notes: score.tracks.filter((t) => t.isDrum).reduce((n, t) => n + t.notes.length, 0) }];
  }
  if (encoding === 'melody' || encoding === 'pitchDuration') {
    const line = extractMelody(score, config.melody);
    if (!line) return [];
    return shifts.map((s) => {
      const notes = transposeNotes(line, s);
      const tokens =
        encoding === 'melody'
          ? melody.encode(notes, { ...config.melodyConfig, stepsPerBar: scoreStepsPerBar(score) })
          : pitchDuration.encode(notes, config.pitchDurationConfig);
      return { tokens, notes: notes.length };
    });
  }
  const pitched = score.tracks.filter((t) => !t.isDrum).reduce((n, t) => n + t.notes.length, 0);
  if (pitched === 0) return [];
  return shifts.map((s) => {
    const moved = s === 0 ? score : transposeScore(score, s);
    const tokens = encoding === 'polyphonic' ? polyphonic.encode(moved, config.polyphonicConfig) : performance.encode(moved, config.performanceConfig);
    return { tokens, notes: pitched };
  });
}

/**
 * Encode every score; scores that yield nothing (no melody, no drums, too short) are skipped
 * and counted.
 * @example extractSequences(scores, 'melody', {augmentTranspositions: [-2, 0, 2]}).sequences.length
 */
export function extractSequences(scores: readonly Score[], encoding: EncodingName, config: CorpusConfig = {}): Corpus {
  if (!ENCODING_NAMES.includes(encoding)) {
    throw new MixtapeError('BAD_ARGUMENT', `unknown encoding "${encoding}"; use one of ${ENCODING_NAMES.join(', ')}`);
  }
  const shifts = config.augmentTranspositions?.length ? config.augmentTranspositions : [0];
  const minTokens = config.minTokens ?? 2;
  const sequences: number[][] = [];
  const stepsPerBar: number[] = [];
  const counts = { scores: scores.length, used: 0, skipped: 0, notes: 0, tokens: 0 };
  for (const score of scores) {
    const encoded = encodeScore(score, encoding, config, shifts).filter((e) => e.tokens.length >= minTokens);
    if (encoded.length === 0) {
      counts.skipped++;
      continue;
    }
    counts.used++;
    const spb = encoding === 'polyphonic' ? polyphonic.barSteps(score, config.polyphonicConfig) : scoreStepsPerBar(score);
    for (const e of encoded) {
      sequences.push(e.tokens);
      stepsPerBar.push(spb);
      counts.notes += e.notes;
      counts.tokens += e.tokens.length;
    }
  }
  return { encoding, vocabSize: encodingVocabSize(encoding, config), sequences, stepsPerBar, counts };
}

/** Total notes in a list of scores. @example totalNotes(scores) // 356000 */
export function totalNotes(scores: readonly Score[]): number {
  return scores.reduce((n, s) => n + noteCount(s), 0);
}
