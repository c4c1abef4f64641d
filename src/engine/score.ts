/**
 * The internal score: plain data shared by every part of Mixtape.
 * Time is measured in beats (quarter notes) so that quantization, bars and
 * encodings need no tempo; the tempo map turns beats into seconds when needed.
 */

/** One sounding note. `start` and `duration` are in beats; pitch and velocity are MIDI 0..127. */
export interface Note {
  pitch: number;
  start: number;
  duration: number;
  velocity: number;
}

/** One instrument part. `program` is the General MIDI program (0..127); drums use channel 10. */
export interface Track {
  name: string;
  program: number;
  isDrum: boolean;
  notes: Note[];
}

/** A tempo change at `beat`, in quarter notes per minute. */
export interface TempoChange {
  beat: number;
  bpm: number;
}

/** A meter change at `beat`, e.g. 6/8 is { numerator: 6, denominator: 8 }. */
export interface TimeSignature {
  beat: number;
  numerator: number;
  denominator: number;
}

/** A whole piece. Tempos and time signatures are sorted by beat and start at beat 0. */
export interface Score {
  title: string;
  tracks: Track[];
  tempos: TempoChange[];
  timeSignatures: TimeSignature[];
  /** Length in beats (at least the end of the last note). */
  lengthBeats: number;
}

export const DEFAULT_BPM = 120;

/** An empty 4/4 score at 120 bpm. @example emptyScore('x').tracks // [] */
export function emptyScore(title = 'untitled'): Score {
  return {
    title,
    tracks: [],
    tempos: [{ beat: 0, bpm: DEFAULT_BPM }],
    timeSignatures: [{ beat: 0, numerator: 4, denominator: 4 }],
    lengthBeats: 0,
  };
}

/** All notes of all non-drum tracks, sorted by start then pitch. @example allNotes(score).length */
export function allNotes(score: Score, includeDrums = false): Note[] {
  return score.tracks
    .filter((t) => includeDrums || !t.isDrum)
    .flatMap((t) => t.notes)
    .sort((a, b) => a.start - b.start || a.pitch - b.pitch);
}

/** Number of notes in the score. @example noteCount(emptyScore()) // 0 */
export function noteCount(score: Score): number {
  return score.tracks.reduce((n, t) => n + t.notes.length, 0);
}

/** Beats per bar of a time signature (6/8 -> 3). @example beatsPerBar({beat:0,numerator:6,denominator:8}) // 3 */
export function beatsPerBar(ts: TimeSignature): number {
  return (ts.numerator * 4) / ts.denominator;
}

/** Seconds at a given beat under the score's tempo map. @example beatToSeconds(emptyScore(), 2) // 1 */
export function beatToSeconds(score: Score, beat: number): number {
  let seconds = 0;
  const tempos = score.tempos.length ? score.tempos : [{ beat: 0, bpm: DEFAULT_BPM }];
  for (let i = 0; i < tempos.length; i++) {
    const from = tempos[i].beat;
    const to = i + 1 < tempos.length ? Math.min(tempos[i + 1].beat, beat) : beat;
    if (to <= from) break;
    seconds += ((to - from) * 60) / tempos[i].bpm;
  }
  return seconds;
}

/** Duration of the whole score in seconds. @example durationSeconds(emptyScore()) // 0 */
export function durationSeconds(score: Score): number {
  return beatToSeconds(score, score.lengthBeats);
}
