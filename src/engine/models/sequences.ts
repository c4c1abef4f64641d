/** Scores to codec sequences (and back to scores): the same path for training, evaluation and primers. */
import { extractSequences } from '../corpus.ts';
import type { EncodingName } from '../corpus.ts';
import { extractMelody } from '../melody.ts';
import { beatToStep, timeSignatureForSteps } from '../quantize.ts';
import type { Note, Score, Track } from '../score.ts';
import type { Codec, Sequence } from './codecs/codec.ts';

/** The corpus encoding behind a codec (lookback reads the plain melody events). */
export function encodingOf(codec: Codec): EncodingName {
  return (codec.name === 'lookback' ? 'melody' : codec.name) as EncodingName;
}

/**
 * Sequences of one score for each transposition (none when it holds nothing usable).
 * @example scoreSequences(score, codecs.pitchDuration)[0].tokens.length
 */
export function scoreSequences(score: Score, codec: Codec, shifts: number[] = [0], minBars?: number): Sequence[] {
  const corpus = extractSequences([score], encodingOf(codec), {
    augmentTranspositions: shifts,
    melody: minBars === undefined ? undefined : { minBars, minUniquePitches: 1 },
  });
  const startStep = codec.name === 'pitchDuration' ? firstNoteStep(score, minBars) % (corpus.stepsPerBar[0] ?? 16) : 0;
  return corpus.sequences.map((tokens, i) => ({ tokens, stepsPerBar: corpus.stepsPerBar[i], startStep }));
}

function firstNoteStep(score: Score, minBars?: number): number {
  const line = extractMelody(score, minBars === undefined ? undefined : { minBars, minUniquePitches: 1 });
  return line && line.length ? Math.max(0, beatToStep(line[0].start)) : 0;
}

/** Notes clipped to [0, endBeat): later notes dropped, notes crossing the end shortened. */
export function clipNotes(notes: Note[], endBeat: number): Note[] {
  return notes.filter((n) => n.start < endBeat - 1e-9).map((n) => ({ ...n, duration: Math.min(n.duration, endBeat - n.start) }));
}

/** A generated sequence as a one-track score of exactly `bars` bars. */
export function sequenceToScore(codec: Codec, seq: Sequence, bars: number, opts: { bpm: number; title: string; program?: number }): Score {
  const { notes, drums } = codec.toNotes(seq);
  const barBeats = seq.stepsPerBar / 4;
  const lengthBeats = bars * barBeats;
  const track: Track = { name: drums ? 'Drums' : 'Lead', program: opts.program ?? 0, isDrum: drums, notes: clipNotes(notes, lengthBeats) };
  const ts = timeSignatureForSteps(seq.stepsPerBar);
  return { title: opts.title, tracks: [track], tempos: [{ beat: 0, bpm: opts.bpm }], timeSignatures: [ts], lengthBeats };
}

